"""Start Failsight processes on free local ports and wait until they respond."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def failsight_environment(data_dir: Path, **settings: str) -> dict[str, str]:
    """Return this process's environment with the FAILSIGHT_ settings replaced,
    so that no .env or outer setting leaks into the started process."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("FAILSIGHT_")
    }
    environment["FAILSIGHT_DATA_DIR"] = str(data_dir)
    environment["FAILSIGHT_HOST"] = "127.0.0.1"
    environment["FAILSIGHT_WORKERS"] = "1"
    environment["FAILSIGHT_REFRESH_SECONDS"] = "0.2"
    environment.update(
        {f"FAILSIGHT_{name.upper()}": value for name, value in settings.items()}
    )
    return environment


def start(
    command: str, data_dir: Path, log: Path, **settings: str
) -> subprocess.Popen[bytes]:
    """Start ``failsight COMMAND`` with its output in ``log``; the caller stops it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "failsight", command],
            env=failsight_environment(data_dir, **settings),
            cwd=data_dir,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"{url} exited with {process.returncode}:\n{log.read_text()}"
            )
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(
        f"{url} did not respond within {START_TIMEOUT} s:\n{log.read_text()}"
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)
