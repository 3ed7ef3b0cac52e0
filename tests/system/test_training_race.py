"""Training requests sent at the same moment each store their own version."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.helpers import run_to_failure_rows, training_body
from tests.system.conftest import ServerFactory
from tests.system.helpers import wait_for_job
from tests.system.server import RegistryRows, Server

MODEL = "pump"
REQUESTS = 6


def _post_training(url: str, seed: int) -> httpx.Response:
    body = training_body(rows=run_to_failure_rows(seed=seed), seed=seed)
    with httpx.Client(base_url=url, timeout=60.0) as client:
        return client.post(f"/models/{MODEL}/train", json=body)


def test_simultaneous_training_requests(
    database_url: str,
    start_server: ServerFactory,
    rows_of: Callable[[Server], RegistryRows],
) -> None:
    # Two training workers, so that jobs also finish and commit at the same time.
    server = start_server(database_url, settings={"WORKERS": "2"})
    rows = rows_of(server)
    seeds = list(range(REQUESTS))
    with ThreadPoolExecutor(REQUESTS) as pool:
        responses = list(pool.map(lambda seed: _post_training(server.url, seed), seeds))

    accepted: dict[str, int] = {}
    for seed, response in zip(seeds, responses, strict=True):
        if response.status_code == 429:
            # A refusal is allowed when it carries a Retry-After header.
            assert "Retry-After" in response.headers
            continue
        assert response.status_code == 202, response.text
        accepted[response.json()["id"]] = seed
    assert len(accepted) >= 2, "too few requests accepted to race"

    jobs: dict[str, dict[str, Any]] = {}
    with server.client() as client:
        for job_id in accepted:
            jobs[job_id] = wait_for_job(client, job_id)
    assert [job["status"] for job in jobs.values()] == ["succeeded"] * len(jobs)

    numbers = sorted(job["version"] for job in jobs.values())
    assert numbers == list(range(1, len(jobs) + 1)), "numbers must be distinct, no gaps"
    stored = {row.number: row for row in rows.versions(MODEL)}
    assert sorted(stored) == numbers
    for job_id, job in jobs.items():
        version = stored[job["version"]]
        assert version.job_id == job_id
        # Each version was trained on the data and seed of its own request.
        assert version.seed == accepted[job_id]
        assert (server.artifact_dir / version.artifact_path).is_file()
    data_hashes = {row.data_sha256 for row in stored.values()}
    assert len(data_hashes) == len(stored)
    model = rows.model(MODEL)
    assert model is not None
    assert model.last_version == len(jobs)
    assert model.active_version in stored
