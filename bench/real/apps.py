"""The benchmark's application: two handlers served as WSGI (gunicorn's workers) and ASGI (uvicorn).

Routes, the same for both:

- ``/io/N``: waits N ms, standing for a database call. ``time.sleep`` under sync
  servers (gunicorn's gevent worker monkey-patches it into a greenlet switch), ``await
  asyncio.sleep`` under uvicorn.
- ``/cpu/N``: a pure-Python loop of about N ms, which holds the GIL throughout.
- anything else: answers at once (used to see that a server is up).

No framework: its cost per request would hide the difference between the servers.
``BENCH_LOOPS_PER_MS`` (set by the harness from ``loops_per_ms()``) sizes the loop.
"""

from __future__ import annotations

import asyncio
import os
import time

LOOPS_PER_MS = int(os.environ.get("BENCH_LOOPS_PER_MS", "20000"))
BODY = b"ok\n"
HEADERS = [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))]


def burn(loops: int) -> int:
    """CPU work in pure Python; the result is returned so the loop cannot be skipped."""
    x = 0
    for i in range(loops):
        x += i * i % 7
    return x


def route(path: str) -> tuple[str, float]:
    """'/io/50' -> ('io', 50.0); unknown paths -> ('noop', 0)."""
    parts = path.strip("/").split("/")
    if len(parts) == 2 and parts[0] in ("io", "cpu"):
        try:
            return parts[0], float(parts[1])
        except ValueError:
            pass
    return "noop", 0.0


def wsgi(environ, start_response):
    kind, ms = route(environ.get("PATH_INFO", "/"))
    if kind == "io":
        time.sleep(ms / 1000)
    elif kind == "cpu":
        burn(int(ms * LOOPS_PER_MS))
    start_response("200 OK", HEADERS)
    return [BODY]


ASGI_HEADERS = [(k.lower().encode(), v.encode()) for k, v in HEADERS]


async def asgi(scope, receive, send):
    if scope["type"] != "http":
        return  # uvicorn runs with --lifespan off; nothing else is expected
    kind, ms = route(scope["path"])
    if kind == "io":
        await asyncio.sleep(ms / 1000)
    elif kind == "cpu":
        burn(int(ms * LOOPS_PER_MS))
    await send({"type": "http.response.start", "status": 200, "headers": ASGI_HEADERS})
    await send({"type": "http.response.body", "body": BODY})


def loops_per_ms(trials: int = 7) -> int:
    """Loop iterations per ms on this machine. The fastest of several trials, because
    other processes on a shared machine only ever make a trial slower."""
    n = 200_000
    best = min(_timed(lambda: burn(n)) for _ in range(trials))
    return int(n / (best * 1000))


def sleep_ms(ms: float = 1.0, trials: int = 50) -> float:
    """What `time.sleep(ms)` really takes, ms (timer slack adds tens of µs)."""
    times = sorted(_timed(lambda: time.sleep(ms / 1000)) for _ in range(trials))
    return times[len(times) // 2] * 1000


def _timed(f) -> float:
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


if __name__ == "__main__":
    # `python apps.py` prints the two calibrations as JSON, for the harness.
    import json

    print(json.dumps({"loops_per_ms": loops_per_ms(), "sleep_1ms_ms": sleep_ms()}))
