"""Time to the first interactive widget (issue 15) in Chromium under Lighthouse's mobile
settings, applied rather than simulated: a 412 x 823 phone screen, 4x CPU slowdown and
"slow 4G" (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up). The site is served with
its precompressed copies, as a host would. Prints, over RUNS cold loads, the time from
navigation to the first widget mounted (`data-live`: its controls answer), p50 and max.
Needs a built site (`explainer build`) and Debian's chromium and chromium-driver;
selenium is installed into target/bench-venv.

    python3 bench/first_widget.py [RUNS] [DIST]     # RUNS defaults to 5, DIST to dist/
"""
import http.server
import mimetypes
import os
import statistics
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "target" / "bench-venv"

# Runs before the page's own scripts: notes when the first widget goes live.
WATCH = """
new MutationObserver((_, observer) => {
  if (document.querySelector('.widget[data-live]')) {
    window.__firstLive = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-live']});
"""


class Precompressed(http.server.SimpleHTTPRequestHandler):
    """Sends `file.br` or `file.gz` for `file` when the client accepts it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = self.headers.get("Accept-Encoding", "")
        for encoding, ext in (("br", ".br"), ("gzip", ".gz")):
            packed = path.with_name(path.name + ext)
            if encoding in accepts and packed.is_file():
                body = packed.read_bytes()
                self.send_response(200)
                kind = "application/wasm" if path.suffix == ".wasm" else mimetypes.guess_type(path.name)[0]
                self.send_header("Content-Type", kind or "application/octet-stream")
                self.send_header("Content-Encoding", encoding)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return None
        return super().send_head()

    def log_message(self, *args):
        pass


def ensure_selenium() -> None:
    if not (VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", "selenium==4.27.1"], check=True)


def one_load(url: str) -> float:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=412,823"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
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
        import time
        for _ in range(600):
            at = driver.execute_script("return window.__firstLive || null")
            if at is not None:
                return at
            time.sleep(0.05)
        raise SystemExit("no widget went live within 30 s")
    finally:
        driver.quit()


def main() -> None:
    if os.environ.get("FIRST_WIDGET_IN_VENV") != "1":
        ensure_selenium()
        os.execve(str(VENV / "bin" / "python"), [str(VENV / "bin" / "python"), __file__, *sys.argv[1:]],
                  {**os.environ, "FIRST_WIDGET_IN_VENV": "1"})
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    dist = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "dist"
    handler = lambda *a, **k: Precompressed(*a, directory=str(dist), **k)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
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
