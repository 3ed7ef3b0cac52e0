"""Registry transactions and recovery after a crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import update

from failsight.domain.records import JobStatus
from failsight.registry.artifacts import ArtifactStore
from failsight.registry.database import Database
from failsight.registry.store import Registry
from failsight.registry.tables import JobRow


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def open_registry(database_url: str, root: Path) -> Registry:
    database = Database(database_url)
    database.upgrade()
    return Registry(database, ArtifactStore(root))


def test_migrations_are_idempotent(database_url: str, tmp_path: Path) -> None:
    open_registry(database_url, tmp_path).database.dispose()
    registry = open_registry(database_url, tmp_path)
    assert registry.list_models() == []
    registry.database.dispose()


def test_interrupted_job_fails_and_leaves_no_artifact(
    database_url: str, tmp_path: Path
) -> None:
    registry = open_registry(database_url, tmp_path)
    job = registry.create_job("job-1", "pump", "ridge", 10, 2, True, "test")
    path = registry.artifacts.relative_path("pump", job.id)
    registry.start_job(job.id, path)
    registry.artifacts.write(path, b"complete artifact without a version")
    (tmp_path / "pump" / f".partial-{job.id}.skops").write_bytes(b"half")
    with registry.database.session() as session:
        session.execute(update(JobRow).values(runner_pid=dead_pid()))

    assert registry.recover_interrupted_jobs() == ["job-1"]

    recovered = registry.get_job("job-1")
    assert recovered.status == JobStatus.FAILED
    assert recovered.error is not None
    assert "stopped before it finished" in recovered.error
    assert list((tmp_path / "pump").iterdir()) == []
    assert registry.list_models() == []
    registry.database.dispose()


def test_live_job_is_left_alone(database_url: str, tmp_path: Path) -> None:
    registry = open_registry(database_url, tmp_path)
    registry.create_job("job-2", "pump", "ridge", 10, 2, True, "test")
    assert registry.recover_interrupted_jobs() == []
    assert registry.get_job("job-2").status == JobStatus.QUEUED
    registry.database.dispose()


def test_orphaned_artifacts_removed(database_url: str, tmp_path: Path) -> None:
    registry = open_registry(database_url, tmp_path)
    running = registry.create_job("job-3", "pump", "ridge", 10, 2, True, "test")
    writing = registry.artifacts.relative_path("pump", running.id)
    registry.start_job(running.id, writing)
    registry.artifacts.write(writing, b"still being stored")
    registry.artifacts.write("pump/deleted-version.skops", b"left by a crash")
    (tmp_path / "pump" / ".partial-gone.skops").write_bytes(b"half")

    removed = registry.remove_orphaned_artifacts()

    assert removed == ["pump/.partial-gone.skops", "pump/deleted-version.skops"]
    assert [p.name for p in (tmp_path / "pump").iterdir()] == [f"{running.id}.skops"]
    registry.database.dispose()
