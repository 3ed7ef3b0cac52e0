"""Prometheus metrics: requests, predictions, training jobs, active versions, queue."""

from __future__ import annotations

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers import train


def samples(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(
    scraped: dict[tuple[str, frozenset[tuple[str, str]]], float],
    name: str,
    **labels: str,
) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


def test_requests_by_route_method_status(client: TestClient) -> None:
    before = samples(client)
    client.get("/models/pump")
    client.get("/models/fan")
    client.get("/no/such/path")
    after = samples(client)
    route = {"route": "/models/{name}", "method": "GET", "status": "404"}
    key = "failsight_http_requests_total"
    assert value(after, key, **route) - value(before, key, **route) == 2
    unmatched = {"route": "unmatched", "method": "GET", "status": "404"}
    assert value(after, key, **unmatched) - value(before, key, **unmatched) == 1
    histogram = "failsight_http_request_duration_seconds_count"
    assert value(after, histogram, **route) - value(before, histogram, **route) == 2


def test_predictions_and_training(client: TestClient) -> None:
    before = samples(client)
    train(client, "turbine")
    client.post("/models/turbine/predict", json={"rows": [[10.0, 520.0, 1.5]] * 3})
    after = samples(client)
    version = {"model": "turbine", "version": "1"}
    assert (
        value(after, "failsight_predictions_total", **version)
        - value(before, "failsight_predictions_total", **version)
        == 1
    )
    assert (
        value(after, "failsight_predicted_rows_total", **version)
        - value(before, "failsight_predicted_rows_total", **version)
        == 3
    )
    succeeded = {"outcome": "succeeded"}
    assert (
        value(after, "failsight_training_jobs_total", **succeeded)
        - value(before, "failsight_training_jobs_total", **succeeded)
        == 1
    )
    assert (
        value(after, "failsight_training_job_duration_seconds_count", **succeeded) > 0
    )
    assert value(after, "failsight_active_version", model="turbine") == 1
    assert value(after, "failsight_training_queue_depth") == 0
