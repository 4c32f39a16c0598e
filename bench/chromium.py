"""What the Chromium benchmarks share: selenium in target/bench-venv (the script re-runs
itself there), Debian's chromium driven headless, and a loopback server for a built site
that sends its precompressed copies as a host would."""
import http.server
import mimetypes
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "target" / "bench-venv"


def in_venv(script: str) -> None:
    """Re-runs `script` with the venv's Python, selenium installed, unless it already is."""
    if os.environ.get("BENCH_IN_VENV") == "1":
        return
    if not (VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", "selenium==4.27.1"], check=True)
    python = str(VENV / "bin" / "python")
    os.execve(python, [python, script, *sys.argv[1:]], {**os.environ, "BENCH_IN_VENV": "1"})


def driver(width: int, height: int):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


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


def serve(dist: Path) -> http.server.ThreadingHTTPServer:
    """Serves `dist` on a free loopback port, in a thread; `shutdown()` stops it."""
    handler = lambda *a, **k: Precompressed(*a, directory=str(dist), **k)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
