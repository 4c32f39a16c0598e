#!/usr/bin/env python3
"""Prints a measured.json as a Markdown table, one row per point (measured against
simulated throughput and latency), for the model page or a review.

    python3 bench/real/table.py [content/data/measured.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content" / "data" / "measured.json"
    doc = json.loads(path.read_text())
    m = doc["machine"]
    print(f"Measured {m['date'][:10]} on {m['cores']} cores ({m['cpu_model']}), "
          f"Python {m['python']}, {m['load_generator']}; "
          f"{doc['method']['duration_s']:g} s per point.\n")
    print("| server | workload | clients | measured req/s | simulated req/s | sim/measured "
          "| p50 ms (measured / sim) | p99 ms (measured / sim) | RSS MB |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for series in doc["series"]:
        for p in series["points"]:
            me, si = p["measured"], p["simulated"]
            mark = "" if me["steady"] else " *"
            print(f"| {series['server']} | {series['workload']} | {p['clients']} "
                  f"| {me['throughput_rps']:.1f} | {si['throughput_rps']:.1f} "
                  f"| {p['sim_over_measured']:.2f} "
                  f"| {me['p50_ms']:.0f} / {si['p50_ms']:.0f}{mark} "
                  f"| {me['p99_ms']:.0f} / {si['p99_ms']:.0f}{mark} | {me['rss_mb']:.0f} |")
    a = doc["agreement"]
    print(f"\n{a['within_25pct']} of {a['points']} points within 25%; median error "
          f"{a['median_abs_error']:.1%}; worst {a['worst']['abs_error']:.1%} "
          f"({a['worst']['server']}, {a['worst']['workload']}, {a['worst']['clients']} clients). "
          "* fewer than 3 replies per connection in the run: latencies not in steady state.")


if __name__ == "__main__":
    main()
