"""The database benchmark's applications: one set of routes in three frameworks, and
what they share (configuration, the routes' work, query timings, the asyncpg pool). Each
framework is in a module of its own, so that a server imports only its own framework
(its memory is measured):

- dbapp_flask: Flask (WSGI) with psycopg 3 and a psycopg_pool ConnectionPool, served by
  gunicorn's sync, gthread and gevent workers. psycopg (3.1.14 and later) sees gevent's
  monkey-patching by itself and then waits on sockets cooperatively; it must therefore be
  imported after the patching, which gunicorn's gevent worker does before it loads the
  app. No psycogreen: that is for psycopg2.
- dbapp_starlette: Starlette (ASGI) with an asyncpg pool, served by uvicorn on asyncio
  or uvloop.
- dbapp_aiohttp: aiohttp with an asyncpg pool, served by gunicorn's aiohttp worker.

Routes, the same in all three:

- ``/sleep``: one query, ``SELECT pg_sleep(BENCH_DB_SLEEP_MS / 1000)`` (Grinberg's shape:
  the database holds the request, without CPU).
- ``/pk``: one query, a primary-key select of a random row of the generated table
  (Paterson's shape: a cheap query whose cost is mostly the round trip).
- ``/mixed``: half of BENCH_CPU_MS of pure-Python CPU, the pg_sleep query, the other half
  (the simulation splits a request's CPU evenly around its waits; so does this).
- ``/blocking`` (asyncio only): the pg_sleep query, awaited, then one wait of
  BENCH_IO_MS that blocks the event loop (``time.sleep`` in an ``async def``) with
  probability BENCH_BLOCK_SHARE and is awaited (``asyncio.sleep``) otherwise: the
  simulation's ``blocking_share``.
- ``/plain``: the framework's response alone (calibrates the server's own overhead).
- ``/ready``: ``SELECT 1`` through the pool (the harness's readiness check).
- ``/stats``, ``/stats/reset``: this process's query timings (calibration only).

Connections: a pool per process of exactly BENCH_POOL connections, all opened at start
(before readiness), so that no measured request pays for a connect. A request that finds
no free connection waits. psycopg_pool hands a returned connection straight to its
first waiter (FIFO). asyncpg's pool is an asyncio queue, which wakes its first waiter
but lets a newcomer that arrives before the waiter has run take the connection; the
waiter that lost goes back to the end of the line. That barging, not the driver, widens
the tail of the pool-limited async series (the simulation's pool is FIFO). Connections go through pgbouncer in transaction mode, so prepared statements are
off (psycopg ``prepare_threshold=None``, asyncpg ``statement_cache_size=0``) and every
query runs in autocommit (one round trip, no BEGIN/COMMIT), as asyncpg's pool does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import threading
import time

DSN = os.environ.get("BENCH_DSN", "postgresql://bench@127.0.0.1:6432/bench")
POOL = int(os.environ.get("BENCH_POOL", "4"))
DB_SLEEP_S = float(os.environ.get("BENCH_DB_SLEEP_MS", "20")) / 1000
ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
LOOPS_PER_MS = int(os.environ.get("BENCH_LOOPS_PER_MS", "20000"))
CPU_MS = float(os.environ.get("BENCH_CPU_MS", "0"))
IO_S = float(os.environ.get("BENCH_IO_MS", "0")) / 1000
BLOCK_SHARE = float(os.environ.get("BENCH_BLOCK_SHARE", "0"))

SLEEP_SQL = "SELECT pg_sleep({})"
PK_SQL = "SELECT a, b FROM test WHERE a = {}"


def burn(loops: int) -> int:
    """Pure-Python CPU work (holds the GIL); the result is used so it cannot be skipped."""
    x = 0
    for i in range(loops):
        x += i * i % 7
    return x


class Stats:
    """Per-process timings of the queries: how long a request waited for a pool
    connection, how long the query took as the app saw it (send to last row), and how
    long giving the connection back took (asyncpg's reset round trip). Kept
    as sums plus a bounded sample for percentiles; read by the calibration through
    ``/stats`` on a one-process server."""

    LIMIT = 20_000

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.count = 0
        self.query_s = 0.0
        self.acquire_s = 0.0
        self.release_s = 0.0
        self.sample: list[float] = []
        self.acquire_sample: list[float] = []
        self.release_sample: list[float] = []
        # asyncpg's pool queue (CountingGet): turns of woken waiters, and those
        # that found the connection taken by a task that ran first.
        self.pool_wakeups = 0
        self.pool_lost = 0

    def add(self, acquire_s: float, query_s: float, release_s: float) -> None:
        with self.lock:
            self.count += 1
            self.query_s += query_s
            self.acquire_s += acquire_s
            self.release_s += release_s
            if len(self.sample) < self.LIMIT:
                self.sample.append(query_s)
                self.acquire_sample.append(acquire_s)
                self.release_sample.append(release_s)

    def report(self) -> dict:
        with self.lock:
            query, acquire = percentiles_ms(self.sample), percentiles_ms(self.acquire_sample)
            release = percentiles_ms(self.release_sample)
            return {
                "pid": os.getpid(),
                "queries": self.count,
                "query_ms_mean": round(self.query_s / self.count * 1000, 4) if self.count else None,
                "query_ms_p50": query[0],
                "query_ms_p99": query[1],
                "acquire_ms_mean": round(self.acquire_s / self.count * 1000, 4) if self.count else None,
                "acquire_ms_p50": acquire[0],
                "acquire_ms_p99": acquire[1],
                "release_ms_mean": round(self.release_s / self.count * 1000, 4) if self.count else None,
                "release_ms_p50": release[0],
                "release_ms_p99": release[1],
                "pool_wakeups": self.pool_wakeups,
                "pool_lost": self.pool_lost,
            }


def percentiles_ms(sample: list[float]) -> tuple[float | None, float | None]:
    """p50 and p99 of a sample of seconds, in ms."""
    s = sorted(sample)
    if not s:
        return None, None
    return tuple(round(s[min(len(s) - 1, int(q * len(s)))] * 1000, 4) for q in (0.5, 0.99))


STATS = Stats()


def pk_sql() -> str:
    # A literal key, not a parameter: the same SQL text for both drivers.
    return PK_SQL.format(random.randint(1, ROWS))


# --- asyncpg, shared by Starlette and aiohttp (imported only when a pool opens) ------

_apool = None


class CountingGet:
    """Mixed into asyncpg's pool queue (an asyncio.LifoQueue subclass): counts what
    `asyncio.Queue.get` does with a woken waiter. The same loop as Python 3.11's `get` (a
    waiter that wakes to an empty queue waits again, at the back), plus two counters in
    STATS: two integer additions per wake-up."""

    async def get(self):
        woken = False
        while self.empty():
            if woken:
                STATS.pool_lost += 1
            getter = self._get_loop().create_future()
            self._getters.append(getter)
            try:
                await getter
            except:  # noqa: E722 -- as asyncio's own get: clean up on any exception
                getter.cancel()
                with contextlib.suppress(ValueError):
                    self._getters.remove(getter)
                if not self.empty() and not getter.cancelled():
                    self._wakeup_next(self._getters)
                raise
            woken = True
            STATS.pool_wakeups += 1
        return self.get_nowait()


async def open_apool() -> None:
    global _apool
    import asyncpg

    _apool = await asyncpg.create_pool(DSN, min_size=POOL, max_size=POOL, statement_cache_size=0,
                                       max_inactive_connection_lifetime=0)
    # Same queue, same items and waiters, asyncpg's own queue class underneath (it
    # prefers live connections); only `get` counts.
    queue_class = type(_apool._queue)
    _apool._queue.__class__ = type(f"Counting{queue_class.__name__}", (CountingGet, queue_class), {})


async def close_apool() -> None:
    if _apool is not None:
        await _apool.close()


# A diagnostic, never used by the series: BENCH_POOL_IMPL=queue replaces asyncpg's pool
# with a bare asyncio.LifoQueue of POOL connections (`reset`: the same, with asyncpg's
# reset round trip before a connection goes back), to tell the queue's ordering from the
# pool's own code. Set it in the harness's environment; the server inherits it.
_bare_queue = None


@contextlib.asynccontextmanager
async def bare_queue_connection(reset: bool):
    global _bare_queue
    import asyncpg

    if _bare_queue is None:
        _bare_queue = asyncio.LifoQueue()
        for _ in range(POOL):
            _bare_queue.put_nowait(await asyncpg.connect(DSN, statement_cache_size=0))
    conn = await _bare_queue.get()
    try:
        yield conn
    finally:
        if reset:
            await asyncio.shield(conn.reset())
        _bare_queue.put_nowait(conn)


async def aquery(sql: str):
    impl = os.environ.get("BENCH_POOL_IMPL")
    connection = (bare_queue_connection(impl == "reset") if impl in ("queue", "reset")
                  else _apool.acquire())
    start = time.perf_counter()
    async with connection as conn:
        got = time.perf_counter()
        rows = await conn.fetch(sql)
        done = time.perf_counter()
    STATS.add(got - start, done - got, time.perf_counter() - done)
    return rows


async def asleep_route() -> None:
    await aquery(SLEEP_SQL.format(DB_SLEEP_S))


async def apk_route() -> str:
    row = (await aquery(pk_sql()))[0]
    return json.dumps({"a": row["a"], "b": row["b"]})


async def amixed_route() -> None:
    half = int(CPU_MS / 2 * LOOPS_PER_MS)
    burn(half)
    await aquery(SLEEP_SQL.format(DB_SLEEP_S))
    burn(half)


async def ablocking_route() -> None:
    await aquery(SLEEP_SQL.format(DB_SLEEP_S))
    if random.random() < BLOCK_SHARE:
        time.sleep(IO_S)  # the mistake on purpose: a blocking call in an async handler
    else:
        await asyncio.sleep(IO_S)
