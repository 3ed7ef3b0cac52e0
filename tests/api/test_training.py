"""Training jobs through the HTTP API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import (
    COLUMNS,
    as_csv,
    as_whitespace,
    run_to_failure_rows,
    train,
    training_body,
    wait_for_job,
)


def test_json_rows_queue_a_job(client: TestClient) -> None:
    response = client.post("/models/pump/train", json=training_body())
    assert response.status_code == 202
    job = response.json()
    assert job["status"] in ("queued", "running")
    assert response.headers["location"] == f"/jobs/{job['id']}"

    finished = wait_for_job(client, job["id"])
    assert finished["status"] == "succeeded"
    assert finished["stage"] == "done"
    assert finished["version"] == 1
    assert finished["rows"] == len(run_to_failure_rows())
    assert finished["units"] == 8


def test_version_records_training(client: TestClient) -> None:
    train(client, cap=40.0, estimator="hist_gradient_boosting", params={"max_iter": 30})
    version = client.get("/models/pump/versions/1").json()
    assert version["estimator"] == "hist_gradient_boosting"
    assert version["params"]["max_iter"] == 30
    assert version["params"]["learning_rate"] == 0.05
    assert version["featureNames"] == ["cycle", "temperature", "vibration"]
    assert version["droppedFeatures"] == ["constant"]
    assert version["target"] == {"column": None, "derived": True, "cap": 40.0}
    counts = version["counts"]
    assert counts["trainUnits"] + counts["testUnits"] == 8
    assert counts["testUnits"] >= 1
    assert counts["trainRows"] + counts["testRows"] == len(run_to_failure_rows())
    assert set(version["metrics"]) == {"rmse", "mae", "r2", "phm08", "phm08Mean"}
    assert version["refitted"] is True
    assert len(version["dataSha256"]) == 64
    assert len(version["artifactSha256"]) == 64
    assert version["libraryVersions"]["scikit-learn"]
    assert version["createdBy"] == "api"


@pytest.mark.parametrize(
    "estimator", ["linear", "ridge", "hist_gradient_boosting", "random_forest"]
)
def test_every_estimator_trains(client: TestClient, estimator: str) -> None:
    params: dict[str, Any] = (
        {"n_estimators": 10} if estimator == "random_forest" else {}
    )
    job = train(client, estimator=estimator, params=params)
    version = client.get(f"/models/pump/versions/{job['version']}").json()
    assert version["estimator"] == estimator
    # The synthetic wear signal is strong; every estimator beats a constant guess.
    assert version["metrics"]["r2"] > 0.3


def test_same_seed_same_metrics(client: TestClient) -> None:
    first = train(client, estimator="hist_gradient_boosting", params={"max_iter": 20})
    second = train(client, estimator="hist_gradient_boosting", params={"max_iter": 20})
    metrics = [
        client.get(f"/models/pump/versions/{job['version']}").json()["metrics"]
        for job in (first, second)
    ]
    assert metrics[0] == metrics[1]


def test_explicit_target_column(client: TestClient) -> None:
    rows = [[*row, 60.0 - row[1]] for row in run_to_failure_rows()]
    job = train(
        client,
        columns=[*COLUMNS, "rul"],
        rows=rows,
        targetColumn="rul",
        features=["temperature", "vibration"],
    )
    version = client.get(f"/models/pump/versions/{job['version']}").json()
    assert version["target"]["column"] == "rul"
    assert version["featureNames"] == ["temperature", "vibration"]


def test_no_activate_keeps_previous(client: TestClient) -> None:
    train(client)
    train(client, activate=False)
    assert client.get("/models/pump").json()["activeVersion"] == 1


def test_refit_false_is_recorded(client: TestClient) -> None:
    job = train(client, refit=False)
    assert (
        client.get(f"/models/pump/versions/{job['version']}").json()["refitted"]
        is False
    )


def test_csv_upload(client: TestClient) -> None:
    response = client.post(
        "/models/pump/train/file?wait=true",
        files={"file": ("history.csv", as_csv(run_to_failure_rows()), "text/csv")},
        data={
            "unitColumn": "unit",
            "ageColumn": "cycle",
            "estimator": "ridge",
            "cap": "30",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "succeeded"
    version = client.get("/models/pump/versions/1").json()
    assert version["target"]["cap"] == 30.0


def test_whitespace_upload_with_columns(client: TestClient) -> None:
    response = client.post(
        "/models/pump/train/file?wait=true",
        files={
            "file": ("history.txt", as_whitespace(run_to_failure_rows()), "text/plain")
        },
        data={
            "columns": ",".join(COLUMNS),
            "unitColumn": "unit",
            "ageColumn": "cycle",
            "estimator": "random_forest",
            "params": '{"n_estimators": 5}',
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "succeeded"


def test_jobs_list_newest_first(client: TestClient) -> None:
    train(client)
    train(client, model="fan")
    jobs = client.get("/jobs").json()
    assert [job["model"] for job in jobs] == ["fan", "pump"]
    assert [job["model"] for job in client.get("/jobs?model=pump").json()] == ["pump"]


def test_unknown_job(client: TestClient) -> None:
    response = client.get("/jobs/not-a-job")
    assert response.status_code == 404
    assert "not-a-job" in response.json()["detail"]
