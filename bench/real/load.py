"""One load point: wrk against a running server for a fixed time, with the server's
memory sampled from /proc and the CPU that other processes took meanwhile.

wrk is a closed-loop generator: each of its connections sends the next request as soon
as the last reply arrives, which is the simulation's closed workload with no think time.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import threading
import time
from pathlib import Path

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


def group_memory_mb(pgid: int) -> tuple[float, float]:
    """Total RSS (shared pages counted in every process, as `top` adds up) and total PSS
    (shared pages divided among their sharers) of a process group, MB."""
    rss = pss = 0
    for pid in group_pids(pgid):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


class Sampler(threading.Thread):
    """Peak memory of the server's group, sampled every half second."""

    def __init__(self, pgid: int):
        super().__init__(daemon=True)
        self.pgid = pgid
        self.rss_mb = self.pss_mb = 0.0
        self.halt = threading.Event()

    def run(self) -> None:
        while True:
            rss, pss = group_memory_mb(self.pgid)
            self.rss_mb, self.pss_mb = max(self.rss_mb, rss), max(self.pss_mb, pss)
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


# --- The database series: a point with the CPU split four ways -----------------------


def groups_ticks(pgids: list[int]) -> int:
    return sum(group_ticks(g) for g in pgids)


def self_cpu_s() -> float:
    """CPU time of the harness itself (all its threads), so that its own sampling is not
    counted among the other processes."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def others_now(pgids: list[int], window_s: float = 1.0) -> float:
    """Cores used over `window_s` by processes other than the harness and the given
    process groups (the database, while no server or wrk runs)."""
    busy, mine, ours = machine_busy_ticks(), self_cpu_s(), groups_ticks(pgids)
    start = time.monotonic()
    time.sleep(window_s)
    elapsed = time.monotonic() - start
    busy = (machine_busy_ticks() - busy) / TICKS
    ours = (groups_ticks(pgids) - ours) / TICKS
    mine = self_cpu_s() - mine
    return max(0.0, (busy - ours - mine) / elapsed)


def run_point(wrk: str, running: Running, path: str, connections: int, duration_s: float,
              db_pgids: list[int], warmup_s: float = 1.0) -> dict:
    """One database point: a warm-up (not recorded: the first requests of a fresh server
    pay for imports, caches and the first page faults), then `wrk --latency` for
    `duration_s`. Returns throughput, the latency summary of wrk's histogram, errors,
    memory and where the CPU went: the server's process group (`server_cores`), wrk
    (`wrk_cores`), PostgreSQL and pgbouncer (`db_cores`), the harness itself
    (`harness_cores`) and everything else on the machine (`other_cores`)."""
    base = [wrk, "-t1", f"-c{connections}", "--timeout", "30s", "-s", str(HERE / "report.lua")]
    if warmup_s > 0:
        subprocess.run(base + [f"-d{warmup_s:g}s", running.url(path)], capture_output=True, text=True,
                       timeout=warmup_s + 60, start_new_session=True, preexec_fn=prepare_child)
    sampler = Sampler(running.pgid)
    sampler.start()
    cmd = base + ["--latency", f"-d{duration_s:g}s", running.url(path)]
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_before, mine_before = machine_busy_ticks(), self_cpu_s()
    server_before, db_before = group_ticks(running.pgid), groups_ticks(db_pgids)
    start = time.monotonic()
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=duration_s + 60,
                            start_new_session=True, preexec_fn=prepare_child)
    elapsed = time.monotonic() - start
    server_ticks = group_ticks(running.pgid) - server_before
    db_ticks = groups_ticks(db_pgids) - db_before
    busy_ticks = machine_busy_ticks() - busy_before
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
    wrk_cpu = (children.ru_utime + children.ru_stime
               - children_before.ru_utime - children_before.ru_stime)
    server_cores = server_ticks / TICKS / elapsed
    db_cores = db_ticks / TICKS / elapsed
    wrk_cores = wrk_cpu / elapsed
    harness_cores = mine / elapsed
    other = max(0.0, busy_ticks / TICKS / elapsed - server_cores - db_cores - wrk_cores - harness_cores)
    seconds = w["duration_us"] / 1e6
    requests = max(1, w["requests"])
    errors = sum(w[k] for k in ("connect_errors", "read_errors", "write_errors",
                                "status_errors", "timeouts"))
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
        "errors": errors,
        "error_kinds": {k: w[k] for k in ("connect_errors", "read_errors", "write_errors",
                                          "status_errors", "timeouts") if w[k]},
        "replies_per_connection": round(w["requests"] / connections, 1),
        "rss_mb": round(sampler.rss_mb, 1),
        "pss_mb": round(sampler.pss_mb, 1),
        "server_cores": round(server_cores, 3),
        "server_cpu_ms_per_request": round(1000 * server_ticks / TICKS / requests, 4),
        "db_cores": round(db_cores, 3),
        "db_cpu_ms_per_request": round(1000 * db_ticks / TICKS / requests, 4),
        "wrk_cores": round(wrk_cores, 3),
        "wrk_cpu_ms_per_request": round(1000 * wrk_cpu / requests, 4),
        "harness_cores": round(harness_cores, 3),
        "other_cores": round(other, 3),
        "duration_s": round(seconds, 2),
    }
