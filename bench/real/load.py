"""One load point: wrk against a running server for a fixed time, with the server's
memory sampled from /proc and the CPU that other processes took meanwhile.

wrk is a closed-loop generator: each of its connections sends the next request as soon
as the last reply arrives, which is the simulation's closed workload with no think time.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable

from servers import Running, group_pids, prepare_child

HERE = Path(__file__).resolve().parent
TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_ticks() -> int:
    """CPU ticks spent on anything (all cores) since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return user + nice + system + irq + softirq + steal


def group_ticks(pgid: int) -> int:
    total = 0
    for pid in group_pids(pgid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def memory_mb(pids: list[int]) -> tuple[float, float]:
    """Total RSS (shared pages counted in every process, as `top` adds up) and total PSS
    (shared pages divided among their sharers) of these processes, MB."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def connections_by_process(pids: list[int], port: int) -> list[int]:
    """Established TCP connections on `port` that each of these processes holds,
    busiest first. With keep-alive, which process serves a client is settled once, when
    the kernel hands its connection to one of them (/proc/net/tcp's sockets, matched to
    the processes' file descriptors by inode)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                f = line.split()
                if f[3] == "01" and int(f[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{f[9]}]")
    counts = []
    for pid in pids:
        held = 0
        with contextlib.suppress(OSError):
            for fd in os.scandir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    held += os.readlink(fd.path) in inodes
        if held:
            counts.append(held)
    return sorted(counts, reverse=True)


class Sampler(threading.Thread):
    """Peak memory of the server's group, sampled every half second, and (given the
    server's port) its connections per process, counted at `count_at_s` seconds after
    the start, keeping the count that saw the most.

    Counting reads the whole TCP table, TIME_WAIT sockets included: a sync server that
    closes every connection leaves tens of thousands of them, and counting every half
    second took the harness from 0.04 to 0.4 cores, out of the server's share. So it
    counts twice, once wrk's connections are open, and only where it is asked to."""

    def __init__(self, pgid: int, port: int | None = None, count_at_s: tuple[float, ...] = (1.0, 2.5)):
        super().__init__(daemon=True)
        self.pgid, self.port = pgid, port
        self.count_at_s = list(count_at_s)
        self.rss_mb = self.pss_mb = 0.0
        self.connections: list[int] = []
        self.halt = threading.Event()

    def run(self) -> None:
        start = time.monotonic()
        while True:
            pids = group_pids(self.pgid)  # one scan of /proc per sample
            rss, pss = memory_mb(pids)
            self.rss_mb, self.pss_mb = max(self.rss_mb, rss), max(self.pss_mb, pss)
            if self.port is not None and self.count_at_s and time.monotonic() - start >= self.count_at_s[0]:
                self.count_at_s.pop(0)
                seen = connections_by_process(pids, self.port)
                if sum(seen) > sum(self.connections):
                    self.connections = seen
            if self.halt.wait(0.5):
                return


def run_wrk(wrk: str, running: Running, path: str, connections: int, duration_s: float) -> dict:
    """Loads the server and returns throughput, latency, errors, memory and the CPU
    split: the server's cores, wrk's cores and every other process's cores."""
    sampler = Sampler(running.pgid)
    sampler.start()
    cmd = [wrk, "-t1", f"-c{connections}", f"-d{duration_s:g}s", "--timeout", "30s",
           "-s", str(HERE / "report.lua"), running.url(path)]
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_before, server_before, start = machine_busy_ticks(), group_ticks(running.pgid), time.monotonic()
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=duration_s + 60,
                            start_new_session=True, preexec_fn=prepare_child)
    elapsed = time.monotonic() - start
    server_ticks = group_ticks(running.pgid) - server_before
    busy_ticks = machine_busy_ticks() - busy_before
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler.halt.set()
    sampler.join()
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed: {result.stderr or result.stdout}")
    line = [x for x in result.stdout.splitlines() if x.startswith("{")][-1]
    w = json.loads(line)
    wrk_cpu = (children.ru_utime + children.ru_stime
               - children_before.ru_utime - children_before.ru_stime)
    server_cores = server_ticks / TICKS / elapsed
    wrk_cores = wrk_cpu / elapsed
    other = max(0.0, busy_ticks / TICKS / elapsed - server_cores - wrk_cores)
    seconds = w["duration_us"] / 1e6
    errors = sum(w[k] for k in ("connect_errors", "read_errors", "write_errors",
                                "status_errors", "timeouts"))
    return {
        "throughput_rps": round(w["requests"] / seconds, 2),
        "requests": w["requests"],
        "p50_ms": round(w["p50_us"] / 1000, 2),
        "p99_ms": round(w["p99_us"] / 1000, 2),
        "mean_ms": round(w["mean_us"] / 1000, 2),
        "errors": errors,
        # wrk stops at the deadline: with fewer replies than a few per connection the
        # latency percentiles describe the first pass through the queue, not a steady state.
        "steady": w["requests"] >= 3 * connections,
        "rss_mb": round(sampler.rss_mb, 1),
        "pss_mb": round(sampler.pss_mb, 1),
        "server_cores": round(server_cores, 2),
        "server_cpu_ms_per_request": round(1000 * server_ticks / TICKS / max(1, w["requests"]), 4),
        "wrk_cores": round(wrk_cores, 2),
        "other_cores": round(other, 2),
        "duration_s": round(seconds, 2),
    }


# --- The database series: a point with the CPU split five ways ------------------------


def machine_cpu_s() -> dict[str, float]:
    """CPU seconds since boot over all cores, from /proc/stat: `tasks` (user, nice,
    system: what processes ran), `irq` (hard and soft interrupts: on loopback mostly the
    network stack working for our own packets), `steal` (the hypervisor ran someone
    else while this machine wanted the core)."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = f[:8]
    return {"tasks": (user + nice + system) / TICKS, "irq": (irq + softirq) / TICKS, "steal": steal / TICKS}


def group_cpu_s(pgid: int) -> float:
    """CPU seconds of a process group's live threads, from schedstat (nanoseconds, so
    that a few hundred requests suffice for a calibration; the tick counts of
    /proc/PID/stat are 10 ms coarse)."""
    return pids_cpu_s(group_pids(pgid))


def pids_cpu_s(pids: list[int]) -> float:
    """CPU seconds of these processes' live threads, from schedstat."""
    total = 0
    for pid in pids:
        try:
            for task in os.scandir(f"/proc/{pid}/task"):
                with contextlib.suppress(OSError):
                    total += int(Path(task.path, "schedstat").read_text().split()[0])
        except OSError:
            continue
    return total / 1e9


def self_cpu_s() -> float:
    """CPU time of the harness itself (all its threads), so that its own sampling is not
    counted among the other processes."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def others_now(db_pids: Callable[[], list[int]], window_s: float = 1.0) -> float:
    """Cores used over `window_s` by processes other than the harness and the database
    (while no server or wrk runs), interrupts and steal included."""
    pids = db_pids()
    m, mine, ours = machine_cpu_s(), self_cpu_s(), pids_cpu_s(pids)
    start = time.monotonic()
    time.sleep(window_s)
    elapsed = time.monotonic() - start
    m2 = machine_cpu_s()
    used = sum(m2[k] - m[k] for k in ("tasks", "irq", "steal"))
    used -= pids_cpu_s(pids) - ours + self_cpu_s() - mine
    return max(0.0, used / elapsed)


def drain_s(wrk_stdout: str, connections: int, most_s: float = 30.0) -> float:
    """How long the requests a finished wrk run left in flight may take: one and a half
    times the longer of its slowest reply and the time its rate takes to serve one
    request per connection (a run shorter than one round of the queue has no reply that
    slow), and a fifth of a second; at most `most_s`."""
    lines = [x for x in wrk_stdout.splitlines() if x.startswith("{")]
    if not lines:
        return most_s
    w = json.loads(lines[-1])
    if w.get("requests", 0) <= 0:
        return most_s
    slowest_s = w.get("max_us", 0) / 1e6
    round_s = connections * w["duration_us"] / 1e6 / w["requests"]
    return min(most_s, 1.5 * max(slowest_s, round_s) + 0.2)


def run_point(wrk: str, running: Running, path: str, connections: int, duration_s: float,
              db_pids: Callable[[], list[int]], warmup_s: float = 1.0, threads: int = 1,
              count_connections: bool = False, before_measuring: Callable[[], None] | None = None) -> dict:
    """One database point: a warm-up (not recorded: the first requests of a fresh server
    pay for imports, caches and the first page faults), then `wrk --latency` for
    `duration_s`. Returns throughput, the latency summary of wrk's histogram, errors,
    memory and where the CPU went: the server's process group (`server_cores`), wrk
    (`wrk_cores`), PostgreSQL and pgbouncer (`db_cores`), the harness itself
    (`harness_cores`) and everything else on the machine (`other_cores`, the
    hypervisor's steal included, reported also alone as `steal_cores`). `irq_cores`
    (interrupts, mostly loopback networking for this traffic) is for information: the
    kernel charges them to the task they interrupt, so they are inside the others.
    `count_connections` adds wrk's connections per server process (worth it only where
    several processes keep connections open); `before_measuring` runs once the warm-up's
    requests are served, just before the measured run (to reset the app's own counters)."""
    # wrk's threads split the connections; more threads than connections is an error.
    threads = max(1, min(threads, connections))
    base = [wrk, f"-t{threads}", f"-c{connections}", "--timeout", "30s", "-s", str(HERE / "report.lua")]
    # wrk takes whole seconds only.
    duration_s, warmup_s = math.ceil(duration_s), math.ceil(warmup_s)
    drained_s = 0.0
    if warmup_s > 0:
        warm = subprocess.run(base + [f"-d{warmup_s:g}s", running.url(path)], capture_output=True,
                              text=True, timeout=warmup_s + 60, start_new_session=True,
                              preexec_fn=prepare_child)
        # When wrk stops, the requests it had in flight are still queued in the server,
        # which serves them for nobody (wasted work). Measuring at once would put the
        # first wave of the measured run behind them: a tail of about twice the steady
        # latency and a lower throughput, which are the warm-up's, not the server's. So
        # wait until they are done: the warm-up's slowest reply, with room to spare.
        drained_s = drain_s(warm.stdout, connections)
        time.sleep(drained_s)
    if before_measuring:
        before_measuring()
    sampler = Sampler(running.pgid, running.port if count_connections else None)
    sampler.start()
    cmd = base + ["--latency", f"-d{duration_s:g}s", running.url(path)]
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    m_before, mine_before = machine_cpu_s(), self_cpu_s()
    pids = db_pids()  # the database's processes live as long as the run (pools hold them)
    server_before, db_before = group_cpu_s(running.pgid), pids_cpu_s(pids)
    start = time.monotonic()
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=duration_s + 60,
                            start_new_session=True, preexec_fn=prepare_child)
    elapsed = time.monotonic() - start
    server_s = group_cpu_s(running.pgid) - server_before
    db_s = pids_cpu_s(pids) - db_before
    m_after = machine_cpu_s()
    mine = self_cpu_s() - mine_before
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler.halt.set()
    sampler.join()
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed: {(result.stderr or result.stdout).strip()[-500:]}")
    lines = [x for x in result.stdout.splitlines() if x.startswith("{")]
    if not lines:
        raise RuntimeError(f"wrk printed no summary: {result.stdout.strip()[-500:]}")
    w = json.loads(lines[-1])
    wrk_s = (children.ru_utime + children.ru_stime
             - children_before.ru_utime - children_before.ru_stime)
    tasks = m_after["tasks"] - m_before["tasks"]
    steal = m_after["steal"] - m_before["steal"]
    irq = m_after["irq"] - m_before["irq"]
    # Interrupts are charged to the task they interrupt (in its schedstat as in its
    # ticks), so the machine's total includes them; what is not ours is someone else's.
    other = max(0.0, tasks + irq + steal - server_s - db_s - wrk_s - mine)
    seconds = w["duration_us"] / 1e6
    requests = max(1, w["requests"])
    kinds = ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    cores = lambda x: round(x / elapsed, 3)  # noqa: E731
    per_request = lambda x: round(1000 * x / requests, 4)  # noqa: E731
    return {
        "throughput_rps": round(w["requests"] / seconds, 2),
        "requests": w["requests"],
        "p50_ms": round(w["p50_us"] / 1000, 3),
        "p90_ms": round(w["p90_us"] / 1000, 3),
        "p99_ms": round(w["p99_us"] / 1000, 3),
        "p999_ms": round(w["p999_us"] / 1000, 3),
        "max_ms": round(w["max_us"] / 1000, 3),
        "mean_ms": round(w["mean_us"] / 1000, 3),
        "stdev_ms": round(w["stdev_us"] / 1000, 3),
        "errors": sum(w[k] for k in kinds),
        "error_kinds": {k: w[k] for k in kinds if w[k]},
        "replies_per_connection": round(w["requests"] / connections, 1),
        "rss_mb": round(sampler.rss_mb, 1),
        "pss_mb": round(sampler.pss_mb, 1),
        # wrk's connections as the server's processes held them, busiest first.
        "connections_by_process": sampler.connections,
        "server_cores": cores(server_s),
        "server_cpu_ms_per_request": per_request(server_s),
        "db_cores": cores(db_s),
        "db_cpu_ms_per_request": per_request(db_s),
        "wrk_cores": cores(wrk_s),
        "wrk_cpu_ms_per_request": per_request(wrk_s),
        "harness_cores": cores(mine),
        "irq_cores": cores(irq),
        "steal_cores": cores(steal),
        "other_cores": cores(other),
        "duration_s": round(seconds, 2),
        # Seconds waited after the warm-up for the requests it left in flight.
        "drained_s": round(drained_s, 2),
    }
