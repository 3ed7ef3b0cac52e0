"""Several server processes on one port: activations reach all of them, and
predictions never wait for the database."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL
from tests.system.conftest import ServerFactory
from tests.system.helpers import predict, train
from tests.system.server import Server

MODEL = "pump"
PROCESSES = 2
REFRESH_SECONDS = 1.0
PICKUP_LIMIT_SECONDS = REFRESH_SECONDS + 1.0
"""Time an activation may take to reach every process: one refresh interval,
plus slack for a loaded 2-core machine."""
UNREACHABLE_PREDICTIONS = 100


def _fresh_connections(server: Server) -> httpx.Client:
    # A new connection per request, so that the kernel hands each one to
    # whichever server process is accepting.
    return server.client(limits=httpx.Limits(max_keepalive_connections=0))


@contextmanager
def _only(server: Server, serving_pid: int) -> Iterator[None]:
    """Pause every server process but one, so that it accepts every connection."""
    paused = [pid for pid in server.server_pids() if pid != serving_pid]
    for pid in paused:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in paused:
            os.kill(pid, signal.SIGCONT)


def test_activation_reaches_every_process(start_server: ServerFactory) -> None:
    server = start_server(
        processes=PROCESSES, settings={"REFRESH_SECONDS": str(REFRESH_SECONDS)}
    )
    pids = server.server_pids()
    assert len(pids) == PROCESSES
    with server.client() as client:
        first = train(client, MODEL)
        second = train(client, MODEL)
    with _fresh_connections(server) as client:
        activated = client.post(f"/models/{MODEL}/versions/{first}/activate")
        assert activated.status_code == 200, activated.text
        activated_at = time.monotonic()

        for pid in pids:
            with _only(server, pid):
                versions = []
                while time.monotonic() - activated_at < PICKUP_LIMIT_SECONDS + 2:
                    response = predict(client, MODEL)
                    assert response.status_code == 200, response.text
                    versions.append(response.json()["version"])
                    if versions[-1] == first:
                        break
                    time.sleep(0.02)
                picked_up = time.monotonic() - activated_at
            assert versions[-1] == first, f"process {pid} still serves {second}"
            assert picked_up <= PICKUP_LIMIT_SECONDS, (
                f"process {pid} served version {first} {picked_up:.2f} s after "
                "the activation"
            )
            # Once switched, a process never goes back to the old version.
            with _only(server, pid):
                again = [predict(client, MODEL).json()["version"] for _ in range(5)]
            assert again == [first] * 5


@contextmanager
def _unreachable(database_url: str) -> Iterator[None]:
    """Close every connection to a PostgreSQL database and reject new ones."""
    assert POSTGRES_URL is not None
    name = make_url(database_url).database
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
        yield
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    finally:
        admin.dispose()


# Only a PostgreSQL database can be closed to the server while it runs; SQLite
# in WAL mode keeps serving an open file.
@pytest.mark.parametrize(
    "database_url", ["postgresql"] if POSTGRES_URL else [], indirect=True
)
def test_predictions_need_no_database(
    database_url: str, start_server: ServerFactory
) -> None:
    server = start_server(database_url, processes=PROCESSES)
    with server.client() as client:
        number = train(client, MODEL)
        time.sleep(REFRESH_SECONDS * 2)  # every process loads the version
    with _fresh_connections(server) as client, _unreachable(database_url):
        for pid in server.server_pids():
            with _only(server, pid):
                ready = client.get("/health/ready")
                assert ready.status_code == 503, "the database is still reachable"
                assert ready.json()["database"].startswith("unreachable")
        versions = []
        for _ in range(UNREACHABLE_PREDICTIONS):
            response = predict(client, MODEL)
            assert response.status_code == 200, response.text
            versions.append(response.json()["version"])
        assert versions == [number] * UNREACHABLE_PREDICTIONS
