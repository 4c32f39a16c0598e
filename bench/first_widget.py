"""Time to the first interactive widget (issue 15) in Chromium under Lighthouse's mobile
settings, applied rather than simulated: a 412 x 823 phone screen, 4x CPU slowdown and
"slow 4G" (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up). The site is served with
its precompressed copies, as a host would. Prints, over RUNS cold loads, the time from
navigation to the first widget mounted (`data-live`: its controls answer and every
panel is drawn), p50 and max, for a reader who scrolls to it once the page has loaded.
Needs a built site (`explainer build`) and Debian's chromium and chromium-driver;
selenium is installed into target/bench-venv.

    python3 bench/first_widget.py [RUNS] [DIST] [--detail]   # 5 runs, dist/ by default

With --detail, each run also prints when the page, the loader, the glue and the wasm
finished arriving (ms after navigation).
"""
import statistics
import sys
from pathlib import Path

import chromium

ROOT = chromium.ROOT

# Runs before the page's own scripts: notes when the first widget goes live.
WATCH = """
new MutationObserver((_, observer) => {
  if (document.querySelector('.widget[data-live]')) {
    window.__firstLive = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-live']});
"""


# Where the time went in one load: when each resource finished arriving.
BREAKDOWN = """
const at = (name) => {
  const entry = performance.getEntriesByType('resource').find((e) => e.name.includes(name));
  return entry ? `${Math.round(entry.startTime)}-${Math.round(entry.responseEnd)}` : '-';
};
const nav = performance.getEntriesByType('navigation')[0];
return `html ${Math.round(nav.responseEnd)}, loaded ${Math.round(nav.loadEventEnd)}, `
  + `loader ${at('/loader.')}, glue ${at('/widgets.')}, wasm ${at('/widgets_bg.')}, `
  + `live ${Math.round(window.__firstLive)}`;
"""
DETAIL = "--detail" in sys.argv


def one_load(url: str) -> float:
    driver = chromium.driver(412, 823)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": False, "latency": 150,
            "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8,
        })
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 4})
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 412, "height": 823, "deviceScaleFactor": 1.75, "mobile": True,
        })
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
        driver.get(url)
        # On this screen the first widget starts just below the first screen, and the
        # page mounts a widget only as it comes within 100 px of view (the bundle itself
        # is fetched from the first paint on): the reader here goes straight to it once
        # the page has loaded.
        driver.execute_script("document.querySelector('.widget[data-widget]').scrollIntoView({block: 'center'})")
        import time
        for _ in range(600):
            at = driver.execute_script("return window.__firstLive || null")
            if at is not None:
                if DETAIL:
                    print("  " + driver.execute_script(BREAKDOWN), flush=True)
                return at
            time.sleep(0.05)
        raise SystemExit("no widget went live within 30 s")
    finally:
        driver.quit()


def main() -> None:
    chromium.in_venv(__file__)
    args = [arg for arg in sys.argv[1:] if arg != "--detail"]
    runs = int(args[0]) if args else 5
    dist = Path(args[1]) if len(args) > 1 else ROOT / "dist"
    server = chromium.serve(dist)
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    try:
        times = sorted(one_load(url) for _ in range(runs))
    finally:
        server.shutdown()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"first widget interactive, phone emulation, 4x CPU, slow 4G: p50 {statistics.median(times):.0f} ms, "
          f"max {times[-1]:.0f} ms over {runs} cold loads (load average {load})", flush=True)


if __name__ == "__main__":
    main()
