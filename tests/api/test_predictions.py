"""Predictions from the active version or a named one."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.helpers import COLUMNS, as_csv, as_whitespace, run_to_failure_rows, train

FEATURES = ["cycle", "temperature", "vibration"]


@pytest.fixture
def trained(client: TestClient) -> TestClient:
    train(client, estimator="ridge")
    return client


def test_rows_in_feature_order(trained: TestClient) -> None:
    response = trained.post(
        "/models/pump/predict", json={"rows": [[5.0, 504.0, 1.9], [45.0, 536.0, 8.0]]}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["model"] == "pump"
    assert body["version"] == 1
    early, late = body["timeToFailure"]
    assert early > late >= 0


def test_named_columns_in_any_order(trained: TestClient) -> None:
    ordered = trained.post(
        "/models/pump/predict", json={"rows": [[5.0, 504.0, 1.9]]}
    ).json()
    named = trained.post(
        "/models/pump/predict",
        json={
            "rows": [[1.9, 7.0, 5.0, 504.0]],
            "columns": ["vibration", "unit", "cycle", "temperature"],
        },
    ).json()
    assert named["timeToFailure"] == pytest.approx(ordered["timeToFailure"])


def test_feature_count_mismatch(trained: TestClient) -> None:
    response = trained.post("/models/pump/predict", json={"rows": [[1.0, 2.0]]})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "expects 3 features, got 2" in detail
    assert "cycle, temperature, vibration" in detail


def test_missing_named_feature(trained: TestClient) -> None:
    response = trained.post(
        "/models/pump/predict",
        json={"rows": [[1.0, 2.0]], "columns": ["cycle", "temperature"]},
    )
    assert response.status_code == 422
    assert "vibration" in response.json()["detail"]


@pytest.mark.parametrize(
    "rows",
    [[], [[]], [[1.0, 2.0, 3.0], [4.0, 5.0]]],
    ids=["empty", "empty-row", "ragged"],
)
def test_bad_row_shapes(trained: TestClient, rows: list[list[float]]) -> None:
    response = trained.post("/models/pump/predict", json={"rows": rows})
    assert response.status_code == 422


def test_non_finite_row_value(trained: TestClient) -> None:
    response = trained.post(
        "/models/pump/predict",
        content='{"rows": [[1.0, NaN, 2.0]]}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "rows", 0, 1]


def test_named_version(trained: TestClient) -> None:
    train(trained, estimator="linear")
    row = [[5.0, 504.0, 1.9]]
    assert (
        trained.post("/models/pump/predict", json={"rows": row}).json()["version"] == 2
    )
    old = trained.post("/models/pump/predict", json={"rows": row, "version": 1}).json()
    assert old["version"] == 1
    missing = trained.post("/models/pump/predict", json={"rows": row, "version": 7})
    assert missing.status_code == 404


def test_never_negative(trained: TestClient) -> None:
    response = trained.post(
        "/models/pump/predict", json={"rows": [[500.0, 900.0, 80.0]]}
    )
    assert response.json()["timeToFailure"] == [0.0]


def test_model_without_active_version(client: TestClient) -> None:
    train(client, activate=False)
    response = client.post("/models/pump/predict", json={"rows": [[1.0, 2.0, 3.0]]})
    assert response.status_code == 409
    assert "no active version" in response.json()["detail"]


def test_file_last_row_per_unit(trained: TestClient) -> None:
    rows = run_to_failure_rows(units=3, seed=5)
    response = trained.post(
        "/models/pump/predict/file",
        files={"file": ("fleet.csv", as_csv(rows), "text/csv")},
        data={"lastRowPerUnit": "true"},
    )
    assert response.status_code == 200, response.text
    predictions = response.json()["predictions"]
    assert [p["unit"] for p in predictions] == [1, 2, 3]
    last_cycles = {}
    for row in rows:
        last_cycles[row[0]] = row[1]
    assert [p["age"] for p in predictions] == list(last_cycles.values())
    assert all(p["timeToFailure"] >= 0 for p in predictions)


def test_file_every_row(trained: TestClient) -> None:
    rows = run_to_failure_rows(units=2, seed=5)
    response = trained.post(
        "/models/pump/predict/file",
        files={"file": ("fleet.csv", as_csv(rows, COLUMNS), "text/csv")},
    )
    assert response.status_code == 200
    assert len(response.json()["predictions"]) == len(rows)


def test_file_missing_feature(trained: TestClient) -> None:
    response = trained.post(
        "/models/pump/predict/file",
        files={"file": ("fleet.csv", b"unit,cycle\n1,1\n1,2\n", "text/csv")},
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "temperature, vibration" in detail
    assert "the rows have unit, cycle" in detail


def test_file_named_unit_column_missing(trained: TestClient) -> None:
    rows = run_to_failure_rows(units=2, seed=5)
    response = trained.post(
        "/models/pump/predict/file",
        files={"file": ("fleet.txt", as_whitespace(rows), "text/plain")},
        data={"unitColumn": "unit", "lastRowPerUnit": "true"},
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "unitColumn names column 'unit'" in detail
    assert "available columns: column_1, column_2" in detail
    assert "preset" in detail


def test_file_last_row_needs_unit_column(trained: TestClient) -> None:
    rows = run_to_failure_rows(units=2, seed=5)
    response = trained.post(
        "/models/pump/predict/file",
        files={"file": ("fleet.txt", as_whitespace(rows), "text/plain")},
        data={"lastRowPerUnit": "true"},
    )
    assert response.status_code == 422
    assert "lastRowPerUnit needs a unit column" in response.json()["detail"]


def test_repeated_column_names(trained: TestClient) -> None:
    response = trained.post(
        "/models/pump/predict",
        json={
            "rows": [[1.0, 2.0, 500.0, 1.5]],
            "columns": ["cycle", "cycle", "temperature", "vibration"],
        },
    )
    assert response.status_code == 422
    assert "columns repeats cycle" in response.json()["detail"]


@pytest.mark.parametrize("version", [2**31, 2**64])
def test_version_beyond_range(trained: TestClient, version: int) -> None:
    body = {"rows": [[5.0, 504.0, 1.9]], "version": version}
    response = trained.post("/models/pump/predict", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "version"]

    upload = trained.post(
        "/models/pump/predict/file",
        files={"file": ("fleet.csv", as_csv(run_to_failure_rows(units=2)), "text/csv")},
        data={"version": str(version)},
    )
    assert upload.status_code == 422


def test_file_echoes_text_ages(trained: TestClient) -> None:
    content = (
        b"unit,day,cycle,temperature,vibration\n"
        b"A,2020-01-01,10,510,1.5\nA,2020-01-02,11,511,1.6\nB,2020-01-01,5,504,1.2\n"
    )
    response = trained.post(
        "/models/pump/predict/file",
        files={"file": ("fleet.csv", content, "text/csv")},
        data={"unitColumn": "unit", "ageColumn": "day", "lastRowPerUnit": "true"},
    )
    assert response.status_code == 200, response.text
    predictions = response.json()["predictions"]
    assert [(p["unit"], p["age"]) for p in predictions] == [
        ("A", "2020-01-02"),
        ("B", "2020-01-01"),
    ]


def test_file_missing_age_echoed_as_null(trained: TestClient) -> None:
    content = b"unit,cycle,temperature,vibration,hours\n1,10,510,1.5,\n1,11,511,1.6,4\n"
    response = trained.post(
        "/models/pump/predict/file",
        files={"file": ("fleet.csv", content, "text/csv")},
        data={"ageColumn": "hours"},
    )
    assert response.status_code == 200, response.text
    assert [p["age"] for p in response.json()["predictions"]] == [None, 4.0]


def test_file_missing_unit_id(trained: TestClient) -> None:
    content = b"unit,cycle,temperature,vibration\n1,10,510,1.5\n,11,511,1.6\n"
    response = trained.post(
        "/models/pump/predict/file",
        files={"file": ("fleet.csv", content, "text/csv")},
        data={"lastRowPerUnit": "true"},
    )
    assert response.status_code == 422
    assert "no unit id at row 2" in response.json()["detail"]


@pytest.mark.parametrize("version", ["1", True, 1.5])
def test_version_must_be_integer(trained: TestClient, version: object) -> None:
    body = {"rows": [[5.0, 504.0, 1.9]], "version": version}
    response = trained.post("/models/pump/predict", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "version"]
