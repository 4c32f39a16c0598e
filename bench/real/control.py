#!/usr/bin/env python3
"""How wide does the measurement alone make the tail? A strictly first-come-first-served
server (`fifo_app.py`: 4 slots, 20 ms each, one uvicorn process on asyncio) measured with
the database harness's own load point (`wrk -t1 --latency` after a warm-up, the CPU split
from /proc), next to the simulation of the same: 4 workers holding 20 ms of constant I/O.

    python3 bench/real/control.py [--seconds 5] [--clients 1,4,16,32,64,128,256] [--wrk-threads 1]
                                  [--gate fifo|queue|socket]

Prints one row per concurrency (measured p50, p90, p99 and their ratio, the simulated
p50 and p99, the cores other processes took) and writes target/real-control.json. About
a minute; nothing it starts outlives it. Needs `cargo build --release` first (for
`target/release/explainer`).

`--gate queue` and `--gate socket` check the pool model instead (see fifo_app.py): one
asyncio process whose 4 slots sit in an asyncio queue, simulated as an event loop with a
pool of 4 and `db_pool_queue` both `fifo` and `barging`. The simulation's CPU per request
is the one the server used at that point, and its spread (lognormal) is fitted to the
p99 over p50 of the first point with the database harness's own `fit_spread`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import env
import load
import servers
from simulate import fit_spread, lognormal_cv, simulate, simulate_db

ROOT = env.HERE.parent.parent
SCENARIO = {"server": "processes", "workers": 4, "cores": 2, "cpu_ms": 0, "io_ms": 20,
            "service": "constant", "overhead_us": 0}


def pool_scenario(cpu_ms: float, cv: float, queue: str) -> dict:
    """The pool gates: one asyncio loop, 4 pool connections each held 20 ms."""
    return {"server": "asyncio", "workers": 1, "cores": 2, "think_ms": 0, "cpu_ms": round(cpu_ms, 4),
            "overhead_us": 0, "io_ms": 0, "io_calls": 0, "db_ms": 20, "db_pool": 4,
            "service": "lognormal", "cv": round(cv, 4), "switch_us": 0, "queue_limit": 2048,
            "db_pool_queue": queue}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--clients", default="1,4,16,32,64,128,256")
    p.add_argument("--wrk-threads", type=int, default=1,
                   help="wrk's threads (the database harness uses 1)")
    p.add_argument("--gate", choices=["fifo", "queue", "socket"], default="fifo",
                   help="fifo: a freed slot goes to the longest waiter; queue: the slots "
                        "sit in an asyncio.LifoQueue, as asyncpg's pool keeps its connections; "
                        "socket: the same, each slot a connection to sleep_db.py")
    p.add_argument("--reset", action="store_true",
                   help="socket gate: release as asyncpg does, after a reset round trip in a shielded task")
    p.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio", help="uvicorn's event loop")
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
            "--log-level", "warning", "--loop", args.loop, "fifo_app:app"]
    rows = []
    app_env = {"FIFO_GATE": args.gate, **({"FIFO_RESET": "1"} if args.reset else {})}
    database = None
    if args.gate == "socket":
        db_port = servers.free_port()
        database = subprocess.Popen([sys.executable, str(env.HERE / "sleep_db.py"), str(db_port)],
                                    start_new_session=True, preexec_fn=servers.prepare_child)
        app_env["FIFO_DB_PORT"] = str(db_port)
    pool = args.gate != "fifo"
    if pool:
        print("| clients | req/s measured / sim fifo / sim barging | p50 ms measured / fifo / barging "
              "| p90 ms measured | p99 ms measured / fifo / barging | CPU ms per request | other cores |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
    else:
        print("| clients | req/s measured / sim | p50 ms measured / sim | p90 ms measured | "
              "p99 ms measured / sim | p99 / p50 measured | other cores |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
    lone = None
    try:
        for clients in [int(c) for c in args.clients.split(",")]:
            # A fresh server per point, as the harness does.
            with servers.serving_argv("fifo", argv, port, app_env, log_dir) as running:
                m = load.run_point(wrk, running, "/", clients, args.seconds, lambda: [],
                                   threads=args.wrk_threads)
            if not pool:
                s = simulate(str(explainer), SCENARIO, clients)
                rows.append({"clients": clients, "measured": m, "simulated": s})
                print(f"| {clients} | {m['throughput_rps']:.1f} / {s['throughput_rps']:.1f} "
                      f"| {m['p50_ms']:.1f} / {s['p50_ms']:.1f} | {m['p90_ms']:.1f} "
                      f"| {m['p99_ms']:.1f} / {s['p99_ms']:.1f} | {m['p99_ms'] / m['p50_ms']:.2f} "
                      f"| {m['other_cores']:.2f} |", flush=True)
                continue
            if lone is None:
                lone = {"db_run": {"measured": m}}  # the first point, as the harness's lone client
            cpu_ms = m["server_cpu_ms_per_request"]
            first = lognormal_cv(lone["db_run"]["measured"]["p50_ms"], lone["db_run"]["measured"]["p99_ms"])
            scenarios = {q: fit_spread(str(explainer), pool_scenario(cpu_ms, first, q), lone)
                         for q in ("fifo", "barging")}
            sims = {q: simulate_db(str(explainer), scenario, clients) for q, scenario in scenarios.items()}
            f, b = sims["fifo"], sims["barging"]
            rows.append({"clients": clients, "measured": m, "simulated": sims,
                         "scenarios": scenarios})
            print(f"| {clients} | {m['throughput_rps']:.1f} / {f['throughput_rps']:.1f} / {b['throughput_rps']:.1f} "
                  f"| {m['p50_ms']:.1f} / {f['p50_ms']:.1f} / {b['p50_ms']:.1f} | {m['p90_ms']:.1f} "
                  f"| {m['p99_ms']:.1f} / {f['p99_ms']:.1f} / {b['p99_ms']:.1f} | {cpu_ms:.3f} "
                  f"| {m['other_cores']:.2f} |", flush=True)
    finally:
        if database is not None:
            database.kill()
            database.wait()
    out = ROOT / "target" / "real-control.json"
    out.write_text(json.dumps({"gate": args.gate, "loop": args.loop, "scenario": SCENARIO, "wrk_threads": args.wrk_threads,
                               "machine": env.machine(python, wrk),
                               "points": rows}, indent=1))
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
