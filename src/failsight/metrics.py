"""Prometheus metrics of the backend.

With several server processes, set PROMETHEUS_MULTIPROC_DIR to an empty
directory before start-up: every process then writes its values there and
/metrics adds them up. Without it each process reports only its own values.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
TRAINING_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200)

REQUESTS = Counter(
    "failsight_http_requests",
    "HTTP requests by route template, method and status code.",
    ["route", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "failsight_http_request_duration_seconds",
    "Time from receiving a request to sending its response.",
    ["route", "method", "status"],
    buckets=REQUEST_BUCKETS,
)
PREDICTIONS = Counter(
    "failsight_predictions",
    "Prediction requests served, by model and version.",
    ["model", "version"],
)
PREDICTED_ROWS = Counter(
    "failsight_predicted_rows",
    "Rows predicted, by model and version.",
    ["model", "version"],
)
TRAINING_JOBS = Counter(
    "failsight_training_jobs",
    "Training jobs that ended, by outcome: succeeded, failed or timed_out.",
    ["outcome"],
)
TRAINING_SECONDS = Histogram(
    "failsight_training_job_duration_seconds",
    "Time from submitting a training job to its end, queueing included.",
    ["outcome"],
    buckets=TRAINING_BUCKETS,
)
ACTIVE_VERSION = Gauge(
    "failsight_active_version",
    "Version number each process serves for a model.",
    ["model"],
    multiprocess_mode="livemax",
)
UNUSABLE_VERSIONS = Gauge(
    "failsight_unusable_versions",
    "Versions whose artifact failed to load or to pass its checksum.",
    multiprocess_mode="livemax",
)
QUEUE_DEPTH = Gauge(
    "failsight_training_queue_depth",
    "Training jobs queued or running in the backend processes.",
    multiprocess_mode="livesum",
)


def exposition() -> tuple[bytes, str]:
    """Return the current metrics in the Prometheus text format, and its media type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
