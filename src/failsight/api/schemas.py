"""Request and response bodies. JSON fields are camelCase."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from failsight.domain.records import MAX_VERSION, JobStatus
from failsight.ml.estimators import DEFAULT_ESTIMATOR
from failsight.ml.training import DEFAULT_SEED, DEFAULT_TEST_FRACTION

FiniteNumber = Annotated[float, Field(strict=True, allow_inf_nan=False)]
"""A JSON number: strings, booleans, NaN and Infinity are rejected."""
PositiveNumber = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0)]
ColumnName = Annotated[str, Field(min_length=1, max_length=256)]


class CamelModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid"
    )


# Compatibility endpoints: field names fixed by the original template.


class CompatTrainIn(BaseModel):
    age: list[list[FiniteNumber]] = Field(
        description="Feature rows; each row contains one or more numbers."
    )
    timeForFailure: list[FiniteNumber] = Field(
        description="Time to failure of each row."
    )


class CompatTrainOut(BaseModel):
    message: str
    model: str
    version: int
    metrics: MetricsOut


class CompatPredictIn(BaseModel):
    input: PositiveNumber = Field(
        description="Age of the unit; must be greater than 0."
    )


class CompatPredictOut(BaseModel):
    result: float = Field(description="Predicted time to failure, clipped at 0.")
    model: str
    version: int


class HealthOut(BaseModel):
    status: str
    message: str


class LiveOut(BaseModel):
    status: Literal["alive"]


class ModelReadinessOut(BaseModel):
    model: str
    version: int = Field(description="The active version in the registry.")
    loaded: bool = Field(description="Whether this process serves that version.")
    error: str | None = Field(description="Why the version is not served.")


class ReadyOut(BaseModel):
    status: Literal["ready", "degraded"]
    database: str = Field(description='"ok", or why the registry is unreachable.')
    models: list[ModelReadinessOut]


class ErrorOut(BaseModel):
    detail: str | list[dict[str, Any]] = Field(
        description="What was wrong and how to fix it; a list for validation errors."
    )


# Training


class TrainingOptionsIn(CamelModel):
    unit_column: ColumnName | None = Field(
        default=None,
        description="Column of unit ids; rows of one unit never straddle the split.",
    )
    age_column: ColumnName | None = Field(
        default=None, description="Column of ages (cycles, hours or days)."
    )
    target_column: ColumnName | None = Field(
        default=None,
        description="Column of time to failure. Omit it to derive the target from "
        "run-to-failure histories as last age of the unit minus age.",
    )
    cap: PositiveNumber | None = Field(
        default=None, description="Upper limit applied to the target, e.g. 125 cycles."
    )
    features: list[ColumnName] | None = Field(
        default=None,
        description="Feature columns; all numeric columns but unit and target if omitted.",
    )
    estimator: str = Field(
        default=DEFAULT_ESTIMATOR,
        description="linear, ridge, hist_gradient_boosting or random_forest.",
    )
    params: dict[str, Any] = Field(
        default_factory=dict, description="Estimator parameters; see GET /estimators."
    )
    seed: int = Field(default=DEFAULT_SEED, ge=0, le=2**31 - 1)
    test_fraction: float = Field(
        default=DEFAULT_TEST_FRACTION,
        gt=0,
        lt=1,
        description="Share of units held out to score the version.",
    )
    refit: bool = Field(
        default=True,
        description="Refit on all rows after scoring on the held-out units.",
    )
    activate: bool = Field(
        default=True, description="Activate the new version when stored."
    )


class TrainingIn(TrainingOptionsIn):
    columns: list[ColumnName] = Field(
        min_length=1, description="Names of the row values."
    )
    rows: list[list[FiniteNumber]] = Field(
        description="Data rows, one value per column."
    )


class JobOut(CamelModel):
    id: str
    model: str
    status: JobStatus
    stage: str
    estimator: str
    rows: int
    units: int
    activate: bool
    version: int | None = Field(
        description="The version the job stored, once it succeeded."
    )
    error: str | None = Field(description="Why the job failed.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


# Models and versions


class MetricsOut(CamelModel):
    rmse: float
    mae: float
    r2: float | None
    phm08: float = Field(description="PHM08 score summed over the held-out rows.")
    phm08_mean: float


class TargetOut(CamelModel):
    column: str | None
    derived: bool
    cap: float | None


class CountsOut(CamelModel):
    train_rows: int
    train_units: int
    test_rows: int
    test_units: int


class VersionOut(CamelModel):
    model: str
    number: int
    active: bool
    estimator: str
    params: dict[str, Any]
    feature_names: list[str]
    dropped_features: list[str] = Field(description="Columns dropped as constant.")
    unit_column: str | None
    age_column: str | None
    target: TargetOut
    counts: CountsOut
    metrics: MetricsOut
    refitted: bool = Field(
        description="Whether the stored estimator was refit on all rows."
    )
    seed: int
    test_fraction: float
    data_sha256: str
    artifact_sha256: str
    artifact_bytes: int
    library_versions: dict[str, str]
    created_at: datetime
    created_by: str
    job_id: str | None
    usable: bool | None = Field(
        default=None,
        description="Whether this server process loaded the artifact and can predict "
        "with it; null until it tried. An artifact whose sha256 no longer matches, or "
        "that fails to load, makes the version unusable.",
    )
    unusable_reason: str | None = Field(
        default=None, description="Why the artifact could not be loaded."
    )


class EvaluationOut(CamelModel):
    model: str
    number: int
    true: list[float] = Field(
        description="True time to failure of sampled held-out rows."
    )
    predicted: list[float]
    feature_importance: dict[str, float]


class ModelOut(CamelModel):
    name: str
    active_version: int | None
    version_count: int
    latest_version: int | None
    updated_at: datetime


class EstimatorOut(CamelModel):
    name: str
    title: str
    default: bool = Field(description="Whether training uses it when none is named.")
    params: dict[str, Any] = Field(description="JSON schema of the parameters.")


# Prediction


class PredictIn(CamelModel):
    rows: list[list[FiniteNumber]] = Field(
        min_length=1, description="Rows of feature values, in the order of columns."
    )
    columns: list[ColumnName] | None = Field(
        default=None,
        description="Names of the row values. If omitted, each row contains the "
        "version's features in its featureNames order.",
    )
    version: int | None = Field(
        default=None,
        ge=1,
        le=MAX_VERSION,
        strict=True,
        description="Version to use; the active one if omitted.",
    )


class PredictOut(CamelModel):
    model: str
    version: int
    time_to_failure: list[float] = Field(
        description="Predicted time to failure per row, never negative (clipped at 0)."
    )


class FilePredictionOut(CamelModel):
    unit: int | float | str | None = Field(description="The row's unit id, as sent.")
    age: int | float | str | None = Field(description="The row's age, as sent.")
    time_to_failure: float


class FilePredictOut(CamelModel):
    model: str
    version: int
    predictions: list[FilePredictionOut]


FileFormatIn = Literal["auto", "csv", "whitespace"]

CompatTrainOut.model_rebuild()
