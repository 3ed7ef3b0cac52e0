"""A training worker killed mid-job: the job fails, nothing half-stored remains."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

from tests.system.conftest import ServerFactory
from tests.system.helpers import (
    predict,
    slow_training_body,
    train,
    wait_for_job,
    wait_for_stage,
)
from tests.system.server import RegistryRows, Server

MODEL = "pump"


def _start_slow_job(server: Server, rows: RegistryRows) -> tuple[str, int]:
    """Submit a slow job and wait until its worker is fitting; return the job id
    and the worker's pid as the registry recorded it."""
    with server.client() as client:
        response = client.post(f"/models/{MODEL}/train", json=slow_training_body())
        assert response.status_code == 202, response.text
        job_id: str = response.json()["id"]
        wait_for_stage(client, job_id, "fitting")
    runner_pid = rows.job(job_id).runner_pid
    assert runner_pid is not None
    return job_id, runner_pid


def _gone(pid: int) -> bool:
    """Check whether a process exited; an unreaped zombie counts as exited."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def _files(server: Server) -> list[str]:
    return sorted(
        str(path.relative_to(server.artifact_dir))
        for path in server.artifact_dir.rglob("*")
        if path.is_file()
    )


def test_killed_worker_fails_job_and_pool_recovers(
    start_server: ServerFactory, rows_of: Callable[[Server], RegistryRows]
) -> None:
    server = start_server()
    rows = rows_of(server)
    with server.client() as client:
        first = train(client, MODEL)
        job_id, runner_pid = _start_slow_job(server, rows)

        os.kill(runner_pid, signal.SIGKILL)
        job = wait_for_job(client, job_id, timeout=20)

        assert job["status"] == "failed"
        assert "worker process died" in job["error"]
        assert job["version"] is None
        served = predict(client, MODEL)
        assert served.status_code == 200, served.text
        assert served.json()["version"] == first
        # The pool replaced the dead worker: the next job runs and succeeds.
        assert train(client, MODEL) == first + 1
    assert [row.number for row in rows.versions(MODEL)] == [first, first + 1]


def test_crash_mid_job_is_failed_after_restart(
    start_server: ServerFactory, rows_of: Callable[[Server], RegistryRows]
) -> None:
    server = start_server()
    rows = rows_of(server)
    with server.client() as client:
        first = train(client, MODEL)
    files_before = _files(server)
    job_id, runner_pid = _start_slow_job(server, rows)
    artifact_path = rows.job(job_id).artifact_path
    assert artifact_path is not None

    # A crash of the whole host side: server, fork server and worker at once,
    # so no process is left to record the failure before the restart.
    server.kill()
    assert _gone(runner_pid)
    # The worker died while fitting, before it wrote anything. Leave what a
    # crash during the atomic write or just before the registry commit would
    # leave, to check that recovery removes both.
    target = server.artifact_dir / artifact_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.with_name(".partial-" + target.name).write_bytes(b"half an artifact")
    target.write_bytes(b"a complete artifact that no version references")
    server.start()

    with server.client() as client:
        job = client.get(f"/jobs/{job_id}").json()
        assert job["status"] == "failed"
        assert "stopped before it finished" in job["error"]
        assert job["version"] is None
        served = predict(client, MODEL)
        assert served.status_code == 200, served.text
        assert served.json()["version"] == first
    assert _files(server) == files_before
    assert [row.number for row in rows.versions(MODEL)] == [first]
    model = rows.model(MODEL)
    assert model is not None
    assert model.active_version == first
    assert model.last_version == first
