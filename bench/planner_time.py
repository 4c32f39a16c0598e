"""Planner search time in Chromium (issue 13): the time from a changed input to the
planner's finished table, and to its finished chart, p50 and p95 over 20 changes, on this machine and with 4x CPU
throttling (Lighthouse's mobile setting). Needs a built site (`explainer build`) and
Debian's chromium and chromium-driver; selenium is installed into target/bench-venv.

    python3 bench/planner_time.py [DIST]     # DIST defaults to dist/
"""
import statistics
import sys
from pathlib import Path

import chromium

ROOT = chromium.ROOT

# Changes cpu_ms to the next stop (alternating up and down), then waits for the table to
# have no search left; resolves with the milliseconds taken.
ONE_CHANGE = """
const done = arguments[arguments.length - 1];
const W = document.querySelector('.widget[data-widget=planner]');
const S = W.querySelector('input[name=cpu_ms]');
const up = arguments[0] % 2 === 0;
const t0 = performance.now();
S.value = String(Number(S.value) + (up ? 1 : -1));
S.dispatchEvent(new Event('input', {bubbles: true}));
// The table is ready when no row is still searching; the chart when no status is left.
const searching = () => W.querySelector('.live-widget table.planner') === null
    || W.querySelector('.live-widget table.planner').textContent.includes('searching');
let table = null;
const check = () => {
    if (table === null && !searching()) table = performance.now() - t0;
    if (table !== null && !W.querySelector('.widget-status')) done([table, performance.now() - t0]);
    else requestAnimationFrame(check);
};
requestAnimationFrame(check);
"""


def measure(driver, url: str, throttle: float) -> list[float]:
    import time
    driver.get(url)
    driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": throttle})
    driver.execute_script("document.querySelector('.widget[data-widget=planner]').scrollIntoView({block: 'center'})")
    for _ in range(600):
        if driver.execute_script("return document.querySelector('.widget[data-widget=planner]').hasAttribute('data-live')"):
            break
        time.sleep(0.05)
    driver.execute_script("document.querySelector('.widget[data-widget=planner] .widget-more').open = true")
    driver.set_script_timeout(60)
    times = [driver.execute_async_script(ONE_CHANGE, i) for i in range(21)]
    return times[1:]  # the first includes the page settling


def main() -> None:
    chromium.in_venv(__file__)
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist"
    server = chromium.serve(dist)
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    driver = chromium.driver(1280, 900)
    try:
        for throttle in (1, 4):
            pairs = measure(driver, url, throttle)
            load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
            for what, times in (("table", [p[0] for p in pairs]), ("table and chart", [p[1] for p in pairs])):
                times = sorted(times)
                p95 = times[int(0.95 * (len(times) - 1))]
                print(f"planner {what}, CPU x{throttle}: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
                      f"max {times[-1]:.0f} ms over {len(times)} changes (load average {load})", flush=True)
    finally:
        driver.quit()
        server.shutdown()


if __name__ == "__main__":
    main()
