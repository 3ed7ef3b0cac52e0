"""Requests that system tests send to a running server."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.helpers import run_to_failure_rows, training_body

JOB_TIMEOUT = 90.0

# Rows in the order of the features a version trained on training_body() uses:
# cycle, temperature, vibration (unit is the unit column, constant is dropped).
PROBE_ROWS = [[10.0, 508.0, 1.9], [25.0, 520.0, 2.6], [40.0, 532.0, 6.0]]


def slow_training_body(units: int = 200, trees: int = 1500) -> dict[str, Any]:
    """Build a random forest job that keeps a worker fitting for several
    seconds; the time grows with the units and the trees."""
    return training_body(
        rows=run_to_failure_rows(units=units, seed=3),
        estimator="random_forest",
        params={"n_estimators": trees, "max_depth": None, "min_samples_leaf": 1},
        refit=False,
    )


def submit(client: httpx.Client, model: str, **overrides: Any) -> dict[str, Any]:
    response = client.post(f"/models/{model}/train", json=training_body(**overrides))
    assert response.status_code == 202, response.text
    job: dict[str, Any] = response.json()
    return job


def wait_for_job(
    client: httpx.Client, job_id: str, timeout: float = JOB_TIMEOUT
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/jobs/{job_id}").json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish within {timeout:g} s")


def wait_for_stage(
    client: httpx.Client, job_id: str, stage: str, timeout: float = JOB_TIMEOUT
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/jobs/{job_id}").json()
        if job["stage"] == stage:
            return job
        assert job["status"] != "failed", job["error"]
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not reach {stage!r} within {timeout:g} s")


def train(client: httpx.Client, model: str, **overrides: Any) -> int:
    """Train a version, wait for it and return its number."""
    job = wait_for_job(client, submit(client, model, **overrides)["id"])
    assert job["status"] == "succeeded", job["error"]
    number: int = job["version"]
    return number


def predict(
    client: httpx.Client, model: str, version: int | None = None
) -> httpx.Response:
    body: dict[str, Any] = {"rows": PROBE_ROWS}
    if version is not None:
        body["version"] = version
    return client.post(f"/models/{model}/predict", json=body)
