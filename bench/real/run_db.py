#!/usr/bin/env python3
"""The published benchmarks in miniature, with a real PostgreSQL: measure, then simulate.

    python3 bench/real/run_db.py             # the full matrix, 20-40 minutes on a quiet
                                             # machine -> content/data/measured-db.json
    python3 bench/real/run_db.py --subset    # four points, about a minute and a half
                                             # (90 s) -> target/real-db-subset.json
    python3 bench/real/run_db.py --resimulate content/data/measured-db.json
                                             # simulate again, measure nothing

Steps, each with a time limit and a message naming it when it fails: install what is
missing (a venv from requirements-db.txt; Debian's wrk, PostgreSQL 15 and pgbouncer);
initdb a fresh cluster under target/real-db/ and start PostgreSQL and pgbouncer as the
`postgres` user on 127.0.0.1; calibrate (per-request CPU of each server and app, the
query time the app sees) in runs that are never judged; measure every point of the
matrix on a fresh server with `wrk --latency`, in a quiet window, checked against
Little's law; simulate each point with the database station; write one JSON file
(format in README.md beside this file), through a temporary file and a rename. Every
process the harness starts is stopped by its id, whatever happens.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path

import db
import dbservers
import env
import load
import servers
import simulate
from env import log

ROOT = env.HERE.parent.parent
DB_SLEEP_MS = 20.0  # Grinberg's pg_sleep
MIXED_CPU_MS = 4.0  # the mixed series: CPU per request around its query
BLOCK_IO_MS = 5.0  # the blocking series: one extra wait per request ...
BLOCK_SHARE = 0.5  # ... that blocks the loop this often
LITTLE_TOLERANCE = 0.10
THROUGHPUT_TOLERANCE = 0.15
P99_TOLERANCE = 0.30
MIN_REPLIES = 10  # per connection, for a steady state and a small edge effect on Little's law


@dataclass(frozen=True)
class Series:
    """One curve: a server and app, a route, pools, over the concurrency levels."""

    id: str
    server: str  # dbservers id
    route: str  # /sleep, /pk, /mixed, /blocking
    regime: str
    processes: int
    db_pool: int  # connections per process
    bouncer_pool: int  # pgbouncer's default_pool_size: queries PostgreSQL runs at once
    published_setup: str
    threads: int = 1  # gthread's threads per process
    cpu_ms: float = 0.0  # /mixed's loop
    io_ms: float = 0.0  # /blocking's extra wait
    block_share: float = 0.0

    def app_env(self, dsn: str, rows: int, loops_per_ms: int, pool: int | None = None) -> dict[str, str]:
        return {"BENCH_DSN": dsn, "BENCH_POOL": str(pool or self.db_pool), "BENCH_ROWS": str(rows),
                "BENCH_DB_SLEEP_MS": f"{DB_SLEEP_MS:g}", "BENCH_LOOPS_PER_MS": str(loops_per_ms),
                "BENCH_CPU_MS": f"{self.cpu_ms:g}", "BENCH_IO_MS": f"{self.io_ms:g}",
                "BENCH_BLOCK_SHARE": f"{self.block_share:g}", "PYTHONDONTWRITEBYTECODE": "1"}


G = ("Grinberg 2020 in miniature: one SELECT pg_sleep(0.02) per request through pgbouncer; "
     "his 19 sync and 6 async workers (his post does not give his cores) scaled down to "
     "this machine's 2 cores. ")
P = ("Paterson 2020 in miniature: one primary-key SELECT of a random row per request through "
     "pgbouncer; his 14-16 sync and 5 async workers on 4 CPUs scaled to 2 cores, pools of "
     "about his sizes (psycopg2 pool of up to 4, aiopg's default 10). ")
SERIES = [
    Series("sleep-flask-sync", "flask-sync", "/sleep", "workers-bound", 8, 1, 32,
           G + "gunicorn with 8 sync workers, one connection each."),
    Series("sleep-flask-gthread", "flask-gthread", "/sleep", "threads-bound", 2, 8, 32,
           G + "gunicorn gthread, 2 processes x 8 threads, a pool of 8 per process.", threads=8),
    Series("sleep-flask-gevent", "flask-gevent", "/sleep", "greenlets near CPU saturation", 2, 16, 32,
           G + "gunicorn with 2 gevent workers, a pool of 16 each."),
    Series("sleep-starlette-uvloop-pool8", "starlette-uvloop", "/sleep", "pool-limited", 1, 8, 32,
           G + "uvicorn (uvloop), 1 process, an asyncpg pool of only 8: async capped by its pool."),
    Series("sleep-starlette-asyncio-pool64", "starlette-asyncio", "/sleep", "loop near saturation", 1, 64, 64,
           G + "uvicorn (asyncio), 1 process, an asyncpg pool of 64: the event loop saturates first."),
    Series("sleep-aiohttp-bouncer8", "aiohttp", "/sleep", "pgbouncer-limited", 1, 32, 8,
           G + "aiohttp, 1 process, an asyncpg pool of 32 behind a pgbouncer pool of 8."),
    Series("pk-flask-sync", "flask-sync", "/pk", "CPU-bound", 4, 1, 16,
           P + "gunicorn with 4 sync workers."),
    Series("pk-flask-gevent", "flask-gevent", "/pk", "CPU-bound", 2, 8, 16,
           P + "gunicorn with 2 gevent workers, a pool of 8 each."),
    Series("pk-starlette-uvloop", "starlette-uvloop", "/pk", "CPU-bound", 2, 8, 16,
           P + "uvicorn (uvloop), 2 processes, an asyncpg pool of 8 each."),
    Series("mixed-flask-gthread", "flask-gthread", "/mixed", "mixed CPU and I/O on threads", 1, 8, 32,
           "Neither article: 4 ms of pure-Python CPU around a pg_sleep(0.02) query, on one "
           "gunicorn gthread process with 8 threads: the GIL and the threads both nearly bind.",
           threads=8, cpu_ms=MIXED_CPU_MS),
    Series("blocking-starlette-asyncio", "starlette-asyncio", "/blocking", "blocking call in async def",
           1, 32, 32,
           "Neither article: the pg_sleep(0.02) query awaited, then a 5 ms wait that is time.sleep "
           "(blocking the loop) in half the requests and asyncio.sleep in the others; the "
           "simulation's blocking_share = 0.5.",
           io_ms=BLOCK_IO_MS, block_share=BLOCK_SHARE),
]
BY_ID = {s.id: s for s in SERIES}


@dataclass
class Plan:
    series: list[str]
    levels: list[int]
    duration_s: float
    max_duration_s: float  # a point with too few replies per connection is run again this long at most
    warmup_s: float
    rows: int
    attempts: int  # measurements of a point while other processes are busy
    quiet_cores: float  # other processes above this: not a quiet window
    quiet_wait_s: float  # how long to wait for a quiet window before an attempt
    lock_wait_s: float
    calibration_s: float
    lone_runs: int  # the one-client calibration, run this many times; the median p99 is kept
    overrides: dict = field(default_factory=dict)  # series id -> levels (the subset)


FULL = Plan(series=[s.id for s in SERIES], levels=[1, 4, 16, 32, 64, 128, 256], duration_s=5,
            max_duration_s=20, warmup_s=1, rows=1_000_000, attempts=3, quiet_cores=0.3,
            quiet_wait_s=30, lock_wait_s=900, calibration_s=4, lone_runs=3)
# A minute: one sync series past its workers, one async series past its pool, one point
# of the CPU-bound shape.
SUBSET = Plan(series=["sleep-flask-sync", "sleep-starlette-uvloop-pool8", "pk-starlette-uvloop"],
              levels=[16], duration_s=3, max_duration_s=6, warmup_s=1, rows=100_000, attempts=2,
              quiet_cores=0.3, quiet_wait_s=5, lock_wait_s=30, calibration_s=2, lone_runs=1,
              overrides={"sleep-flask-sync": [4, 32], "sleep-starlette-uvloop-pool8": [32]})


class Harness:
    """Runs calibrations and points against one database; everything it starts stops."""

    def __init__(self, plan: Plan, database: db.Database, bin_dir: Path, wrk: str, loops_per_ms: int,
                 log_dir: Path):
        self.plan, self.db, self.bin_dir, self.wrk = plan, database, bin_dir, wrk
        self.loops_per_ms, self.log_dir = loops_per_ms, log_dir

    # -- quiet windows -------------------------------------------------------------------

    def wait_quiet(self) -> float:
        """Waits (bounded) until other processes use at most `quiet_cores` over a second;
        returns what they used in the last second looked at."""
        deadline = time.monotonic() + self.plan.quiet_wait_s
        while True:
            others = load.others_now(self.db.pids)
            if others <= self.plan.quiet_cores or time.monotonic() >= deadline:
                return round(others, 3)

    # -- one run -------------------------------------------------------------------------

    def run_once(self, series: Series, clients: int, duration_s: float, *, processes: int, threads: int,
                 pool: int, route: str, warmup_s: float) -> tuple[dict, dict | None]:
        """Starts a fresh server, loads it, stops it. Returns (result, stats): stats is
        the app's /stats (meaningful with one process). A crash or a wrk failure raises
        RuntimeError carrying the server's last log lines."""
        server = dbservers.BY_ID[series.server]
        port = servers.free_port()
        argv = server.argv(self.bin_dir, port, processes, threads)
        app_env = series.app_env(self.db.dsn(), self.plan.rows, self.loops_per_ms, pool)
        # Only one process answers /stats, so the app's own counters are kept where
        # there is one process.
        counters = processes == 1
        with servers.serving_argv(series.server, argv, port, app_env, self.log_dir,
                                  settle_s=0.3 + 0.15 * processes, ready_timeout_s=60) as running:
            def reset_stats() -> None:
                # The app's own timings and counters cover the measured run only.
                with urllib.request.urlopen(running.url("/stats/reset"), timeout=5):
                    pass

            try:
                result = load.run_point(self.wrk, running, route, clients, duration_s, self.db.pids,
                                        warmup_s=warmup_s,
                                        count_connections=processes > 1 and server.sim_server != "processes",
                                        before_measuring=reset_stats if counters else None)
            except (RuntimeError, OSError, ValueError) as e:
                raise RuntimeError(f"{e}\nthe server's last log lines:\n{running.tail()}") from None
            if running.process.poll() is not None:
                raise RuntimeError(f"{series.server} exited during the run (code "
                                   f"{running.process.returncode}); its last log lines:\n{running.tail()}")
            dead = self.db.alive()
            if dead:
                raise RuntimeError(f"the database stopped during the run: {dead}")
            log_text = running.log.read_text(errors="replace")
            restarts = log_text.count("Worker (pid:") + log_text.count("WORKER TIMEOUT")
            if restarts:
                result["server_worker_deaths"] = restarts
                result["server_log_tail"] = running.tail(10)
            stats = None
            if counters:
                try:
                    with urllib.request.urlopen(running.url("/stats"), timeout=5) as r:
                        stats = json.loads(r.read())
                except (OSError, ValueError):
                    stats = None
        return result, stats

    # -- calibration ---------------------------------------------------------------------

    def calibrate(self, series: Series) -> dict:
        """Never judged. Three runs of the series' server (the first and last on one process):

        - `/plain` (the framework's response, no database), the server kept busy: the
          server's and framework's own CPU per request -> `overhead_us`;
        - the series' route on the series' own processes, threads and pools, the server
          kept busy (4 clients per sync worker; 32 per process of 8 threads; 128 over the
          event loops or gevent): the CPU per request of the whole handler, less the
          overhead -> `cpu_ms`. On the series' process count, because that CPU grows with
          the processes sharing the cores (more switches, colder caches, idle sync workers
          woken for each connection): measured on one process it came out up to a third
          below the judged points' own. On the series' pool, because a small pool makes
          requests queue for a connection, and waking them costs the server and pgbouncer
          CPU: measured on a pool of 64 it came out a fifth below pk-starlette-uvloop's
          points on its pool of 8;
        - the series' route with 1 client and a pool of 1: the query time as the app
          sees it (send to last row, no pool wait, no contention) -> `db_ms`, giving the
          connection back (asyncpg's reset round trip) -> `db_release_ms`, and the
          spread of a request's time (its p99 over p50) -> `cv`. Run `lone_runs` times,
          keeping the run with the median p99: a 4-second run with one client has a few
          hundred replies, so its p99 is the second or third slowest of them, and one
          hiccup of the machine's moved the sync server's from 23 to 42 ms between two
          full runs (2026-12-01 20:37 and 2026-12-02 00:25).

        CPU from schedstat, per request, not 1 / throughput (on a shared machine a server
        also waits for a core). Busy, because an event loop's CPU per request falls as
        load rises (one wake-up serves several ready sockets): measured with one client
        it came out up to 70% higher than under load, and the simulation needs it where
        CPU binds. Biases, by direction: at lighter loads the real CPU per request is
        higher than this (simulated latency slightly optimistic there, where CPU matters
        little); the query time is the fastest the database answers, with idle cores
        (under load it is longer: simulation optimistic); the app's timer around the
        query also holds the driver's CPU for it (counted in both cpu_ms and db_ms:
        simulated latency a little pessimistic)."""
        kind = dbservers.BY_ID[series.server]
        n = series.processes
        pool = series.db_pool
        if kind.sim_server == "processes":
            threads, plain_clients, busy_clients = 1, 16, 4 * n
        elif kind.sim_server == "threads":
            threads, plain_clients, busy_clients = series.threads, 32, 32 * n
        else:
            threads, plain_clients, busy_clients = 1, 64, 128
        plain, _ = self._calibration_run(series, "/plain", plain_clients, threads, pool=1)
        busy, _ = self._calibration_run(series, series.route, busy_clients, threads, pool=pool, processes=n)
        lones = [self._calibration_run(series, series.route, 1, threads, pool=1)
                 for _ in range(self.plan.lone_runs)]
        lone, stats = sorted(lones, key=lambda run: run[0]["p99_ms"])[len(lones) // 2]
        if not stats or not stats.get("queries"):
            raise RuntimeError(f"calibrating {series.id}: the app reported no query timings")
        overhead_ms = plain["server_cpu_ms_per_request"]
        handler_ms = busy["server_cpu_ms_per_request"]
        return {
            "overhead_run": {"path": "/plain", "processes": 1, "threads": threads, "clients": plain_clients,
                             "measured": plain},
            "cpu_run": {"path": series.route, "processes": n, "threads": threads, "clients": busy_clients,
                        "db_pool": pool, "measured": busy},
            "db_run": {"path": series.route, "processes": 1, "threads": threads, "clients": 1,
                       "db_pool": 1, "measured": lone, "app_stats": stats,
                       "runs_p50_p99_ms": [[run["p50_ms"], run["p99_ms"]] for run, _ in lones]},
            "overhead_us": round(overhead_ms * 1000, 1),
            "cpu_ms": round(max(0.0, handler_ms - overhead_ms), 4),
            "cpu_ms_lone_client": round(max(0.0, lone["server_cpu_ms_per_request"] - overhead_ms), 4),
            "db_ms": stats["query_ms_mean"],
            "db_ms_p50": stats["query_ms_p50"],
            "db_ms_p99": stats["query_ms_p99"],
            # CPU the database and wrk take per request on the same cores, under load: the
            # scenario's `colocated_cpu_ms`.
            "db_cpu_ms_per_request": busy["db_cpu_ms_per_request"],
            "wrk_cpu_ms_per_request": busy["wrk_cpu_ms_per_request"],
        }

    def _calibration_run(self, series: Series, route: str, clients: int, threads: int, pool: int,
                         processes: int = 1):
        best = None
        for _ in range(self.plan.attempts):
            quiet_before = self.wait_quiet()
            result, stats = self.run_once(series, clients, self.plan.calibration_s, processes=processes,
                                          threads=threads, pool=pool, route=route,
                                          warmup_s=self.plan.warmup_s)
            result["quiet_before"] = quiet_before
            if best is None or result["other_cores"] < best[0]["other_cores"]:
                best = (result, stats)
            if result["other_cores"] <= self.plan.quiet_cores:
                break
        best[0]["quiet"] = best[0]["other_cores"] <= self.plan.quiet_cores
        return best

    # -- a judged point ------------------------------------------------------------------

    def measure(self, series: Series, clients: int) -> dict:
        """A point: measured in a quiet window (again, up to `attempts` times, while
        other processes use more than `quiet_cores`), long enough for MIN_REPLIES per
        connection, then checked against Little's law. Returns {status, measured,
        attempts, reason}: status "judged", "excluded" (never quiet, Little's law,
        errors) or "failed" (a crash: the reason has the server's last log lines)."""
        attempts = []
        duration = self.plan.duration_s
        accepted = None
        while len(attempts) < self.plan.attempts:
            quiet_before = self.wait_quiet()
            try:
                result, stats = self.run_once(series, clients, duration, processes=series.processes,
                                          threads=series.threads, pool=series.db_pool, route=series.route,
                                          warmup_s=self.plan.warmup_s)
            except RuntimeError as e:
                return {"status": "failed", "reason": str(e)[-3000:], "attempts": attempts}
            result["quiet_before"] = quiet_before
            if stats:
                # The measured run only: where a request's time went, inside the app.
                result["app_stats"] = stats
            if result.get("server_worker_deaths"):
                return {"status": "failed", "measured": result, "attempts": attempts,
                        "reason": f"a worker died or was restarted during the run; the server's last log "
                                  f"lines:\n{result.get('server_log_tail', '')}"}
            if result["replies_per_connection"] < MIN_REPLIES and duration < self.plan.max_duration_s:
                # Too short for this concurrency: not an attempt, just a longer run.
                scale = MIN_REPLIES * 1.3 / max(0.5, result["replies_per_connection"])
                duration = min(self.plan.max_duration_s, math.ceil(duration * scale))
                log(f"  {result['replies_per_connection']} replies per connection; measuring "
                    f"again for {duration:g} s")
                continue
            attempts.append({k: result[k] for k in ("other_cores", "quiet_before", "throughput_rps",
                                                    "duration_s")})
            if result["other_cores"] <= self.plan.quiet_cores:
                accepted = result
                break
            if len(attempts) < self.plan.attempts:
                log(f"  other processes used {result['other_cores']} cores (more than "
                    f"{self.plan.quiet_cores}); measuring again")
            accepted = accepted if accepted and accepted["other_cores"] <= result["other_cores"] else result
        measured = accepted
        if measured["other_cores"] > self.plan.quiet_cores:
            return {"status": "excluded", "measured": measured, "attempts": attempts,
                    "reason": f"never a quiet window: other processes used "
                              f"{', '.join(str(a['other_cores']) for a in attempts)} cores in the "
                              f"{len(attempts)} attempts (more than {self.plan.quiet_cores})"}
        little = little_check(clients, measured)
        measured["little"] = little
        if not little["ok"]:
            return {"status": "excluded", "measured": measured, "attempts": attempts,
                    "reason": f"Little's law: throughput x mean latency = {little['in_flight']} "
                              f"requests in flight, not {clients} clients ({little['error']:+.1%})"}
        if measured["errors"] > 0.01 * max(1, measured["requests"]):
            return {"status": "excluded", "measured": measured, "attempts": attempts,
                    "reason": f"{measured['errors']} errors of {measured['requests']} requests "
                              f"({measured['error_kinds']})"}
        return {"status": "judged", "measured": measured, "attempts": attempts}


def little_check(clients: int, m: dict) -> dict:
    """A closed loop with no think time keeps every client's request in the system, so
    throughput x mean latency must equal the clients. A miss beyond 10% means the
    numbers do not describe one steady state (connections that never got a reply, a
    stall at the end of the run, a latency measured from the wrong moment)."""
    in_flight = m["throughput_rps"] * m["mean_ms"] / 1000
    error = in_flight / clients - 1
    return {"in_flight": round(in_flight, 2), "error": round(error, 4), "ok": abs(error) <= LITTLE_TOLERANCE}


def judge(point: dict) -> None:
    """Adds `agreement` to a judged point with a simulation: the throughput within 15%
    and the p99 within 30% of the measurement."""
    sim, me = point.get("simulated") or {}, point.get("measured") or {}
    if point.get("status") != "judged" or sim.get("status") != "ok":
        point.pop("agreement", None)
        return
    t = sim["throughput_rps"] / me["throughput_rps"] - 1
    p = sim["p99_ms"] / me["p99_ms"] - 1
    point["agreement"] = {
        "throughput_error": round(t, 4), "p99_error": round(p, 4),
        "throughput_ok": abs(t) <= THROUGHPUT_TOLERANCE, "p99_ok": abs(p) <= P99_TOLERANCE,
        "ok": abs(t) <= THROUGHPUT_TOLERANCE and abs(p) <= P99_TOLERANCE,
    }


def diagnose(series: dict, point: dict, cores: int) -> str:
    """Facts that usually explain a miss, from the point's own numbers: for a reader,
    not a verdict."""
    me, sim, a = point["measured"], point["simulated"], point["agreement"]
    facts = [f"simulated throughput {a['throughput_error']:+.0%}, p99 {a['p99_error']:+.0%}"]
    busy = me["server_cores"] + me["db_cores"] + me["wrk_cores"]  # interrupts are inside these
    scenario = series.get("scenario") or {}
    cpu_ms = scenario.get("cpu_ms", 0) + scenario.get("overhead_us", 0) / 1000
    if busy > 0.85 * cores and abs(a["throughput_error"]) > THROUGHPUT_TOLERANCE and cpu_ms > 0:
        here = me["server_cpu_ms_per_request"]
        facts.append(f"the machine was CPU-bound ({me['server_cores']:.2f} server + {me['db_cores']:.2f} "
                     f"PostgreSQL/pgbouncer + {me['wrk_cores']:.2f} wrk of {cores} cores), so throughput "
                     f"follows the CPU per request: the server took {here:.2f} ms of it here, "
                     f"{here / cpu_ms - 1:+.0%} against the {cpu_ms:.2f} ms its calibration measured")
    if me["db_cores"] > 0.2 and a["throughput_error"] > THROUGHPUT_TOLERANCE and busy <= 0.85 * cores:
        facts.append(f"PostgreSQL and pgbouncer took {me['db_cores']:.2f} cores; a single event loop or "
                     "the GIL competes with them for a core, which the simulation shares fairly")
    if (series["server"] in ("starlette-asyncio", "starlette-uvloop", "aiohttp")
            and point["clients"] > series["db_pool"] * series["processes"] and a["p99_error"] < -P99_TOLERANCE):
        if scenario.get("db_pool_queue") == "barging":
            facts.append("requests queue for asyncpg's pool; the simulation lets a task its loop runs "
                         "first take a freed connection (barging), and still finds too few losers")
        else:
            facts.append("requests queue for asyncpg's pool, an asyncio queue that lets a newcomer take a "
                         "freed connection before the woken waiter runs (the loser goes to the back): the "
                         "measured tail is that barging; this simulation's pool is FIFO")
    if scenario.get("db_pool_queue") == "barging" and a["p99_error"] > P99_TOLERANCE:
        facts.append(f"too many losers: the simulated median is {sim['p50_ms']:.1f} ms against "
                     f"{me['p50_ms']:.1f} measured, so most requests overtake while a few starve"
                     f"{lost_shares(me, sim)}; on a busy loop the model's woken request waits behind "
                     "every task queued there, and the newcomers among them take its connection; "
                     "asyncio's passes over its ready callbacks let fewer of them past")
    if point["clients"] <= 4 and abs(a["p99_error"]) > P99_TOLERANCE:
        facts.append("few clients: the p99 is the tail of the database's and the scheduler's own "
                     "jitter, which constant service times leave out")
    if sim.get("p99_ms", 0) and me["p99_ms"] > 2 * me["p50_ms"] and sim["p99_ms"] < 1.3 * sim["p50_ms"]:
        facts.append(f"the measured tail is wide (p99 {me['p99_ms']:.1f} ms vs p50 {me['p50_ms']:.1f} ms) "
                     "and the simulated one narrow: real service times vary")
    return "; ".join(facts)


def agreement(series: list[dict], cores: int) -> dict:
    points = [(s, p) for s in series for p in s["points"]]
    judged = [(s, p) for s, p in points if p["status"] == "judged"]
    simulated = [(s, p) for s, p in judged if "agreement" in p]
    ok = [(s, p) for s, p in simulated if p["agreement"]["ok"]]
    misses = [{"series": s["id"], "clients": p["clients"], "regime": s["regime"],
               "throughput_error": p["agreement"]["throughput_error"],
               "p99_error": p["agreement"]["p99_error"], "facts": diagnose(s, p, cores)}
              for s, p in simulated if not p["agreement"]["ok"]]
    excluded = [{"series": s["id"], "clients": p["clients"], "status": p["status"], "reason": p["reason"][:400]}
                for s, p in points if p["status"] != "judged"]
    failed_series = [{"series": s["id"], "reason": s.get("reason", "")[:400]}
                     for s in series if s.get("status") == "failed"]
    t_errors = [abs(p["agreement"]["throughput_error"]) for _, p in simulated]
    p_errors = [abs(p["agreement"]["p99_error"]) for _, p in simulated]
    return {
        "criterion": f"throughput within {THROUGHPUT_TOLERANCE:.0%} and p99 within {P99_TOLERANCE:.0%} "
                     "of the measurement, at 80% or more of the judged points",
        "points": len(points),
        "judged": len(judged),
        "simulated": len(simulated),
        "pending": sum(1 for _, p in judged if (p.get("simulated") or {}).get("status") == "pending"),
        "agree": len(ok),
        "share": round(len(ok) / len(simulated), 4) if simulated else None,
        "met": (len(ok) >= 0.8 * len(simulated)) if simulated else None,
        "median_abs_throughput_error": round(statistics.median(t_errors), 4) if t_errors else None,
        "median_abs_p99_error": round(statistics.median(p_errors), 4) if p_errors else None,
        "misses": misses,
        "not_judged": excluded,
        "failed_series": failed_series,
    }


def fitted(explainer: str | None, scenario: dict, cal: dict, server: str) -> dict:
    """A series' scenario with what its calibration and its driver add to the means:
    the colocated CPU, the pool's queue, the release round trip and the spread (fitted
    last, on the rest)."""
    kind = dbservers.BY_ID[server]
    scenario = simulate.calibrated(scenario, cal)
    scenario = simulate.with_pool_queue(scenario, kind.pool_queue)
    scenario = simulate.with_release(scenario, cal, kind.asyncpg)
    return simulate.fit_spread(explainer, scenario, cal)


def simulate_all(document: dict, explainer: str | None) -> None:
    """(Re)runs the simulation of every point that has a measurement, and the judgement."""
    cores = document["machine"]["cores"]
    for s in document["series"]:
        cal, scenario = s.get("calibration"), s.get("scenario")
        if cal and scenario is not None:
            s["scenario"] = fitted(explainer, scenario, cal, s["server"])
        for p in s["points"]:
            if p.get("measured"):
                p["simulated"] = simulate.simulate_db(
                    explainer, simulate.kept_alive(s["scenario"], p["measured"]), p["clients"])
            judge(p)
    document["agreement"] = agreement(document["series"], cores)
    document["simulator"] = {"binary": explainer,
                             "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}


def write_json(document: dict, out: Path) -> None:
    """A temporary file in the same directory, then a rename: readers see the old file
    or the new one, never half of one."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(json.dumps(document, indent=1) + "\n")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def default_explainer() -> str | None:
    path = ROOT / "target" / "release" / "explainer"
    return str(path) if path.exists() else None


def main() -> int:
    args = parse_args()
    # SIGTERM and SIGHUP become an exit, so that every finally and atexit runs: servers,
    # wrk, PostgreSQL and pgbouncer are stopped by their ids on the way out.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: sys.exit(128 + signum))
    explainer = None if args.no_sim else (args.explainer or default_explainer())

    if args.resimulate:
        path = Path(args.resimulate)
        try:
            document = json.loads(path.read_text())
            simulate_all(document, explainer)
        except (OSError, ValueError, KeyError, TypeError) as e:
            log(f"FAILED: cannot resimulate {path}: {e!r}")
            return 1
        write_json(document, Path(args.out) if args.out else path)
        summarize(document, Path(args.out) if args.out else path)
        return 0

    plan = SUBSET if args.subset else FULL
    try:
        plan = apply_options(plan, args)
    except ValueError as e:
        log(f"FAILED: bad option: {e}")
        return 2
    out = Path(args.out) if args.out else (ROOT / "target" / "real-db-subset.json" if args.subset
                                           else ROOT / "content" / "data" / "measured-db.json")
    try:
        return run(plan, args, explainer, out)
    except db.StepError as e:
        log(f"FAILED at step '{e.step}': {e.detail}")
        log(f"nothing written to {out}; every process started was stopped")
        return 1
    except (RuntimeError, OSError, ValueError, subprocess.SubprocessError) as e:
        log(f"FAILED: {e}")
        log(f"nothing written to {out}; every process started was stopped")
        return 1
    except SystemExit as e:
        if isinstance(e.code, str):
            log(f"FAILED: {e.code}")
            log(f"nothing written to {out}; every process started was stopped")
            return 1
        raise


def run(plan: Plan, args: argparse.Namespace, explainer: str | None, out: Path) -> int:
    started = time.monotonic()
    step = "installing the Python packages"
    log(f"step: {step}")
    python = env.ensure_venv(Path(args.venv or ROOT / "target" / "real-db-venv"),
                             env.HERE / "requirements-db.txt")
    step = "installing wrk"
    wrk = env.ensure_wrk()
    db.ensure_installed()
    from run import take_the_machine  # the lock shared with run.py: one measuring run at a time

    alone = take_the_machine(plan.lock_wait_s)
    calib = json.loads(subprocess.run([str(python), str(env.HERE / "apps.py")], capture_output=True, text=True,
                                      check=True, timeout=120, start_new_session=True,
                                      preexec_fn=servers.prepare_child).stdout)
    slack_ms = calib["sleep_1ms_ms"] - 1.0
    machine = env.machine(python, wrk)
    machine.update(db.versions())
    cores = machine["cores"]
    database = db.Database(ROOT / "target", rows=plan.rows, pg_port=args.pg_port or 0,
                           bouncer_port=args.bouncer_port or 0, keep=args.keep_db)
    series_out = []
    try:
        database.start()
        with tempfile.TemporaryDirectory(prefix="real-db-logs-") as log_dir:
            harness = Harness(plan, database, python.parent, wrk, calib["loops_per_ms"], Path(log_dir))
            for sid in plan.series:
                series = BY_ID[sid]
                levels = plan.overrides.get(sid, plan.levels)
                database.start_bouncer(series.bouncer_pool)
                described = describe(series, plan, calib["loops_per_ms"])
                log(f"{sid}: calibrating ({series.server}, {series.route})")
                try:
                    cal = harness.calibrate(series)
                except RuntimeError as e:
                    # A server that crashes while being calibrated: this series cannot be
                    # simulated; the others go on.
                    log(f"{sid}: calibration FAILED: {str(e)[-800:]}")
                    series_out.append({**described, "status": "failed", "reason": str(e)[-3000:],
                                       "calibration": None, "scenario": None, "points": []})
                    continue
                io_ms = series.io_ms + slack_ms if series.io_ms else 0.0
                scenario = simulate.db_scenario(
                    dbservers.BY_ID[series.server].sim_server, series.processes, series.threads, cores,
                    cal["cpu_ms"], cal["overhead_us"], cal["db_ms"], series.db_pool, series.bouncer_pool,
                    io_ms=io_ms, blocking_share=series.block_share)
                scenario = fitted(explainer, scenario, cal, series.server)
                log(f"{sid}: overhead {cal['overhead_us']:.0f} us, app CPU {cal['cpu_ms']:.3f} ms, "
                    f"query {cal['db_ms']:.2f} ms as the app sees it, PostgreSQL+pgbouncer CPU "
                    f"{cal['db_cpu_ms_per_request']:.3f} ms per request")
                points = []
                params = {"processes": series.processes, "threads": series.threads,
                          "db_pool": series.db_pool, "bouncer_pool": series.bouncer_pool}
                for clients in levels:
                    point = {"clients": clients, "params": params, **harness.measure(series, clients)}
                    point["simulated"] = (simulate.simulate_db(
                        explainer, simulate.kept_alive(scenario, point["measured"]), clients)
                                          if point.get("measured") else None)
                    judge(point)
                    print_point(sid, point)
                    points.append(point)
                series_out.append({**described, "status": "ok", "calibration": cal, "scenario": scenario,
                                   "points": points})
    finally:
        database.stop()
    document = {
        "schema": 1,
        "about": "Python web servers with a real PostgreSQL (through pgbouncer) measured on this machine "
                 "with wrk --latency, next to the simulation of the same scenarios with the database "
                 "station. See bench/real/README.md.",
        "command": "python3 bench/real/run_db.py" + (" --subset" if args.subset else ""),
        "machine": machine,
        "method": method(plan, calib, slack_ms, alone),
        "series": series_out,
    }
    simulate_all(document, explainer)
    document["method"]["elapsed_s"] = round(time.monotonic() - started)
    write_json(document, out)
    summarize(document, out)
    return 0


def describe(series: Series, plan: Plan, loops_per_ms: int) -> dict:
    """What a series is, for the JSON: its server, route, regime, parameters, command."""
    server = dbservers.BY_ID[series.server]
    return {
        "id": series.id, "server": series.server, "label": server.label, "route": series.route,
        "regime": series.regime, "published_setup": series.published_setup,
        "processes": series.processes, "threads": series.threads, "db_pool": series.db_pool,
        "bouncer_pool": series.bouncer_pool,
        "command": " ".join(server.argv(Path("venv/bin"), 8000, series.processes, series.threads)),
        "app_env": {k: v for k, v in series.app_env("postgresql://bench@127.0.0.1:6432/bench", plan.rows,
                                                    loops_per_ms).items()
                    if k != "PYTHONDONTWRITEBYTECODE"},
    }


def lost_shares(me: dict, sim: dict) -> str:
    """The share of woken pool waiters that lost their connection, measured (the app's
    counters, one-process points only) and simulated, as a clause; '' when unknown."""
    stats = me.get("app_stats") or {}
    woken, simulated = stats.get("pool_wakeups"), sim.get("db_pool_lost_share")
    if not woken or simulated is None:
        return ""
    return (f" (woken waiters that lost their connection: {stats['pool_lost'] / woken:.0%} measured, "
            f"{simulated:.0%} simulated)")


def method(plan: Plan, calib: dict, slack_ms: float, alone: bool) -> dict:
    return {
        "load_generator": "wrk --latency -t1 -c<clients> -d<duration> --timeout 30s, after a "
                          f"{plan.warmup_s:g} s warm-up at the same concurrency that is not recorded",
        "load": "closed loop, no think time: the simulation's clients = N, think_ms = 0",
        "latency_source": "wrk's own latency histogram (microsecond resolution), the one --latency prints; "
                          "read through a Lua done() hook (report.lua)",
        "coordinated_omission": "wrk is closed-loop: a connection sends its next request only after the "
                                "previous reply, so a stalled server also stops the load and the stall "
                                "is counted once, not once per request that would have been sent meanwhile. "
                                "The latencies are those of the requests actually sent; an open-loop user "
                                "population would see worse tails. The simulation is run closed-loop too, "
                                "so the two are compared like for like.",
        "duration_s": plan.duration_s, "max_duration_s": plan.max_duration_s,
        "min_replies_per_connection": MIN_REPLIES,
        "fresh_server_per_point": True,
        "quiet": {"other_cores_max": plan.quiet_cores, "attempts": plan.attempts,
                  "wait_s": plan.quiet_wait_s,
                  "rule": "before each attempt wait (bounded) for a second in which other processes use at "
                          "most other_cores_max; after it, an attempt during which they used more is "
                          "measured again; a point never quiet is excluded, not judged"},
        "little": {"tolerance": LITTLE_TOLERANCE,
                   "rule": "clients = throughput x mean latency within 10%, else excluded"},
        "agreement": {"throughput_tolerance": THROUGHPUT_TOLERANCE, "p99_tolerance": P99_TOLERANCE},
        "rows": plan.rows, "db_sleep_ms": DB_SLEEP_MS,
        "loops_per_ms": calib["loops_per_ms"], "sleep_slack_ms": round(slack_ms, 4),
        "cpu_accounting": "schedstat of each process group's threads (server, PostgreSQL, pgbouncer), "
                          "rusage of wrk and of the harness, /proc/stat for the machine; other_cores = "
                          "the machine's task time plus steal, less all of those; interrupts apart",
        "database": {"postgresql": {"max_connections": db.MAX_CONNECTIONS, "fsync": "off",
                                    "autovacuum": "off", "shared_buffers": "256MB",
                                    "run_as": db.OS_USER, "listen": "127.0.0.1"},
                     "pgbouncer": {"pool_mode": "transaction", "default_pool_size": "per series",
                                   "run_as": db.OS_USER, "listen": "127.0.0.1"},
                     "drivers": "psycopg 3 (prepare_threshold=None, autocommit) with psycopg_pool; "
                                "asyncpg (statement_cache_size=0): prepared statements off for "
                                "pgbouncer's transaction pooling"},
        "calibration": "apart from the judged runs, per series: /plain kept busy on one process "
                       "-> overhead_us; the series' route kept busy on the series' processes, "
                       "threads and pool -> cpu_ms (less the overhead) and the CPU of PostgreSQL, pgbouncer and wrk per request "
                       "(colocated_cpu_ms); the route with 1 client and a pool of 1 on one process, "
                       f"{plan.lone_runs} time(s), the run with the median p99 kept -> db_ms (query time "
                       "as the app sees it), db_release_ms for asyncpg (giving the connection back: its "
                       "reset round trip) and cv (its p99 over p50). Bias directions in "
                       "bench/real/README.md.",
        "alone": alone,
        "priority": f"servers, wrk, PostgreSQL and pgbouncer in their own scheduler autogroups at nice "
                    f"{servers.PRIORITY}",
    }


def print_point(sid: str, point: dict) -> None:
    me, sim = point.get("measured"), point.get("simulated") or {}
    if not me:
        log(f"{sid:32} c={point['clients']:<4} {point['status'].upper()}: {point['reason'][:300]}")
        return
    s = (f"sim {sim['throughput_rps']:8.1f} req/s p99 {sim['p99_ms']:8.1f}" if sim.get("status") == "ok"
         else f"sim {sim.get('status', '-')}")
    log(f"{sid:32} c={point['clients']:<4} {me['throughput_rps']:8.1f} req/s p50 {me['p50_ms']:7.1f} "
        f"p99 {me['p99_ms']:8.1f} mean {me['mean_ms']:7.1f} ms | little {me.get('little', {}).get('error', 0):+.1%}"
        f" | cores srv {me['server_cores']:.2f} db {me['db_cores']:.2f} wrk {me['wrk_cores']:.2f} "
        f"other {me['other_cores']:.2f} | {s} | {point['status']}"
        + (f" ({point['reason'][:120]})" if point.get("reason") else ""))


def summarize(document: dict, out: Path) -> None:
    a = document["agreement"]
    log(f"wrote {out}: {a['points']} points, {a['judged']} judged, {a['simulated']} simulated, "
        f"{a['pending']} pending simulation; {a['agree']} agree"
        + (f" ({a['share']:.0%}; criterion {'met' if a['met'] else 'NOT met'})" if a["share"] is not None else ""))
    for m in a["misses"]:
        log(f"  miss: {m['series']} c={m['clients']}: {m['facts']}")
    for x in a["not_judged"]:
        log(f"  not judged: {x['series']} c={x['clients']} {x['status']}: {x['reason'][:200]}")
    for x in a.get("failed_series", []):
        log(f"  series failed: {x['series']}: {x['reason'][:200]}")


def apply_options(plan: Plan, args: argparse.Namespace) -> Plan:
    changes = {}
    if args.series:
        unknown = [s for s in args.series.split(",") if s not in BY_ID]
        if unknown:
            raise ValueError(f"unknown series {', '.join(unknown)}; known: {', '.join(BY_ID)}")
        changes["series"] = args.series.split(",")
    if args.levels:
        changes["levels"] = [int(x) for x in args.levels.split(",")]
        if any(n < 1 for n in changes["levels"]):
            raise ValueError(f"--levels {args.levels}: every level must be at least 1")
        changes["overrides"] = {}
    if args.set:
        allowed = ("processes", "threads", "db_pool", "bouncer_pool")
        values = {}
        for item in args.set:
            key, _, value = item.partition("=")
            if key not in allowed or not value.isdigit() or int(value) < 1:
                raise ValueError(f"--set {item}: expected KEY=N with KEY one of {', '.join(allowed)}")
            values[key] = int(value)
        for sid in changes.get("series", plan.series):
            BY_ID[sid] = replace(BY_ID[sid], **values)
    for name in ("duration_s", "rows", "attempts", "quiet_cores", "quiet_wait_s"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    return replace(plan, **changes)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=(
        "Series: " + "; ".join(f"{s.id} ({s.regime})" for s in SERIES)),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--subset", action="store_true", help="a few points, about a minute")
    p.add_argument("--out", help="JSON output (default: content/data/measured-db.json, or "
                                 "target/real-db-subset.json with --subset)")
    p.add_argument("--resimulate", metavar="FILE", help="simulate the points of FILE again (e.g. once "
                   "`explainer simulate` knows the database keys) and rewrite it; measures nothing")
    p.add_argument("--explainer", help="the explainer binary (default: target/release/explainer if "
                                       "built; never builds it). Without one, simulations are pending")
    p.add_argument("--no-sim", action="store_true", help="record every simulation as pending")
    p.add_argument("--venv", help="virtual environment to use or create (default: target/real-db-venv)")
    p.add_argument("--series", help="comma-separated series ids, to run only those")
    p.add_argument("--levels", help="comma-separated concurrency levels (default 1,4,16,32,64,128,256)")
    p.add_argument("--set", action="append", metavar="KEY=N",
                   help="override processes, threads, db_pool or bouncer_pool in every selected series "
                        "(repeatable); the values are recorded in each series and point")
    p.add_argument("--duration", dest="duration_s", type=float, help="seconds per point (default 5)")
    p.add_argument("--rows", type=int, help="rows of the generated table (default 1,000,000; 100,000 "
                                            "with --subset)")
    p.add_argument("--attempts", type=int, help="measurements of a point while others are busy (default 3)")
    p.add_argument("--quiet-cores", dest="quiet_cores", type=float,
                   help="other processes' cores above which a window is not quiet (default 0.3)")
    p.add_argument("--quiet-wait", dest="quiet_wait_s", type=float,
                   help="seconds to wait for a quiet window before each attempt (default 30)")
    p.add_argument("--pg-port", type=int, help="PostgreSQL's port (default: a free one)")
    p.add_argument("--bouncer-port", type=int, help="pgbouncer's port (default: a free one)")
    p.add_argument("--keep-db", action="store_true", help="keep target/real-db/run-PID afterwards")
    return p.parse_args()


if __name__ == "__main__":
    sys.exit(main())
