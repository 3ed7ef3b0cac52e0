"""Registry transactions and recovery after a crash."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import update

from failsight.domain.errors import ConflictError, NotFoundError
from failsight.domain.records import (
    DataCounts,
    Evaluation,
    JobStatus,
    Metrics,
    TargetSettings,
)
from failsight.registry.artifacts import ArtifactStore
from failsight.registry.database import Database
from failsight.registry.records import version_values
from failsight.registry.store import Registry
from failsight.registry.tables import JobRow, utc_now


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


def store_version(registry: Registry, model: str, job_id: str) -> int:
    """Store a version row with a placeholder artifact, as a training job would."""
    path = registry.artifacts.relative_path(model, job_id)
    stored = registry.artifacts.write(path, b"artifact of " + job_id.encode())
    values = version_values(
        model=model,
        estimator="ridge",
        params={"alpha": 1.0},
        feature_names=["load"],
        dropped_features=[],
        unit_column="unit",
        age_column="cycle",
        target=TargetSettings(column=None),
        counts=DataCounts(4, 2, 2, 1),
        metrics=Metrics(1.0, 1.0, 0.5, 1.0, 0.5),
        evaluation=Evaluation(true=[1.0], predicted=[1.0]),
        refitted=True,
        seed=42,
        test_fraction=0.2,
        data_sha256="0" * 64,
        artifact_sha256=stored.sha256,
        artifact_bytes=stored.size,
        library_versions={},
        created_by="test",
        job_id=job_id,
        created_at=utc_now(),
    )
    return registry.add_version(values, path, job_id, activate=True)


def race_activation_and_deletion(registry: Registry, model: str) -> list[str]:
    """Activate and delete version 1 from six threads at once; return outcomes."""
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def attempt(change: Callable[[str, int], object], success: str) -> None:
        barrier.wait()
        try:
            change(model, 1)
            outcomes.append(success)
        except (NotFoundError, ConflictError) as error:
            outcomes.append(type(error).__name__)

    threads = [
        threading.Thread(target=attempt, args=(registry.activate, "activated"))
        for _ in range(3)
    ]
    threads += [
        threading.Thread(target=attempt, args=(registry.delete_version, "deleted"))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_activate_and_delete_race(database_url: str, tmp_path: Path) -> None:
    """Activation and deletion of one version at once never leave the model
    pointing at a deleted version, and only one deletion succeeds."""
    registry = open_registry(database_url, tmp_path)
    for round_number in range(8):
        model = f"race-{round_number}"
        store_version(registry, model, f"{model}-a")
        store_version(registry, model, f"{model}-b")

        outcomes = race_activation_and_deletion(registry, model)

        assert len(outcomes) == 6
        assert outcomes.count("deleted") <= 1
        active = registry.get_model(model).active_version
        numbers = [version.number for version in registry.list_versions(model)]
        assert active in numbers, (outcomes, active, numbers)
    registry.database.dispose()
