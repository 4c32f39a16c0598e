"""The servers under test: how to start each one, what the simulation calls it, and how
to stop it for sure.

Each server runs in a session of its own, so that its whole process group (gunicorn's
master and workers) is killed at once, and dies with the harness (PR_SET_PDEATHSIG) if
the harness itself is killed. Servers and wrk run at a raised priority so that other
work on a shared machine (builds) disturbs the measurement less; a point during which
others still took CPU says so.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Server:
    id: str
    label: str
    sim_server: str  # the simulation's `server` key
    workers: int  # the simulation's `workers`: processes, threads, or event-loop processes
    serial: bool  # one worker handles one request at a time, waits included
    package: str = ""  # an optional package the server needs beyond requirements.txt

    def argv(self, bin_dir: Path, port: int, workers: int) -> list[str]:
        """The command line, with `workers` in place of the pool size (1 to calibrate)."""
        gunicorn = [str(bin_dir / "gunicorn"), "-b", f"127.0.0.1:{port}", "--backlog", "2048"]
        uvicorn = [str(bin_dir / "uvicorn"), "apps:asgi", "--host", "127.0.0.1",
                   "--port", str(port), "--backlog", "2048", "--http", "httptools",
                   "--lifespan", "off", "--no-access-log", "--log-level", "warning"]
        match self.id:
            case "gunicorn-sync":
                return gunicorn + ["-k", "sync", "-w", str(workers), "apps:wsgi"]
            case "gunicorn-gthread":
                return gunicorn + ["-k", "gthread", "-w", "1", "--threads", str(workers), "apps:wsgi"]
            case "gunicorn-gevent":
                return gunicorn + ["-k", "gevent", "-w", str(workers), "apps:wsgi"]
            case "meinheld":
                return gunicorn + ["-k", "egg:meinheld#gunicorn_worker", "-w", str(workers), "apps:wsgi"]
            case "uvicorn-asyncio":
                return uvicorn + ["--loop", "asyncio", "--workers", str(workers)]
            case "uvicorn-uvloop":
                return uvicorn + ["--loop", "uvloop", "--workers", str(workers)]
        raise ValueError(self.id)


SERVERS = [
    Server("gunicorn-sync", "gunicorn, 4 sync worker processes", "processes", 4, serial=True),
    Server("gunicorn-gthread", "gunicorn gthread, 1 process x 4 threads", "threads", 4, serial=True),
    Server("gunicorn-gevent", "gunicorn, 1 gevent worker", "gevent", 1, serial=False),
    Server("uvicorn-asyncio", "uvicorn, asyncio loop", "asyncio", 1, serial=False),
    Server("uvicorn-uvloop", "uvicorn, uvloop loop", "uvloop", 1, serial=False),
    Server("meinheld", "gunicorn, 1 meinheld worker", "gevent", 1, serial=False, package="meinheld"),
]
BY_ID = {s.id: s for s in SERVERS}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PRIORITY = -20  # nice value of the servers and of wrk, when allowed (root): the highest


def prepare_child() -> None:
    """Runs in a server's or wrk's process between fork and exec, after setsid: the
    child dies with the harness, and it runs ahead of the other work on a shared
    machine. Setsid put it in a new scheduler autogroup, and the kernel shares the CPU
    fairly between autogroups whatever their processes' nice values, so the autogroup's
    own nice value is the one that counts (`/proc/self/autogroup`, see sched(7))."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    with contextlib.suppress(OSError):
        Path("/proc/self/autogroup").write_text(str(PRIORITY))
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, 0, PRIORITY)


@dataclass
class Running:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def pgid(self) -> int:
        return self.process.pid  # start_new_session makes the leader's pid the group id

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def tail(self, lines: int = 20) -> str:
        """The server's last log lines (for a failure's report)."""
        try:
            text = "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
        return text or "(the log is empty)"


@contextlib.contextmanager
def serving(server: Server, bin_dir: Path, workers: int, env: dict[str, str], log_dir: Path):
    """Starts the server, waits until it answers, yields it, and always kills its group."""
    port = free_port()
    with serving_argv(server.id, server.argv(bin_dir, port, workers), port, env, log_dir,
                      settle_s=0.3 + 0.1 * workers) as running:
        yield running


@contextlib.contextmanager
def serving_argv(name: str, argv: list[str], port: int, env: dict[str, str], log_dir: Path,
                 settle_s: float = 0.3, ready_timeout_s: float = 30):
    """Starts a server from its command line (which must bind 127.0.0.1:`port`), waits
    until `/ready` answers, yields it, and always kills its process group."""
    log = Path(tempfile.mkstemp(prefix=f"{name}-", suffix=".log", dir=log_dir)[1])
    with open(log, "wb") as out:
        process = subprocess.Popen(
            argv,
            cwd=HERE,
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=prepare_child,
        )
    running = Running(name, port, process, log)
    try:
        _wait_ready(running, settle_s, ready_timeout_s)
        yield running
    finally:
        stop(running)


def stop(running: Running) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(running.pgid, signal.SIGKILL)
    running.process.wait(timeout=10)
    # Workers of a killed group are gone with it; wait until /proc agrees, so that the
    # next point starts on a quiet machine.
    deadline = time.monotonic() + 5
    while group_pids(running.pgid) and time.monotonic() < deadline:
        time.sleep(0.05)


def _wait_ready(running: Running, settle_s: float, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(f"{running.name} exited: {running.log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(running.url("/ready"), timeout=1) as response:
                if response.status == 200:
                    # One worker answered; give the other forked workers a moment to
                    # reach accept() too.
                    time.sleep(settle_s)
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{running.name} did not answer within {timeout_s} s; its last log lines:\n"
                       f"{running.tail()}")


def group_pids(pgid: int) -> list[int]:
    """Processes in a process group, from /proc."""
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid:  # fields after the command: state, ppid, pgrp, ...
            pids.append(int(entry.name))
    return pids
