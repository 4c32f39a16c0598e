"""The Flask app of the database series (WSGI, psycopg 3 with a psycopg_pool pool), for
gunicorn's sync, gthread and gevent workers: `dbapp_flask:app`. Routes in dbapps.py."""

from __future__ import annotations

import json
import time

from flask import Flask, Response

from dbapps import CPU_MS, DB_SLEEP_S, DSN, LOOPS_PER_MS, POOL, SLEEP_SQL, STATS, burn, pk_sql

app = Flask(__name__)
_pool = None


def init_pool() -> None:
    """Opens this process's pool (gunicorn's post_worker_init hook calls it, after the
    fork and, under gevent, after the monkey-patching)."""
    global _pool
    from psycopg_pool import ConnectionPool

    _pool = ConnectionPool(DSN, min_size=POOL, max_size=POOL, timeout=120, open=True,
                           kwargs={"autocommit": True, "prepare_threshold": None})
    _pool.wait(timeout=60)


def _query(sql: str):
    start = time.perf_counter()
    with _pool.connection() as conn:
        got = time.perf_counter()
        rows = conn.execute(sql).fetchall()
        done = time.perf_counter()
    STATS.add(got - start, done - got, time.perf_counter() - done)
    return rows


def _text(body: str = "ok\n") -> Response:
    return Response(body, mimetype="text/plain")


@app.get("/sleep")
def flask_sleep():
    _query(SLEEP_SQL.format(DB_SLEEP_S))
    return _text()


@app.get("/pk")
def flask_pk():
    ((a, b),) = _query(pk_sql())
    return Response(json.dumps({"a": a, "b": b}), mimetype="application/json")


@app.get("/mixed")
def flask_mixed():
    half = int(CPU_MS / 2 * LOOPS_PER_MS)
    burn(half)
    _query(SLEEP_SQL.format(DB_SLEEP_S))
    burn(half)
    return _text()


@app.get("/plain")
def flask_plain():
    return _text()


@app.get("/ready")
def flask_ready():
    _query("SELECT 1")
    return _text()


@app.get("/stats")
def flask_stats():
    return Response(json.dumps(STATS.report()), mimetype="application/json")


@app.get("/stats/reset")
def flask_stats_reset():
    STATS.reset()
    return _text()
