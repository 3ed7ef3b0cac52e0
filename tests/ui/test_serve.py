"""``failsight serve`` and ``failsight ui`` leave no web UI running when stopped."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from tests.ui import processes

CLOSE_TIMEOUT = 15.0


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_sigterm_stops_ui(tmp_path: Path) -> None:
    api_port, ui_port = processes.free_port(), processes.free_port()
    log = tmp_path / "serve.log"
    process = processes.start(
        "serve", tmp_path / "data", log, api_port=str(api_port), ui_port=str(ui_port)
    )
    try:
        processes.wait_until_up(f"http://127.0.0.1:{api_port}/health", process, log)
        processes.wait_until_up(
            f"http://127.0.0.1:{ui_port}/_stcore/health", process, log
        )
    finally:
        processes.stop(process)  # SIGTERM, as a service manager sends

    deadline = time.monotonic() + CLOSE_TIMEOUT
    while port_open(ui_port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not port_open(ui_port), f"the web UI still listens:\n{log.read_text()}"
    assert not port_open(api_port)


def test_ui_command_stops_on_sigterm(tmp_path: Path) -> None:
    ui_port = processes.free_port()
    log = tmp_path / "ui.log"
    process = processes.start("ui", tmp_path / "data", log, ui_port=str(ui_port))
    try:
        processes.wait_until_up(
            f"http://127.0.0.1:{ui_port}/_stcore/health", process, log
        )
    finally:
        processes.stop(process)

    deadline = time.monotonic() + CLOSE_TIMEOUT
    while port_open(ui_port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not port_open(ui_port), f"the web UI still listens:\n{log.read_text()}"
