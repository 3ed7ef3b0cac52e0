"""Listing, showing, activating (rolling back) and deleting model versions."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers import train


def test_list_models(client: TestClient) -> None:
    assert client.get("/models").json() == []
    train(client)
    train(client)
    train(client, model="fan")
    models = client.get("/models").json()
    assert [(m["name"], m["activeVersion"], m["versionCount"]) for m in models] == [
        ("fan", 1, 1),
        ("pump", 2, 2),
    ]


def test_versions_listed_with_metrics(client: TestClient) -> None:
    train(client)
    train(client, estimator="linear")
    versions = client.get("/models/pump/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert [v["active"] for v in versions] == [False, True]
    assert all(v["metrics"]["rmse"] > 0 for v in versions)


def test_rollback_serves_older_version(client: TestClient) -> None:
    train(client, estimator="ridge")
    train(client, estimator="linear", features=["cycle"])
    row = {"rows": [[20.0]], "columns": ["cycle"]}
    assert client.post("/models/pump/predict", json=row).json()["version"] == 2

    response = client.post("/models/pump/versions/1/activate")
    assert response.status_code == 200
    assert response.json()["active"] is True
    assert client.get("/models/pump").json()["activeVersion"] == 1

    wide = {
        "rows": [[20.0, 516.0, 2.0]],
        "columns": ["cycle", "temperature", "vibration"],
    }
    predicted = client.post("/models/pump/predict", json=wide).json()
    assert predicted["version"] == 1


def test_delete_inactive_version(client: TestClient, settings: object) -> None:
    train(client)
    train(client)
    assert client.delete("/models/pump/versions/1").status_code == 204
    assert [v["number"] for v in client.get("/models/pump/versions").json()] == [2]
    assert client.get("/models/pump/versions/1").status_code == 404


def test_deleted_number_never_reused(client: TestClient) -> None:
    train(client)
    train(client)
    client.post("/models/pump/versions/1/activate")
    client.delete("/models/pump/versions/2")
    job = train(client)
    assert job["version"] == 3


def test_delete_active_version_conflicts(client: TestClient) -> None:
    train(client)
    response = client.delete("/models/pump/versions/1")
    assert response.status_code == 409
    assert "active" in response.json()["detail"]
    assert client.get("/models/pump/versions/1").status_code == 200


def test_unknown_model_and_version(client: TestClient) -> None:
    train(client)
    cases = [
        client.get("/models/nothing"),
        client.get("/models/nothing/versions"),
        client.get("/models/pump/versions/9"),
        client.post("/models/pump/versions/9/activate"),
        client.delete("/models/pump/versions/9"),
        client.post("/models/nothing/predict", json={"rows": [[1.0]]}),
    ]
    for response in cases:
        assert response.status_code == 404, response.text
        assert "not found" in response.json()["detail"]


def test_invalid_version_number(client: TestClient) -> None:
    assert client.get("/models/pump/versions/0").status_code == 422
    assert client.get("/models/pump/versions/abc").status_code == 422


def test_evaluation_for_plots(client: TestClient) -> None:
    train(client, estimator="random_forest", params={"n_estimators": 5})
    evaluation = client.get("/models/pump/versions/1/evaluation").json()
    assert len(evaluation["true"]) == len(evaluation["predicted"]) > 0
    assert set(evaluation["featureImportance"]) == {"cycle", "temperature", "vibration"}


def test_estimators_listed(client: TestClient) -> None:
    names = [e["name"] for e in client.get("/estimators").json()]
    assert names == ["linear", "ridge", "hist_gradient_boosting", "random_forest"]


def test_estimators_mark_default(client: TestClient) -> None:
    listed = client.get("/estimators").json()
    defaults = [e["name"] for e in listed if e["default"]]
    assert defaults == ["hist_gradient_boosting"]
