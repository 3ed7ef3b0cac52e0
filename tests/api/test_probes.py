"""Liveness and readiness: ready needs the database and every active model loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from failsight.api.app import create_app
from failsight.config import Settings
from tests.helpers import train


def test_live(client: TestClient) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


def test_ready_without_models(client: TestClient) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "models": []}


def test_ready_lists_active_models(client: TestClient) -> None:
    train(client, "pump")
    body = client.get("/health/ready").json()
    assert body["status"] == "ready"
    assert body["models"] == [
        {"model": "pump", "version": 1, "loaded": True, "error": None}
    ]


def test_degraded_when_artifact_unusable(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        train(client, "pump")
        train(client, "fan")
        pump_job = client.get("/jobs?model=pump").json()[0]["id"]
    artifacts = settings.artifact_dir.rglob("*")
    pump_files = [
        path for path in artifacts if path.is_file() and pump_job in path.name
    ]
    assert len(pump_files) == 1
    pump_files[0].write_bytes(b"not a model")

    # A restarted backend loads every active model and finds pump's altered.
    with TestClient(create_app(settings)) as client:
        response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    by_model = {model["model"]: model for model in body["models"]}
    assert by_model["fan"]["loaded"] is True
    assert by_model["pump"]["loaded"] is False
    assert "sha256" in by_model["pump"]["error"]


# The test deletes the registry's SQLite file to make the database unreachable.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_degraded_when_database_gone(database_url: str, settings: Settings) -> None:
    database_file = Path(settings.resolved_database_url.removeprefix("sqlite:///"))
    with TestClient(create_app(settings)) as client:
        client.app.state.runtime.registry.database.dispose()  # type: ignore[attr-defined]
        database_file.unlink()
        response = client.get("/health/ready")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "degraded"
        assert body["database"].startswith("unreachable: ")
        assert client.get("/health/live").status_code == 200
        assert client.get("/health").status_code == 200
