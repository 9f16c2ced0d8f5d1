"""The benchmark's own tools, installed on first use and kept out of the service's dependencies:
`wrk` (Debian's package, through apt-get) and Datasette (in a virtualenv of its own)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

DATASETTE_REQUIREMENTS = ["datasette>=0.65,<0.66", "uvloop>=0.19,<1", "httptools>=0.6,<1"]
"""The released Datasette line (0.65.x; 1.0 is still in alpha), on the same uvicorn event loop
and HTTP parser as this service, so that the comparison is of the applications."""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("bench: installing wrk (apt-get install wrk)", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    install = [*sudo, "apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, capture_output=True).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, capture_output=True)
        subprocess.run(install, check=True, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("bench: wrk is not installed and apt-get could not install it")
    return found


def ensure_datasette(venv: Path) -> Path:
    """The `datasette` command of a virtualenv made for it (created on first use)."""
    command = venv / "bin" / "datasette"
    if command.is_file():
        return command
    print(f"bench: installing Datasette into {venv}", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *DATASETTE_REQUIREMENTS],
        check=True,
    )
    return command


def pinning(cpu: int) -> list[str]:
    """`taskset -c CPU` when taskset exists and the machine has that CPU; else nothing."""
    if shutil.which("taskset") and cpu < (os.cpu_count() or 1):
        return ["taskset", "-c", str(cpu)]
    return []
