#!/usr/bin/env python3
"""How wide does the measurement alone make the tail? A strictly first-come-first-served
server (`fifo_app.py`: 4 slots, 20 ms each, one uvicorn process on asyncio) measured with
the database harness's own load point (`wrk -t1 --latency` after a warm-up, the CPU split
from /proc), next to the simulation of the same: 4 workers holding 20 ms of constant I/O.

    python3 bench/real/control.py [--seconds 5] [--clients 1,4,16,32,64,128,256] [--wrk-threads 1]

Prints one row per concurrency (measured p50, p90, p99 and their ratio, the simulated
p50 and p99, the cores other processes took) and writes target/real-control.json. About
a minute; nothing it starts outlives it. Needs `cargo build --release` first (for
`target/release/explainer`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import env
import load
import servers
from simulate import simulate

ROOT = env.HERE.parent.parent
SCENARIO = {"server": "processes", "workers": 4, "cores": 2, "cpu_ms": 0, "io_ms": 20,
            "service": "constant", "overhead_us": 0}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--clients", default="1,4,16,32,64,128,256")
    p.add_argument("--wrk-threads", type=int, default=1,
                   help="wrk's threads (the database harness uses 1)")
    args = p.parse_args()
    python = env.ensure_venv(ROOT / "target" / "real-venv")
    wrk = env.ensure_wrk()
    explainer = ROOT / "target" / "release" / "explainer"
    if not explainer.exists():
        print(f"no {explainer}: run `cargo build --release` first", file=sys.stderr)
        return 2
    log_dir = ROOT / "target" / "real-logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    port = servers.free_port()
    argv = [str(python.parent / "uvicorn"), "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", "--loop", "asyncio", "fifo_app:app"]
    rows = []
    print("| clients | req/s measured / sim | p50 ms measured / sim | p90 ms measured | "
          "p99 ms measured / sim | p99 / p50 measured | other cores |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for clients in [int(c) for c in args.clients.split(",")]:
        # A fresh server per point, as the harness does.
        with servers.serving_argv("fifo", argv, port, {}, log_dir) as running:
            m = load.run_point(wrk, running, "/", clients, args.seconds, lambda: [],
                               threads=args.wrk_threads)
        s = simulate(str(explainer), SCENARIO, clients)
        rows.append({"clients": clients, "measured": m, "simulated": s})
        print(f"| {clients} | {m['throughput_rps']:.1f} / {s['throughput_rps']:.1f} "
              f"| {m['p50_ms']:.1f} / {s['p50_ms']:.1f} | {m['p90_ms']:.1f} "
              f"| {m['p99_ms']:.1f} / {s['p99_ms']:.1f} | {m['p99_ms'] / m['p50_ms']:.2f} "
              f"| {m['other_cores']:.2f} |", flush=True)
    out = ROOT / "target" / "real-control.json"
    out.write_text(json.dumps({"scenario": SCENARIO, "wrk_threads": args.wrk_threads,
                               "machine": env.machine(python, wrk),
                               "points": rows}, indent=1))
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
