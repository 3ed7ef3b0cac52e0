"""Run ``python -m failsight api`` as a real server process for system tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from failsight.registry.tables import JobRow, ModelRow, VersionRow

START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0
LOG_TAIL = 4000
"""Characters of the server log shown when the server fails to start."""


def free_port() -> int:
    """Return a port that was free a moment ago; the server binds it next."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """A backend process on 127.0.0.1 with its own data directory.

    The process leads a new session, so ``kill`` reaches the whole group: the
    server processes, the fork server and the training workers.
    """

    def __init__(
        self,
        data_dir: Path,
        database_url: str,
        processes: int = 1,
        settings: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        self.processes = processes
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings = {
            "DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url,
            "HOST": "127.0.0.1",
            "API_PORT": str(self.port),
            "WORKERS": "1",
            "REFRESH_SECONDS": "1",
            "LOG_LEVEL": "INFO",
            **(settings or {}),
        }
        self.log_path = data_dir.parent / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def artifact_dir(self) -> Path:
        return self.data_dir / "artifacts"

    def start(self) -> None:
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("FAILSIGHT_")
        }
        environment.update({f"FAILSIGHT_{k}": v for k, v in self.settings.items()})
        command = [sys.executable, "-m", "failsight", "api"]
        command += ["--workers", str(self.processes)]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                env=environment,
                cwd=self.data_dir.parent,  # away from any .env of the repository
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_healthy()

    def stop(self) -> None:
        """Stop gracefully with SIGTERM, then kill whatever is left of the group."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_TIMEOUT)
        self.kill()

    def kill(self) -> None:
        """Kill the server and every process it started with SIGKILL, as a crash would."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def client(self, **options: Any) -> httpx.Client:
        options.setdefault("timeout", 30.0)
        return httpx.Client(base_url=self.url, **options)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def server_pids(self) -> list[int]:
        """Pids of the processes that serve requests: the uvicorn workers when
        there are several, else the started process itself."""
        assert self.process is not None
        if self.processes == 1:
            return [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(pid) for pid in children.read_text().split()]
        return [pid for pid in pids if b"spawn_main" in _cmdline(pid)]

    def _wait_until_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT
        with self.client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise AssertionError(
                        f"server exited with code {self.process.returncode}:\n"
                        + self.log()[-LOG_TAIL:]
                    )
                with contextlib.suppress(httpx.TransportError):
                    healthy = client.get("/health").status_code == 200
                    if healthy and self._all_processes_started():
                        return
                time.sleep(0.1)
        self.kill()
        raise AssertionError(
            f"server did not respond to /health within {START_TIMEOUT:g} s:\n"
            + self.log()[-LOG_TAIL:]
        )

    def _all_processes_started(self) -> bool:
        # Each uvicorn worker logs this line once its lifespan start-up finished.
        if self.processes == 1:
            return True
        return self.log().count("Application startup complete") >= self.processes

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class RegistryRows:
    """Direct reads of the registry tables, to check what a server stored."""

    def __init__(self, database_url: str) -> None:
        self.engine = create_engine(database_url)

    def versions(self, model: str) -> list[VersionRow]:
        with Session(self.engine) as session:
            query = select(VersionRow).where(VersionRow.model_name == model)
            return list(session.scalars(query.order_by(VersionRow.number)))

    def model(self, name: str) -> ModelRow | None:
        with Session(self.engine) as session:
            return session.get(ModelRow, name)

    def job(self, job_id: str) -> JobRow:
        with Session(self.engine) as session:
            row = session.get(JobRow, job_id)
            assert row is not None, f"job {job_id} has no row"
            return row

    def close(self) -> None:
        self.engine.dispose()
