"""The simulation's prediction for a measured point: the same scenario, given to
`explainer simulate FILE.toml --json`.

The scenario is the measured one (server kind, workers, cores, closed clients with no
think time, constant service times) with `cpu_ms` raised by the server's calibrated
overhead per request. `switch_us` is 0 because the calibration already includes the
switches a request causes; counting them again would charge them twice.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import tempfile
from pathlib import Path

from servers import Server


def base_scenario(server: Server, cores: int, cpu_ms: float, io_ms: float) -> dict:
    """Every key but `clients`: what a widget needs to draw the simulated curve. The
    overhead is already in `cpu_ms`, so `overhead_us` is 0; gthread is one process of
    `server.workers` threads."""
    scenario = {"server": server.sim_server}
    if server.sim_server == "threads":
        scenario.update({"workers": 1, "threads": server.workers})
    else:
        scenario["workers"] = server.workers
    scenario.update({
        "cores": cores,
        "think_ms": 0,
        "cpu_ms": round(cpu_ms, 4),
        "overhead_us": 0,
        "io_ms": round(io_ms, 4),
        "io_calls": 1 if io_ms > 0 else 0,
        "service": "constant",
        "switch_us": 0,
        "queue_limit": 2048,  # the servers' --backlog
    })
    return scenario


def run_point(explainer: str, scenario: dict, clients: int, timeout_s: float) -> subprocess.CompletedProcess:
    """`explainer simulate --json` on the scenario at `clients`, with enough completions
    after a warmup of several per client for a steady state."""
    full = {**scenario, "clients": clients, "requests": 40_000, "warmup": max(2_000, 5 * clients)}
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        f.write(to_toml(full))
        path = Path(f.name)
    try:
        return subprocess.run([explainer, "simulate", str(path), "--json"],
                              capture_output=True, text=True, timeout=timeout_s)
    finally:
        path.unlink()


def simulate(explainer: str, scenario: dict, clients: int) -> dict:
    result = run_point(explainer, scenario, clients, 120)
    if result.returncode != 0:
        raise RuntimeError(f"simulate failed: {result.stderr}\n{to_toml({**scenario, 'clients': clients})}")
    report = json.loads(result.stdout)
    return {
        "throughput_rps": round(report["throughput_rps"], 2),
        "p50_ms": round(report["latency_ms"]["p50"], 2),
        "p99_ms": round(report["latency_ms"]["p99"], 2),
        "mean_ms": round(report["latency_ms"]["mean"], 2),
        "cpu_utilization": round(report["cpu_utilization"], 3),
    }


def to_toml(table: dict) -> str:
    lines = []
    for key, value in table.items():
        lines.append(f'{key} = "{value}"' if isinstance(value, str) else f"{key} = {value}")
    return "\n".join(lines) + "\n"


# --- The database series ----------------------------------------------------------------
#
# The scenario carries the database station's keys (db_ms, db_calls, db_pool,
# db_connections), `threads` for gthread, and the calibrated server overhead in
# `overhead_us` apart from the app's own CPU in `cpu_ms`. A binary that does not know a
# key yet refuses the scenario (exit code 2, the key named in its message); the point's
# simulated part is then recorded as pending, with that message, instead of failing the
# run, and `run_db.py --resimulate FILE` fills it in later without measuring again.


def db_scenario(sim_server: str, processes: int, threads: int, cores: int, cpu_ms: float,
                overhead_us: float, db_ms: float, db_pool: int, db_connections: int,
                io_ms: float = 0.0, blocking_share: float = 0.0) -> dict:
    """Every key but `clients` (add `clients`, `requests` and `warmup` to run a point);
    `calibrated` adds what the calibration says beyond the means."""
    scenario = {"server": sim_server, "workers": processes}
    if sim_server == "threads":
        scenario["threads"] = threads
    scenario.update({
        "cores": cores,
        "think_ms": 0,
        "cpu_ms": round(cpu_ms, 4),
        "overhead_us": round(overhead_us, 1),
        "io_ms": round(io_ms, 4),
        "io_calls": 1 if io_ms > 0 else 0,
        "db_ms": round(db_ms, 4),
        "db_calls": 1,
        "db_pool": db_pool,
        "db_connections": db_connections,
        "service": "constant",
        "switch_us": 0,
        "queue_limit": 2048,  # the servers' --backlog
    })
    if blocking_share > 0:
        scenario["blocking_share"] = blocking_share
    return scenario


def calibrated(scenario: dict, calibration: dict) -> dict:
    """`scenario` with what the calibration says beyond the means: the CPU taken on the
    same cores by the database and wrk, and the spread of a request's time. The spread
    is the lone client's (its p99 over p50, one request at a time, so no queueing in
    it), drawn lognormal. Constant times would be wrong here as well as narrow: in a
    closed loop they keep clients in lockstep, so their CPU bursts always collide. This
    first guess at its cv is refined by `fit_spread`."""
    out = dict(scenario)
    colocated = colocated_cpu_ms(calibration)
    if colocated > 0:
        out["colocated_cpu_ms"] = round(colocated, 4)
    lone = lone_client(calibration, "measured")
    if lone.get("p50_ms") and lone.get("p99_ms"):
        out["service"] = "lognormal"
        out["cv"] = round(lognormal_cv(lone["p50_ms"], lone["p99_ms"]), 4)
    return out


def lone_client(calibration: dict, part: str) -> dict:
    """One part of the calibration's lone-client run (`measured`, `app_stats`), or {}
    when the calibration has no such run or part."""
    return (calibration.get("db_run") or {}).get(part) or {}


def lognormal_cv(p50: float, p99: float) -> float:
    """The cv of the lognormal whose p99 is `p99 / p50` times its median (at least 0.01)."""
    sigma = math.log(p99 / p50) / 2.3263
    return max(0.01, math.sqrt(math.expm1(sigma * sigma)))


def fit_spread(explainer: str | None, scenario: dict, calibration: dict) -> dict:
    """`scenario` with the `cv` at which its simulated lone client has the p99 over p50
    that the calibration's lone client measured. A request's CPU and its query are drawn
    apart, each with that cv, so their sum spreads less than either: a cv read straight
    off the lone client's latency would give too narrow a simulated one. Bisection over
    cv on one-client runs of the simulation itself; calibration data only."""
    lone = lone_client(calibration, "measured")
    if not explainer or not lone.get("p50_ms") or not lone.get("p99_ms") or scenario.get("service") != "lognormal":
        return scenario
    target = lone["p99_ms"] / lone["p50_ms"]

    def ratio(cv: float) -> float | None:
        got = simulate_db(explainer, {**scenario, "cv": round(cv, 4)}, 1)
        return got["p99_ms"] / got["p50_ms"] if got.get("status") == "ok" and got["p50_ms"] > 0 else None

    low, high = 0.01, 3.0
    if (ratio(low) or target) >= target:
        return {**scenario, "cv": low}
    if (ratio(high) or target) <= target:
        return {**scenario, "cv": high}
    for _ in range(14):  # to about 0.02% of the range, in log steps
        mid = math.sqrt(low * high)
        r = ratio(mid)
        if r is None:
            return scenario
        low, high = (mid, high) if r < target else (low, mid)
    return {**scenario, "cv": round(math.sqrt(low * high), 4)}


def with_pool_queue(scenario: dict, pool_queue: str) -> dict:
    """`scenario` with its pool's way of handing over a connection, where it has a pool
    to wait for."""
    out = dict(scenario)
    out.pop("db_pool_queue", None)
    if pool_queue != "fifo" and out.get("db_pool", 0) > 0:
        out["db_pool_queue"] = pool_queue
    return out


def with_release(scenario: dict, calibration: dict, round_trip: bool) -> dict:
    """`scenario` with the round trip its driver makes to give a connection back
    (`db_release_ms`: the mean the app timed for the calibration's lone client, from the
    end of the query to the connection back in the pool), where it makes one."""
    out = dict(scenario)
    out.pop("db_release_ms", None)
    release_ms = lone_client(calibration, "app_stats").get("release_ms_mean")
    if round_trip and release_ms:
        out["db_release_ms"] = round(release_ms, 4)
    return out


def colocated_cpu_ms(calibration: dict) -> float:
    """The CPU the database and the load generator take per request, from a series'
    calibration (under load, on the same cores as the server)."""
    return (calibration.get("db_cpu_ms_per_request") or 0.0) + (calibration.get("wrk_cpu_ms_per_request") or 0.0)


def kept_alive(scenario: dict, measured: dict | None) -> dict:
    """`scenario` with the split of kept-alive connections over the processes that the
    point measured (`busiest_share`): threads and event loops keep each wrk connection
    on the process that accepted it, and Linux gives most of them to one process. The
    split is the kernel's choice at connect time, an input here as the process count
    is, not something the model predicts. (Which servers keep connections is the
    model's rule, `Scenario::keeps_connections`: sync workers close each one.)"""
    counts = (measured or {}).get("connections_by_process") or []
    if scenario.get("workers", 1) < 2 or not sum(counts):
        return scenario
    share = max(counts) / sum(counts)
    return {**scenario, "busiest_share": round(max(share, 1 / scenario["workers"]), 4)}


def simulate_db(explainer: str | None, scenario: dict, clients: int) -> dict:
    """The simulation of one point: {status: "ok", throughput_rps, p50_ms, p99_ms,
    mean_ms, ...}, or {status: "pending" | "error", reason}. Never raises: the
    measurements must survive a simulation that cannot run yet."""
    if not explainer or not Path(explainer).exists():
        return {"status": "pending", "reason": f"no explainer binary at {explainer}"}
    try:
        result = run_point(explainer, scenario, clients, 300)
    except (OSError, subprocess.TimeoutExpired) as e:
        return {"status": "error", "reason": f"explainer simulate: {e}"}
    message = (result.stderr or result.stdout).strip()
    if result.returncode == 2 and "unknown key" in message:
        key = re.search(r"key `([^`]+)`: unknown key", message)
        return {"status": "pending",
                "reason": f"explainer simulate does not know the key `{key.group(1)}` yet" if key
                else message.splitlines()[0][:300]}
    if result.returncode != 0:
        return {"status": "error", "reason": message[:500]}
    try:
        report = json.loads(result.stdout)
        out = {
            "status": "ok",
            "throughput_rps": round(report["throughput_rps"], 2),
            "p50_ms": round(report["latency_ms"]["p50"], 3),
            "p99_ms": round(report["latency_ms"]["p99"], 3),
            "mean_ms": round(report["latency_ms"]["mean"], 3),
        }
    except (ValueError, KeyError, TypeError) as e:
        return {"status": "error", "reason": f"unreadable report ({e}): {result.stdout[:300]}"}
    for key in ("cpu_utilization", "db_utilization", "db_pool_lost_share"):
        if isinstance(report.get(key), (int, float)):
            out[key] = round(report[key], 4)
    if isinstance(report.get("db_wait_ms"), dict):
        out["db_wait_ms"] = {k: round(v, 3) for k, v in report["db_wait_ms"].items()
                             if isinstance(v, (int, float))}
    return out
