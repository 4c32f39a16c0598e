"""What the harness needs installed, and the description of the machine it measured.

The virtual environment is created from the pinned ``requirements.txt`` when missing or
when the pins changed (a stamp file records what was installed); ``wrk`` comes from
Debian's packages.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"


def log(message: str) -> None:
    print(f"[real] {message}", file=sys.stderr, flush=True)


def ensure_venv(venv: Path, requirements: Path = REQUIREMENTS) -> Path:
    """The venv's python, after installing the pinned packages if they are not there yet.
    The stamp holds the text of the requirements file and of the files it includes
    (`-r`), so that a changed pin anywhere reinstalls."""
    python = venv / "bin" / "python"
    stamp = venv / ".bench-requirements"
    wanted = _requirements_text(requirements)
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    log(f"creating the virtual environment {venv} from {requirements.name}")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-r", str(requirements)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()[-6:]
        raise SystemExit(f"installing the Python packages of {requirements.name} into {venv} "
                         "failed (pip's last lines follow)\n" + "\n".join(lines))
    stamp.write_text(wanted)
    return python


def _requirements_text(path: Path) -> str:
    text = path.read_text()
    for line in text.splitlines():
        if line.startswith("-r "):
            text += _requirements_text(path.parent / line[3:].strip())
    return text


def try_meinheld(python: Path) -> str | None:
    """Installs meinheld if it can be; returns why not otherwise. The outcome is cached
    in the venv because a failed build takes a minute (its last release, 1.0.2, pins
    greenlet < 0.5, which does not build on Python 3.11)."""
    failed = python.parent.parent / ".bench-meinheld-failed"
    if failed.exists():
        return failed.read_text()
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "meinheld==1.0.2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode == 0:
        return None
    lines = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    reason = "pip install meinheld==1.0.2 failed: " + (lines[-1].strip() if lines else "?")
    failed.write_text(reason)
    return reason


def ensure_wrk() -> str:
    """Path of wrk, installing Debian's package when it is missing."""
    path = shutil.which("wrk")
    if path:
        return path
    apt_install(["wrk"])
    path = shutil.which("wrk")
    if not path:
        raise SystemExit("wrk is still missing after apt-get install")
    return path


POLICY_RC_D = Path("/usr/sbin/policy-rc.d")


def apt_install(packages: list[str]) -> None:
    """Installs Debian packages with apt-get (running `apt-get update` once if the first
    try fails). Packages with a service (postgresql, pgbouncer) would start it on
    install; a temporary policy-rc.d that refuses every start (Debian's mechanism for
    exactly this) keeps anything from running that the harness did not start itself.
    A failure names the packages and ends the run with apt's last lines."""
    log(f"installing {' '.join(packages)} with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    guard = not POLICY_RC_D.exists()
    if guard:
        POLICY_RC_D.write_text("#!/bin/sh\n# bench/real: no service starts during the install\nexit 101\n")
        POLICY_RC_D.chmod(0o755)
    try:
        result = subprocess.run(install, env=env, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=600)
            result = subprocess.run(install, env=env, capture_output=True, text=True, timeout=600)
    finally:
        if guard:
            POLICY_RC_D.unlink(missing_ok=True)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()[-6:]
        raise SystemExit(f"apt-get install {' '.join(packages)} failed (its last lines follow)\n"
                         + "\n".join(lines))


def machine(python: Path, wrk: str) -> dict:
    """Cores, CPU model, kernel, Python and package versions, load and date."""
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    probe = (
        "import json, platform, importlib.metadata as m;"
        "print(json.dumps({'python': platform.python_version(),"
        " 'packages': {d.metadata['Name'].lower(): d.version for d in m.distributions()}}))"
    )
    info = json.loads(subprocess.run([str(python), "-c", probe], capture_output=True,
                                     text=True, check=True, timeout=60).stdout)
    packages = {k: v for k, v in sorted(info["packages"].items()) if k not in ("pip", "setuptools")}
    wrk_version = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split("[")[0]
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cores": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": info["python"],
        "packages": packages,
        "load_generator": wrk_version.strip(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
