"""One table of the project's performance figures (issue 14), printed as Markdown for
README.md: simulation speed natively and in Chromium, `simulate` against SimPy on the
same M/M/4 scenario, widget frame time with 10,000 clients, bundle sizes, content build
time, live-reload latency and Lighthouse scores. Each figure comes from the command in
its row, run here, with the load average when it was taken.

    python3 bench/table.py                  # about 5 minutes
    python3 bench/table.py --no-lighthouse
"""
import glob
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "bench-table"
BIN = ROOT / "target" / "release" / "explainer"


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(*cmd: str, env: dict | None = None) -> str:
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    return done.stdout + done.stderr


def printed(pattern: str, *cmd: str, env: dict | None = None) -> str:
    """What a test prints after `pattern`, or why it is missing."""
    found = re.search(pattern + r"(.*)", run(*cmd, env=env))
    return found.group(1).strip() if found else "failed: run the command to see why"


def row(figure: str, value: str, command: str) -> None:
    print(f"| {figure} | {value} | {load()} | `{command}` |", flush=True)


def main() -> None:
    lighthouse = "--no-lighthouse" not in sys.argv
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"Machine: {os.cpu_count()} cores, {cpu}, {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}, "
          f"load average {load()} at the start\n")
    print("| figure | value | load average | command |\n|---|---|---|---|")

    best, events = float("inf"), 0
    for _ in range(3):
        started = time.perf_counter()
        report = json.loads(run(str(BIN), "simulate", "sim/benches/mm4.toml", "--json"))
        best = min(best, time.perf_counter() - started)
        events = report["events"]
    row("simulation natively, M/M/4, 1M requests, whole process, best of 3",
        f"{best:.2f} s, {events / best / 1e6:.1f} M events/s", "explainer simulate sim/benches/mm4.toml --json")

    venv = ROOT / "target" / "bench-venv"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # The venv is shared with bench/planner_time.py, which installs only selenium.
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "simpy==4.1.1"], check=True)
    simpy = run(str(venv / "bin" / "python"), "bench/simpy_mm4.py").strip()
    seconds = re.search(r"in ([0-9.]+) s", simpy)
    ratio = f"; simulate is {float(seconds.group(1)) / best:.0f}x faster" if seconds else ""
    row("SimPy 4.1, same M/M/4", simpy + ratio, "target/bench-venv/bin/python bench/simpy_mm4.py")

    row("simulation in wasm in Chromium, M/M/4, 1M requests",
        printed("wasm in Chromium: ", "cargo", "test", "--release", "--test", "wasm_sim", "--", "--nocapture"),
        "cargo test --release --test wasm_sim -- --nocapture")
    row("widget frame (simulation and drawing), p95",
        printed("frame time p95 ", "cargo", "test", "--release", "--test", "widgets", "frame_time", "--", "--nocapture"),
        "cargo test --release --test widgets frame_time -- --nocapture")
    row("live reload, save to reloaded page",
        printed("live reload: ", "cargo", "test", "--release", "--test", "browser", "serve_reloads", "--", "--nocapture"),
        "cargo test --release --test browser serve_reloads -- --nocapture")

    built = re.search(r"in ([0-9]+ ms)", run(str(BIN), "build", "--out", str(OUT / "dist")))
    row("content build, wasm already compiled", built.group(1) if built else "failed", "explainer build")
    assets = OUT / "dist" / "assets"
    size = lambda pattern: sum(os.path.getsize(p) for p in glob.glob(str(assets / pattern))) / 1000
    for kind, ext in (("gzip -9", "gz"), ("brotli", "br")):
        wasm, js = size(f"widgets_bg.*.wasm.{ext}"), size(f"widgets.*.js.{ext}") + size(f"loader.*.js.{ext}")
        row(f"bundle: wasm + widget JS, {kind}", f"{wasm + js:.1f} KB (wasm {wasm:.1f}, JS {js:.1f})",
            f"ls -l dist/assets/*.{ext}")

    if lighthouse:
        scores = printed(r"run 1: ", "bench/lighthouse.sh", "1", env={"PORT": os.environ.get("PORT", "8799")})
        row("Lighthouse 12, article, mobile emulation", scores, "bench/lighthouse.sh 1")


if __name__ == "__main__":
    main()
