"""Fixtures: a real backend on a real SQLite database, and on PostgreSQL when
FAILSIGHT_TEST_DATABASE_URL names a server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from failsight.api.app import create_app
from failsight.config import Settings

POSTGRES_URL = os.environ.get("FAILSIGHT_TEST_DATABASE_URL")
DATABASES = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
CMAPSS = Path(
    os.environ.get(
        "FAILSIGHT_CMAPSS_DIR",
        Path(__file__).resolve().parents[2] / "shared" / "data" / "cmapss",
    )
)
"""Folder of the NASA C-MAPSS FD001 files; by default the one beside the repository."""


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty registry database for one test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.db'}"
        return
    assert POSTGRES_URL is not None
    server = make_url(POSTGRES_URL)
    name = f"failsight_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=database_url,
        workers=1,
        refresh_seconds=0.2,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def cmapss() -> Path:
    if not (CMAPSS / "train_FD001.txt").exists():
        pytest.skip(f"the NASA C-MAPSS FD001 files are not in {CMAPSS}")
    return CMAPSS
