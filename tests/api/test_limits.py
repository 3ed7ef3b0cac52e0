"""Limits: request body size (413), rows and features (422), queued jobs (429),
and the training job timeout."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from failsight.api.app import create_app
from failsight.config import Settings
from tests.api.test_metrics import samples, value
from tests.helpers import as_csv, run_to_failure_rows, training_body

SLOW_FOREST = {"n_estimators": 2000, "max_depth": None, "min_samples_leaf": 1}
"""A random forest that takes several seconds on the helper data set."""


def limited(settings: Settings, **limits: Any) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=limits)))


@pytest.fixture
def small_limits(settings: Settings) -> Iterator[TestClient]:
    with limited(
        settings, max_body_bytes=64 * 1024, max_rows=50, max_features=3
    ) as client:
        yield client


def test_body_over_limit_is_413(small_limits: TestClient) -> None:
    body = json.dumps(training_body(rows=run_to_failure_rows(units=120)))
    assert len(body) > 64 * 1024
    response = small_limits.post(
        "/models/pump/train", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "65536 bytes" in response.json()["detail"]
    assert small_limits.get("/jobs").json() == []


def test_chunked_body_over_limit_is_413(small_limits: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"columns": ["a"], "rows": ['
        for _ in range(2000):
            yield b"[1.0], " * 10
        yield b"[1.0]]}"

    response = small_limits.post(
        "/models/pump/train",
        content=chunks(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert "65536 bytes" in response.json()["detail"]


def test_upload_over_limit_is_413(small_limits: TestClient) -> None:
    content = as_csv(run_to_failure_rows(units=120))
    assert len(content) > 64 * 1024
    response = small_limits.post(
        "/models/pump/train/file", files={"file": ("data.csv", content, "text/csv")}
    )
    assert response.status_code == 413


def test_rows_over_limit_are_422(small_limits: TestClient) -> None:
    rows = [[1.0, 2.0, 3.0]] * 51
    response = small_limits.post(
        "/models/pump/train", json={"columns": ["unit", "cycle", "load"], "rows": rows}
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "51 rows" in detail
    assert "limit is 50" in detail
    assert "FAILSIGHT_MAX_ROWS" in detail

    predicted = small_limits.post("/models/pump/predict", json={"rows": rows})
    assert predicted.status_code == 422
    assert "limit is 50" in predicted.json()["detail"]


def test_features_over_limit_are_422(small_limits: TestClient) -> None:
    response = small_limits.post(
        "/models/pump/train",
        json={"columns": ["a", "b", "c", "d"], "rows": [[1.0, 2.0, 3.0, 4.0]]},
    )
    assert response.status_code == 422
    assert "4 columns per row but the limit is 3" in response.json()["detail"]

    compat = small_limits.post(
        "/prediction/train",
        json={"age": [[1.0, 2.0, 3.0, 4.0]], "timeForFailure": [5.0]},
    )
    assert compat.status_code == 422
    assert "limit is 3" in compat.json()["detail"]


def test_file_rows_over_limit_are_422(settings: Settings) -> None:
    with limited(settings, max_rows=50) as client:
        response = client.post(
            "/models/pump/train/file",
            files={"file": ("data.csv", as_csv(run_to_failure_rows()), "text/csv")},
            data={"unitColumn": "unit", "ageColumn": "cycle"},
        )
    assert response.status_code == 422
    assert "limit is 50" in response.json()["detail"]


def test_full_queue_is_429(settings: Settings) -> None:
    with limited(settings, max_queued_jobs=1) as client:
        slow = training_body(estimator="random_forest", params=SLOW_FOREST)
        first = client.post("/models/pump/train", json=slow)
        assert first.status_code == 202, first.text

        refused = client.post("/models/pump/train", json=training_body())
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "30"
        assert "already queued or running" in refused.json()["detail"]
        compat = client.post(
            "/prediction/train", json={"age": [[1.0]], "timeForFailure": [1.0]}
        )
        assert compat.status_code == 429
        assert len(client.get("/jobs").json()) == 1


def test_job_timeout_fails_and_frees_worker(settings: Settings) -> None:
    with limited(settings, job_timeout_seconds=1.0, workers=1) as client:
        before = samples(client)
        slow = training_body(estimator="random_forest", params=SLOW_FOREST)
        # Waiting on a job that fails returns 200, not 201, because no version was created.
        waited = client.post("/models/pump/train?wait=true", json=slow)
        assert waited.status_code == 200
        job = waited.json()
        assert job["status"] == "failed"
        assert "timed out after 1 seconds" in job["error"]
        assert job["version"] is None
        jobs = "failsight_training_jobs_total"
        after = samples(client)
        timed_out = value(after, jobs, outcome="timed_out")
        assert timed_out - value(before, jobs, outcome="timed_out") == 1

        # The only worker was stopped and replaced, so the next job runs.
        quick = client.post("/models/pump/train?wait=true", json=training_body())
        assert quick.status_code == 201
        assert quick.json()["status"] == "succeeded", quick.json()["error"]
        assert quick.json()["version"] == 1
