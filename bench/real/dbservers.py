"""The application servers of the database series: their command lines and what the
simulation calls them.

Every server binds 127.0.0.1 on a port the harness chose, runs its app module
(dbapp_*.py) from this directory with the pool size and route parameters in its
environment, and is started and killed through servers.serving_argv (own session, death
signal, raised priority).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AppServer:
    id: str
    label: str
    framework: str  # flask | starlette | aiohttp
    sim_server: str  # the simulation's `server`
    serial: bool  # a worker (process or thread) holds one request at a time, waits included

    @property
    def asyncpg(self) -> bool:
        """Whether its driver is asyncpg (Starlette, aiohttp) rather than psycopg
        (Flask). What the simulation takes from the driver follows from this:

        - `db_pool_queue`: psycopg_pool hands a returned connection to its longest
          waiter; asyncpg's pool is an asyncio queue, where whoever runs first takes it
          (asyncpg/pool.py `Pool._acquire`, asyncio/queues.py `Queue.get`);
        - `db_release_ms`: asyncpg's pool resets each connection it takes back
          (`PoolConnectionHolder.release`, `Connection.reset`), a transaction of its own
          through pgbouncer; psycopg_pool takes back an idle autocommit connection
          without a round trip."""
        return self.framework != "flask"

    @property
    def pool_queue(self) -> str:
        """The simulation's `db_pool_queue` (see `asyncpg`)."""
        return "barging" if self.asyncpg else "fifo"

    def argv(self, bin_dir: Path, port: int, processes: int, threads: int = 1) -> list[str]:
        gunicorn = [str(bin_dir / "gunicorn"), "-b", f"127.0.0.1:{port}", "--backlog", "2048",
                    "-w", str(processes), "-c", "gunicorn_db.py", "--log-level", "warning",
                    "--timeout", "120"]
        uvicorn = [str(bin_dir / "uvicorn"), "dbapp_starlette:app", "--host", "127.0.0.1",
                   "--port", str(port), "--backlog", "2048", "--http", "httptools",
                   "--lifespan", "on", "--no-access-log", "--log-level", "warning",
                   "--workers", str(processes)]
        match self.id:
            case "flask-sync":
                return gunicorn + ["-k", "sync", "dbapp_flask:app"]
            case "flask-gthread":
                return gunicorn + ["-k", "gthread", "--threads", str(threads), "dbapp_flask:app"]
            case "flask-gevent":
                return gunicorn + ["-k", "gevent", "--worker-connections", "4096", "dbapp_flask:app"]
            case "starlette-asyncio":
                return uvicorn + ["--loop", "asyncio"]
            case "starlette-uvloop":
                return uvicorn + ["--loop", "uvloop"]
            case "aiohttp":
                return gunicorn + ["-k", "aiohttp.GunicornWebWorker", "dbapp_aiohttp:app_factory"]
        raise ValueError(self.id)


APP_SERVERS = [
    AppServer("flask-sync", "Flask + psycopg pool, gunicorn sync workers", "flask", "processes", True),
    AppServer("flask-gthread", "Flask + psycopg pool, gunicorn gthread", "flask", "threads", True),
    AppServer("flask-gevent", "Flask + psycopg pool, gunicorn gevent workers", "flask", "gevent", False),
    AppServer("starlette-asyncio", "Starlette + asyncpg pool, uvicorn (asyncio)", "starlette", "asyncio",
              False),
    AppServer("starlette-uvloop", "Starlette + asyncpg pool, uvicorn (uvloop)", "starlette", "uvloop", False),
    AppServer("aiohttp", "aiohttp + asyncpg pool, gunicorn aiohttp worker (asyncio)", "aiohttp", "asyncio",
              False),
]
BY_ID = {s.id: s for s in APP_SERVERS}
