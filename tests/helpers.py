"""Builders of small run-to-failure data sets and waiting helpers for tests."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from fastapi.testclient import TestClient

COLUMNS = ["unit", "cycle", "temperature", "vibration", "constant"]


def run_to_failure_rows(units: int = 8, seed: int = 0) -> list[list[float]]:
    """Rows of units that wear out: vibration rises and temperature drifts as
    each unit approaches its last cycle. The column ``constant`` never varies."""
    rng = np.random.default_rng(seed)
    rows: list[list[float]] = []
    for unit in range(1, units + 1):
        life = int(rng.integers(30, 60))
        for cycle in range(1, life + 1):
            left = life - cycle
            rows.append(
                [
                    float(unit),
                    float(cycle),
                    round(500.0 + 0.8 * cycle + rng.normal(0, 0.5), 3),
                    round(1.0 + 40.0 / (left + 5) + rng.normal(0, 0.05), 4),
                    7.0,
                ]
            )
    return rows


def as_csv(rows: list[list[float]], columns: list[str] = COLUMNS) -> bytes:
    lines = [",".join(columns)] + [",".join(f"{v:g}" for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def as_whitespace(rows: list[list[float]]) -> bytes:
    return "".join(" ".join(f"{v:g}" for v in row) + "  \n" for row in rows).encode()


def training_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "columns": COLUMNS,
        "rows": run_to_failure_rows(),
        "unitColumn": "unit",
        "ageColumn": "cycle",
        "estimator": "ridge",
    }
    body.update(overrides)
    return body


def wait_for_job(
    client: TestClient, job_id: str, timeout: float = 60
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/jobs/{job_id}").json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish within {timeout} s")


def train(client: TestClient, model: str = "pump", **overrides: Any) -> dict[str, Any]:
    """Train a version and wait for it; return the finished job."""
    response = client.post(
        f"/models/{model}/train?wait=true", json=training_body(**overrides)
    )
    assert response.status_code == 201, response.text
    job: dict[str, Any] = response.json()
    assert job["status"] == "succeeded", job["error"]
    return job
