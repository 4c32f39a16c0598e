"""The simulation's prediction for a measured point: the same scenario, given to
`explainer simulate FILE.toml --json`.

The scenario is the measured one (server kind, workers, cores, closed clients with no
think time, constant service times) with `cpu_ms` raised by the server's calibrated
overhead per request. `switch_us` is 0 because the calibration already includes the
switches a request causes; counting them again would charge them twice.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from servers import Server


def base_scenario(server: Server, cores: int, cpu_ms: float, io_ms: float) -> dict:
    """Every key but `clients`: what a widget needs to draw the simulated curve."""
    return {
        "server": server.sim_server,
        "workers": server.workers,
        "cores": cores,
        "think_ms": 0,
        "cpu_ms": round(cpu_ms, 4),
        "io_ms": round(io_ms, 4),
        "io_calls": 1 if io_ms > 0 else 0,
        "service": "constant",
        "switch_us": 0,
        "queue_limit": 2048,  # the servers' --backlog
    }


def simulate(explainer: str, scenario: dict, clients: int) -> dict:
    # Enough completions after a warmup of several per client for a steady state.
    full = {**scenario, "clients": clients, "requests": 40_000, "warmup": max(2_000, 5 * clients)}
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        f.write(to_toml(full))
        path = Path(f.name)
    try:
        result = subprocess.run([explainer, "simulate", str(path), "--json"],
                                capture_output=True, text=True, timeout=120)
    finally:
        path.unlink()
    if result.returncode != 0:
        raise RuntimeError(f"simulate failed: {result.stderr}\n{to_toml(full)}")
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
