"""X-Request-ID is echoed back and appears in every log line of its request."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from failsight.logs import ContextFilter, JsonFormatter, job_id


def test_request_id_echoed(client: TestClient) -> None:
    response = client.get("/models", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"


def test_request_id_set_when_absent(client: TestClient) -> None:
    first = client.get("/models").headers["X-Request-ID"]
    second = client.get("/models").headers["X-Request-ID"]
    assert len(first) == 32
    assert first != second


@pytest.mark.parametrize("given", ["a b", "x" * 200, "line\\nbreak", ""])
def test_unsafe_request_id_replaced(client: TestClient, given: str) -> None:
    response = client.get("/models", headers={"X-Request-ID": given})
    assert response.headers["X-Request-ID"] != given
    assert len(response.headers["X-Request-ID"]) == 32


def test_every_log_line_has_request_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.handler.addFilter(ContextFilter())
    with caplog.at_level(logging.INFO):
        response = client.post(
            "/prediction/train",
            json={
                "age": [[1.0], [2.0], [3.0], [4.0]],
                "timeForFailure": [4.0, 3.0, 2.0, 1.0],
            },
            headers={"X-Request-ID": "train-42"},
        )
    assert response.status_code == 200, response.text
    lines = [record for record in caplog.records if record.name.startswith("failsight")]
    by_message = {record.getMessage().split(" in ")[0]: record for record in lines}
    access = by_message["POST /prediction/train 200"]
    assert access.request_id == "train-42"  # type: ignore[attr-defined]
    queued = [
        record for record in lines if "queued training job" in record.getMessage()
    ]
    assert queued[0].request_id == "train-42"  # type: ignore[attr-defined]
    # Lines of the pool's callback thread belong to no request; none gets another id.
    for record in lines:
        assert record.request_id in ("train-42", None)  # type: ignore[attr-defined]


def test_json_lines_carry_ids() -> None:
    record = logging.LogRecord(
        "failsight.x", logging.INFO, __file__, 1, "stored %s", ("v1",), None
    )
    token = job_id.set("job-7")
    try:
        ContextFilter().filter(record)
    finally:
        job_id.reset(token)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "stored v1"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "failsight.x"
    assert entry["jobId"] == "job-7"
    assert "requestId" not in entry


def test_text_lines_carry_ids() -> None:
    record = logging.LogRecord(
        "failsight.x", logging.INFO, __file__, 1, "stored", (), None
    )
    token = job_id.set("job-7")
    try:
        ContextFilter().filter(record)
    finally:
        job_id.reset(token)
    assert record.context == " [job job-7]"  # type: ignore[attr-defined]
