"""The original template's endpoints keep their exact shapes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

HEALTHY = {"status": "healthy", "message": "The API is running smoothly."}
AGES = [[12.0], [30.0], [45.0], [60.0], [75.0], [90.0]]
TIMES = [88.0, 70.0, 55.0, 40.0, 25.0, 10.0]


@pytest.mark.parametrize("path", ["/", "/health"])
def test_health_shape(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == HEALTHY


def test_predict_before_training_says_train_first(client: TestClient) -> None:
    response = client.post("/prediction/predict", json={"input": 42.0})
    assert 400 <= response.status_code < 500
    assert "train" in response.json()["detail"]


def test_train_then_predict(client: TestClient) -> None:
    trained = client.post(
        "/prediction/train", json={"age": AGES, "timeForFailure": TIMES}
    )
    assert trained.status_code == 200, trained.text
    body = trained.json()
    assert body["model"] == "default"
    assert body["version"] == 1
    assert body["metrics"]["rmse"] >= 0

    predicted = client.post("/prediction/predict", json={"input": 42.0})
    assert predicted.status_code == 200
    result = predicted.json()["result"]
    # The data lie close to the line 100 - age, which linear regression recovers.
    assert result == pytest.approx(58.0, abs=2.0)

    version = client.get("/models/default/versions/1").json()
    assert version["estimator"] == "linear"
    assert version["featureNames"] == ["age"]
    assert version["active"] is True


def test_predict_clips_at_zero(client: TestClient) -> None:
    client.post("/prediction/train", json={"age": AGES, "timeForFailure": TIMES})
    response = client.post("/prediction/predict", json={"input": 500.0})
    assert response.status_code == 200
    assert response.json()["result"] == 0.0


def test_train_several_features_per_row(client: TestClient) -> None:
    rows = [[age, age * 2 + 1] for (age,) in AGES]
    response = client.post(
        "/prediction/train", json={"age": rows, "timeForFailure": TIMES}
    )
    assert response.status_code == 200
    version = client.get("/models/default/versions/1").json()
    assert version["featureNames"] == ["age_1", "age_2"]

    # The compatibility predict sends one value; the version expects two.
    mismatch = client.post("/prediction/predict", json={"input": 3.0})
    assert mismatch.status_code == 422
    assert "expects 2 features, got 1" in mismatch.json()["detail"]


def test_train_lengths_differ(client: TestClient) -> None:
    response = client.post(
        "/prediction/train", json={"age": AGES, "timeForFailure": TIMES[:4]}
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "6" in detail
    assert "4" in detail
    assert client.get("/models").json() == []


@pytest.mark.parametrize("value", [0, -1.5, "NaN", "42", True, None, "abc"], ids=repr)
def test_predict_rejects_input(client: TestClient, value: object) -> None:
    response = client.post("/prediction/predict", json={"input": value})
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "input"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_predict_rejects_non_finite_literals(client: TestClient, literal: str) -> None:
    response = client.post(
        "/prediction/predict",
        content=f'{{"input": {literal}}}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "input"]


@pytest.mark.parametrize(
    ("age", "times", "fragment"),
    [
        ([[1.0, 2.0, 3.0], [4.0, 5.0]], [1.0, 2.0], "age[1] has 2 values"),
        ([], [], "age is empty"),
        ([[]], [1.0], "age[0] has 0 values"),
        ([[1.0], [2.0]], [5.0, 4.0], "at least"),
    ],
)
def test_train_rejects_shape(
    client: TestClient, age: list[list[float]], times: list[float], fragment: str
) -> None:
    response = client.post(
        "/prediction/train", json={"age": age, "timeForFailure": times}
    )
    assert response.status_code == 422
    assert fragment in response.json()["detail"]
    assert client.get("/jobs").json() == []
    assert client.get("/models").json() == []
