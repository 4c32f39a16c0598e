#!/usr/bin/env python3
"""Prints a measured-db.json as a Markdown table, one row per point: measured against
simulated throughput and p99, the point's status, and the other processes' cores.

    python3 bench/real/table_db.py [content/data/measured-db.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def cell(value, fmt: str = ".1f") -> str:
    return "-" if value is None else format(value, fmt)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content" / "data" / "measured-db.json"
    doc = json.loads(path.read_text())
    m = doc["machine"]
    print(f"Measured {m['date'][:10]} on {m['cores']} cores ({m['cpu_model']}), Python {m['python']}, "
          f"PostgreSQL {m.get('postgresql')}, pgbouncer {m.get('pgbouncer')}, {m['load_generator']}.\n")
    print("| series | clients | status | req/s measured / sim | p50 ms measured / sim "
          "| p99 ms measured / sim | mean ms | other cores |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for s in doc["series"]:
        for p in s["points"]:
            me = p.get("measured") or {}
            si = p.get("simulated") or {}
            status = p["status"]
            if p.get("agreement"):
                status += " (agrees)" if p["agreement"]["ok"] else " (miss)"
            elif si.get("status") and si["status"] != "ok":
                status += f", sim {si['status']}"
            print(f"| {s['id']} | {p['clients']} | {status} "
                  f"| {cell(me.get('throughput_rps'))} / {cell(si.get('throughput_rps'))} "
                  f"| {cell(me.get('p50_ms'))} / {cell(si.get('p50_ms'))} "
                  f"| {cell(me.get('p99_ms'))} / {cell(si.get('p99_ms'))} "
                  f"| {cell(me.get('mean_ms'))} | {cell(me.get('other_cores'), '.2f')} |")
    a = doc["agreement"]
    share = f"{a['share']:.0%}" if a.get("share") is not None else "-"
    print(f"\n{a['judged']} of {a['points']} points judged, {a['simulated']} simulated "
          f"({a['pending']} pending); {a['agree']} agree ({share}). {a['criterion']}.")
    for miss in a["misses"]:
        print(f"- miss: {miss['series']}, {miss['clients']} clients: {miss['facts']}")
    for x in a["not_judged"]:
        print(f"- not judged: {x['series']}, {x['clients']} clients, {x['status']}: {x['reason']}")


if __name__ == "__main__":
    main()
