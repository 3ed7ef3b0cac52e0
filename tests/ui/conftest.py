"""Fixtures of the web UI tests: a real backend process on 127.0.0.1, and the
environment that points the UI at it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers import training_body
from tests.ui import processes

JOB_TIMEOUT = 90.0


class Backend:
    """A running backend and a client of its HTTP API for arranging state."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=JOB_TIMEOUT)

    def train(self, model: str, **overrides: Any) -> dict[str, Any]:
        """Train a version and wait for it; return the finished job."""
        response = self.http.post(
            f"/models/{model}/train?wait=true", json=training_body(**overrides)
        )
        assert response.status_code == 201, response.text
        job: dict[str, Any] = response.json()
        assert job["status"] == "succeeded", job["error"]
        return job

    def jobs(self, model: str) -> list[dict[str, Any]]:
        jobs: list[dict[str, Any]] = self.http.get(
            "/jobs", params={"model": model}
        ).json()
        return jobs

    def versions(self, model: str) -> list[dict[str, Any]]:
        versions: list[dict[str, Any]] = self.http.get(
            f"/models/{model}/versions"
        ).json()
        return versions


@pytest.fixture(scope="session")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """One backend process for all UI tests, on a fresh SQLite registry; each
    test uses models of its own."""
    data_dir = tmp_path_factory.mktemp("backend")
    port = processes.free_port()
    log = data_dir / "backend.log"
    process = processes.start("api", data_dir, log, api_port=str(port))
    url = f"http://127.0.0.1:{port}"
    try:
        processes.wait_until_up(f"{url}/health", process, log)
        backend = Backend(url)
        yield backend
        backend.http.close()
    finally:
        processes.stop(process)


@pytest.fixture
def ui_backend(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> Backend:
    """Point the UI under test at the running backend."""
    monkeypatch.setenv("FAILSIGHT_API_URL", backend.url)
    return backend


@pytest.fixture
def model_name() -> str:
    """A model name no other test uses."""
    return f"pump-{uuid.uuid4().hex[:8]}"
