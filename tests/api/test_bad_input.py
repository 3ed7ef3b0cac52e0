"""Every kind of bad training input gets a 4xx that names the problem and stores nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import COLUMNS, as_csv, run_to_failure_rows, training_body


def assert_nothing_stored(client: TestClient) -> None:
    assert client.get("/jobs").json() == []
    assert client.get("/models").json() == []


def raw_post(client: TestClient, path: str, text: str) -> Any:
    return client.post(path, content=text, headers={"content-type": "application/json"})


@pytest.mark.parametrize(
    "literal",
    ["NaN", "Infinity", "-Infinity", "1e999", '"NaN"', '"Infinity"', '"abc"', "true"],
)
def test_non_finite_or_text_value(client: TestClient, literal: str) -> None:
    rows = run_to_failure_rows()
    body = training_body(rows=rows)
    text = json.dumps(body).replace(f"{rows[3][2]}", literal, 1)
    response = raw_post(client, "/models/pump/train", text)
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "rows", 3, 2]
    assert error["input"] is not None
    assert_nothing_stored(client)


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        (
            {"rows": [[1, 2, 3, 4, 5], [1, 2]]},
            "rows[1] has 2 values but columns names 5",
        ),
        ({"rows": []}, "rows is empty"),
        ({"rows": [[]]}, "rows[0] has 0 values"),
        ({"rows": [[1, c, 5, 1, 7] for c in range(1, 9)]}, "at least 2 units"),
        ({"rows": [[u, 1, 5, 1, 7] for u in (1, 2)]}, "training needs at least 3 rows"),
        ({"unitColumn": "engine"}, "unitColumn names column 'engine'"),
        ({"features": ["temperature", "pressure"]}, "features names column 'pressure'"),
        ({"ageColumn": None}, "targetColumn is missing"),
        ({"estimator": "svm"}, "estimator 'svm' is unknown"),
        ({"estimator": "ridge", "params": {"alpha": -1}}, "params.alpha = -1"),
        ({"estimator": "ridge", "params": {"depth": 3}}, "params.depth"),
        ({"columns": ["unit", "unit", "a", "b", "c"]}, "columns repeats unit"),
        ({"features": ["constant"]}, "every feature column is constant"),
        ({"features": ["unit"]}, "features include 'unit'"),
        ({"testFraction": 0.95}, "testFraction = 0.95 holds out all 8 units"),
        ({"unitColumn": "cycle"}, "unitColumn and ageColumn both name column 'cycle'"),
        (
            {"targetColumn": "unit"},
            "unitColumn and targetColumn both name column 'unit'",
        ),
        (
            {"rows": [[u, 1, 5, 1, 7] for u in (1, 2, 3) for _ in range(2)]},
            "the time to failure is 0 on every row",
        ),
        (
            {"rows": [[u, c * 1e308, 5, 1, 7] for u in (1, 2) for c in (-1, 1)]},
            "is not a finite number",
        ),
        (
            {
                "rows": [
                    [u, c, v, 1, 7] for u in (1, 2) for c, v in ((1, 1e200), (2, 3))
                ]
            },
            "beyond the largest magnitude",
        ),
    ],
)
def test_rejected_with_reason(
    client: TestClient, overrides: dict[str, Any], fragment: str
) -> None:
    response = client.post("/models/pump/train", json=training_body(**overrides))
    assert response.status_code == 422, response.text
    assert fragment in response.json()["detail"]
    assert_nothing_stored(client)


def test_negative_target(client: TestClient) -> None:
    rows = [[*row, -1.0] for row in run_to_failure_rows()]
    body = training_body(columns=[*COLUMNS, "rul"], rows=rows, targetColumn="rul")
    response = client.post("/models/pump/train", json=body)
    assert response.status_code == 422
    assert "cannot be negative" in response.json()["detail"]


@pytest.mark.parametrize(
    ("field", "value"), [("cap", 0), ("cap", -5), ("testFraction", 1.5), ("seed", -1)]
)
def test_invalid_option(client: TestClient, field: str, value: float) -> None:
    response = client.post("/models/pump/train", json=training_body(**{field: value}))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert_nothing_stored(client)


def test_unknown_field(client: TestClient) -> None:
    response = client.post("/models/pump/train", json=training_body(unitColum="unit"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "unitColum"]


def test_malformed_json(client: TestClient) -> None:
    response = raw_post(
        client, "/models/pump/train", '{"columns": ["unit"], "rows": [[1, 2'
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"
    assert_nothing_stored(client)


@pytest.mark.parametrize("name", ["Pump", "../etc", "a" * 300, "pump.v2"])
def test_invalid_model_name(client: TestClient, name: str) -> None:
    response = client.post(f"/models/{name}/train", json=training_body())
    assert response.status_code in (404, 422)
    assert_nothing_stored(client)


def test_file_not_text(client: TestClient) -> None:
    response = client.post(
        "/models/pump/train/file",
        files={
            "file": ("model.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png")
        },
        data={"unitColumn": "unit", "ageColumn": "cycle"},
    )
    assert response.status_code == 422
    assert "is not text" in response.json()["detail"]
    assert_nothing_stored(client)


def test_file_not_utf8(client: TestClient) -> None:
    response = client.post(
        "/models/pump/train/file",
        files={
            "file": ("latin.csv", "unit,cycle\n1,\xe9\n".encode("latin-1"), "text/csv")
        },
    )
    assert response.status_code == 422
    assert "not UTF-8" in response.json()["detail"]


def test_file_missing_named_column(client: TestClient) -> None:
    response = client.post(
        "/models/pump/train/file",
        files={"file": ("history.csv", as_csv(run_to_failure_rows()), "text/csv")},
        data={"unitColumn": "engine", "ageColumn": "cycle"},
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "'engine'" in detail
    assert "available columns: unit, cycle" in detail
    assert_nothing_stored(client)


def test_file_with_missing_value(client: TestClient) -> None:
    content = as_csv(run_to_failure_rows()).replace(b"\n1,3,", b"\n1,,", 1)
    response = client.post(
        "/models/pump/train/file",
        files={"file": ("history.csv", content, "text/csv")},
        data={"unitColumn": "unit", "ageColumn": "cycle"},
    )
    assert response.status_code == 422
    assert "column 'cycle' has the value nan at row 3" in response.json()["detail"]


def test_file_with_text_feature(client: TestClient) -> None:
    content = as_csv(run_to_failure_rows()).replace(b"\n1,3,", b"\n1,3,hot", 1)
    response = client.post(
        "/models/pump/train/file",
        files={"file": ("history.csv", content, "text/csv")},
        data={"unitColumn": "unit", "ageColumn": "cycle"},
    )
    assert response.status_code == 422
    assert "non-numeric value" in response.json()["detail"]


def test_file_ragged_rows(client: TestClient) -> None:
    content = b"unit,cycle,load\n1,1,2\n1,2,3,4\n2,1,5\n"
    response = client.post(
        "/models/pump/train/file",
        files={"file": ("history.csv", content, "text/csv")},
        data={"unitColumn": "unit", "ageColumn": "cycle"},
    )
    assert response.status_code == 422
    assert "could not be parsed as csv" in response.json()["detail"]


def test_wrong_column_count_for_names(client: TestClient) -> None:
    response = client.post(
        "/models/pump/train/file",
        files={"file": ("history.txt", b"1 1 5\n1 2 6\n2 1 5\n2 2 7\n", "text/plain")},
        data={"columns": "unit,cycle", "unitColumn": "unit", "ageColumn": "cycle"},
    )
    assert response.status_code == 422
    assert "3 columns but 2 column names" in response.json()["detail"]


def test_unknown_preset(client: TestClient) -> None:
    response = client.post(
        "/models/pump/train/file",
        files={"file": ("history.txt", b"1 1 5\n", "text/plain")},
        data={"preset": "turbine"},
    )
    assert response.status_code == 422
    assert "preset 'turbine' is unknown" in response.json()["detail"]


def test_params_not_json(client: TestClient) -> None:
    response = client.post(
        "/models/pump/train/file",
        files={"file": ("history.csv", as_csv(run_to_failure_rows()), "text/csv")},
        data={"unitColumn": "unit", "ageColumn": "cycle", "params": "{alpha: 1"},
    )
    assert response.status_code == 422
    assert "params = '{alpha: 1' is not valid JSON" in response.json()["detail"]


def test_file_repeated_header(client: TestClient) -> None:
    content = b"unit,cycle,cycle\n1,1,2\n1,2,3\n2,1,2\n2,2,3\n"
    response = client.post(
        "/models/pump/train/file",
        files={"file": ("history.csv", content, "text/csv")},
        data={"unitColumn": "unit", "ageColumn": "cycle"},
    )
    assert response.status_code == 422
    assert "repeats the column 'cycle'" in response.json()["detail"]
    assert_nothing_stored(client)
