"""Records that cross layer boundaries."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from failsight.domain.errors import InvalidInputError

DEFAULT_MODEL = "default"
MAX_VERSION = 2**31 - 1
"""Largest version number: the registry stores numbers as 32-bit integers."""
MODEL_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


def check_model_name(name: str) -> str:
    """Return ``name`` if it is a valid model name, else raise InvalidInputError."""
    if not MODEL_NAME_PATTERN.fullmatch(name):
        shown = name if len(name) <= 80 else name[:77] + "..."
        raise InvalidInputError(
            f"model name {shown!r} is invalid: use 1 to 63 lowercase letters, digits, "
            "'-' or '_', starting with a letter or digit"
        )
    return name


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED)


@dataclass(frozen=True)
class TargetSettings:
    """Source of the training target: a named column or derived histories, and its cap."""

    column: str | None
    """Explicit target column, or None when derived from run-to-failure histories."""
    cap: float | None = None

    @property
    def derived(self) -> bool:
        return self.column is None


@dataclass(frozen=True)
class Metrics:
    """Scores of a version on rows of units it never saw during evaluation."""

    rmse: float
    mae: float
    r2: float | None
    phm08: float
    """PHM08 score summed over the test rows; late predictions cost more."""
    phm08_mean: float


@dataclass(frozen=True)
class DataCounts:
    train_rows: int
    train_units: int
    test_rows: int
    test_units: int


@dataclass(frozen=True)
class Evaluation:
    """A small sample of the held-out predictions, kept for plots."""

    true: list[float]
    predicted: list[float]
    feature_importance: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelVersion:
    model: str
    number: int
    estimator: str
    params: dict[str, Any]
    feature_names: list[str]
    dropped_features: list[str]
    unit_column: str | None
    age_column: str | None
    target: TargetSettings
    counts: DataCounts
    metrics: Metrics
    refitted: bool
    seed: int
    test_fraction: float
    data_sha256: str
    artifact_sha256: str
    artifact_bytes: int
    library_versions: dict[str, str]
    created_at: datetime
    created_by: str
    job_id: str | None
    evaluation: Evaluation | None = None


@dataclass(frozen=True)
class ModelSummary:
    name: str
    active_version: int | None
    version_count: int
    latest_version: int | None
    updated_at: datetime


@dataclass(frozen=True)
class TrainingJob:
    id: str
    model: str
    status: JobStatus
    stage: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    version: int | None
    error: str | None
    estimator: str
    rows: int
    units: int
    activate: bool
