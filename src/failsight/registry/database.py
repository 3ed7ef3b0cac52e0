"""Engine, sessions and schema migrations of the registry database."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "failsight_write"
"""Execution option that marks a transaction as one that writes."""
MIGRATION_LOCK_ID = 0x6661696C  # PostgreSQL advisory lock key held while migrating


def database_kind(url: str) -> str:
    return make_url(url).get_backend_name()


def create_registry_engine(url: str) -> Engine:
    """Create an engine. SQLite gets WAL mode, in which readers do not wait for a writer."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, future=True)

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, future=True
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # The sqlite3 module would start transactions only at the first write,
        # so a read and the write that depends on it could see different data.
        # SQLAlchemy emits BEGIN itself instead (see _begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # A writing transaction takes the write lock when it starts: two of them
        # never interleave, and none fails when upgrading from a stale read.
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


class Database:
    """An engine and its session factory."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.kind = database_kind(url)
        self.engine = create_registry_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self, write: bool = True) -> Iterator[Session]:
        """Open a session whose transaction commits on success and rolls back on error.

        Pass ``write=False`` for a transaction that only reads, so that on
        SQLite it does not wait for the write lock.
        """
        with self._sessions.begin() as session:
            if write:
                session.connection(execution_options={WRITE_OPTION: True})
            yield session

    def upgrade(self) -> None:
        """Apply every pending Alembic migration."""
        with self.engine.connect() as connection:
            if self.kind == "postgresql":
                # Several processes may start at once; one migrates, the others wait.
                connection.execute(
                    text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID}
                )
            try:
                config = Config()
                config.set_main_option("script_location", str(MIGRATIONS))
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                connection.commit()
            finally:
                if self.kind == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_unlock(:id)"),
                        {"id": MIGRATION_LOCK_ID},
                    )
                    connection.commit()

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
