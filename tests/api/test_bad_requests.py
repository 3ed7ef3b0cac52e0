"""Hostile and malformed requests get a clear 4xx, never a 500.

A JSON body cut off in the middle and a valid JSON body sent as text/plain
both get 422, as FastAPI's other validation errors do, with a message that
names what to send instead.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.helpers import COLUMNS, run_to_failure_rows, train

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    "body",
    [
        '{"input": "NaN"}',
        '{"input": 1e999}',
        '{"input": -1e999}',
        '{"input": true}',
        '{"input": null}',
        '{"input": "Infinity"}',
        '{"input": []}',
        '{"input": {}}',
        '{"input": 42, "extra": 1}',
        "{}",
        "[]",
        '"42"',
        "42",
    ],
)
def test_compat_predict_rejects(client: TestClient, body: str) -> None:
    client.post(
        "/prediction/train",
        json={"age": [[1.0], [2.0], [3.0]], "timeForFailure": [3.0, 2.0, 1.0]},
    )
    response = client.post("/prediction/predict", content=body, headers=JSON)
    if body == '{"input": 42, "extra": 1}':
        # The template's schema ignores unknown fields, and so does this one.
        assert response.status_code == 200
        return
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][0] == "body"


@pytest.mark.parametrize(
    "literal", ['"Infinity"', '"-Infinity"', "Infinity", '"1e999"']
)
def test_training_rows_with_infinity(client: TestClient, literal: str) -> None:
    rows = [[str(value) for value in row] for row in run_to_failure_rows()]
    rows[5][3] = literal
    text = (
        '{"columns": ["' + '", "'.join(COLUMNS) + '"], "unitColumn": "unit", '
        '"ageColumn": "cycle", "rows": ['
        + ", ".join("[" + ", ".join(row) + "]" for row in rows)
        + "]}"
    )
    response = client.post("/models/pump/train", content=text, headers=JSON)
    assert response.status_code == 422, response.text
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "rows", 5, 3]
    assert client.get("/jobs").json() == []


@pytest.mark.parametrize(
    "path",
    [
        "/prediction/predict",
        "/prediction/train",
        "/models/pump/train",
        "/models/pump/predict",
    ],
)
def test_truncated_json_is_422(client: TestClient, path: str) -> None:
    response = client.post(path, content='{"rows": [[1.0, 2.0], [3.0', headers=JSON)
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["type"] == "json_invalid"
    assert "not valid JSON" in error["msg"]
    assert "character 26" in error["msg"]


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", ""]
)
def test_json_as_text_is_422(client: TestClient, content_type: str) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post(
        "/prediction/predict", content='{"input": 42.0}', headers=headers
    )
    assert response.status_code == 422, response.text
    message = response.json()["detail"][0]["msg"]
    assert "Content-Type: application/json" in message


def test_empty_body_is_422(client: TestClient) -> None:
    response = client.post("/models/pump/train", content=b"", headers=JSON)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


def test_fifty_megabytes_is_413(client: TestClient) -> None:
    body = b'{"input": ' + b"1" * (50 * 1024 * 1024) + b"}"
    response = client.post("/prediction/predict", content=body, headers=JSON)
    assert response.status_code == 413
    assert "33554432 bytes" in response.json()["detail"]


def test_delete_active_version_is_409(client: TestClient) -> None:
    train(client, "pump")
    response = client.delete("/models/pump/versions/1")
    assert response.status_code == 409
    assert "active" in response.json()["detail"]
    assert client.get("/models/pump/versions/1").status_code == 200


def test_activate_missing_version_is_404(client: TestClient) -> None:
    train(client, "pump")
    response = client.post("/models/pump/versions/7/activate")
    assert response.status_code == 404
    assert "7" in response.json()["detail"]
    assert client.get("/models/pump").json()["activeVersion"] == 1


@pytest.mark.parametrize("number", ["0", "-1", "abc", "99999999999"])
def test_invalid_version_number_is_422(client: TestClient, number: str) -> None:
    response = client.post(f"/models/pump/versions/{number}/activate")
    assert response.status_code == 422


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_long_model_name_is_422(client: TestClient, method: str) -> None:
    path = "/models/" + "a" * 300 + ("/train" if method == "POST" else "")
    response = client.request(method, path, json={"columns": ["a"], "rows": [[1.0]]})
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["path", "name"]
    assert "63" in error["msg"]


@pytest.mark.parametrize(
    "name", ["..%2F..%2Fetc", "a..%2Fb", "..", "%2E%2E", "UPPER", "a b"]
)
def test_path_like_model_name_rejected(client: TestClient, name: str) -> None:
    train_response = client.post(
        f"/models/{name}/train", json={"columns": ["a"], "rows": [[1.0]]}
    )
    assert train_response.status_code in (404, 405, 422)
    read_response = client.get(f"/models/{name}/versions")
    assert read_response.status_code in (404, 422)
    assert client.get("/jobs").json() == []


@pytest.mark.parametrize("value", [1.7e308, -1.7e308])
def test_overflowing_value_is_422(client: TestClient, value: float) -> None:
    # The training ages have a standard deviation below 1, so scaling these
    # finite inputs overflows to infinity.
    client.post(
        "/prediction/train",
        json={"age": [[1.0], [2.0], [3.0]], "timeForFailure": [3.0, 2.0, 1.0]},
    )
    response = client.post("/prediction/predict", json={"input": abs(value)})
    assert response.status_code == 422, response.text
    assert "magnitude" in response.json()["detail"]
    rows = client.post("/models/default/predict", json={"rows": [[value]]})
    assert rows.status_code == 422, rows.text
