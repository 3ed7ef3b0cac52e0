"""Fixtures that start real backend processes on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.system.server import RegistryRows, Server

ServerFactory = Callable[..., Server]


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[ServerFactory]:
    """Start servers on a SQLite registry unless given a database URL; every
    server started is stopped at the end of the test."""
    started: list[Server] = []

    def start(database_url: str | None = None, **options: Any) -> Server:
        data_dir = tmp_path / "data"
        url = database_url or f"sqlite:///{data_dir / 'failsight.db'}"
        server = Server(data_dir, url, **options)
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def rows_of() -> Iterator[Callable[[Server], RegistryRows]]:
    opened: list[RegistryRows] = []

    def open_rows(server: Server) -> RegistryRows:
        rows = RegistryRows(server.database_url)
        opened.append(rows)
        return rows

    yield open_rows
    for rows in opened:
        rows.close()
