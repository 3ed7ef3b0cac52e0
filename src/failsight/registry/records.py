"""Conversions between registry table rows and domain records."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from failsight.domain.records import (
    DataCounts,
    Evaluation,
    JobStatus,
    Metrics,
    ModelVersion,
    TargetSettings,
    TrainingJob,
)
from failsight.registry.tables import JobRow, VersionRow


def version_values(
    *,
    model: str,
    estimator: str,
    params: dict[str, Any],
    feature_names: list[str],
    dropped_features: list[str],
    unit_column: str | None,
    age_column: str | None,
    target: TargetSettings,
    counts: DataCounts,
    metrics: Metrics,
    evaluation: Evaluation,
    refitted: bool,
    seed: int,
    test_fraction: float,
    data_sha256: str,
    artifact_sha256: str,
    artifact_bytes: int,
    library_versions: dict[str, str],
    created_by: str,
    job_id: str,
    created_at: datetime,
) -> dict[str, Any]:
    """Column values of a new version row, from domain records."""
    return {
        "model_name": model,
        "estimator": estimator,
        "params": params,
        "feature_names": feature_names,
        "dropped_features": dropped_features,
        "unit_column": unit_column,
        "age_column": age_column,
        "target": asdict(target),
        "counts": asdict(counts),
        "metrics": asdict(metrics),
        "evaluation": asdict(evaluation),
        "refitted": refitted,
        "seed": seed,
        "test_fraction": test_fraction,
        "data_sha256": data_sha256,
        "artifact_sha256": artifact_sha256,
        "artifact_bytes": artifact_bytes,
        "library_versions": library_versions,
        "created_by": created_by,
        "job_id": job_id,
        "created_at": created_at,
    }


def version_record(row: VersionRow) -> ModelVersion:
    return ModelVersion(
        model=row.model_name,
        number=row.number,
        estimator=row.estimator,
        params=row.params,
        feature_names=list(row.feature_names),
        dropped_features=list(row.dropped_features),
        unit_column=row.unit_column,
        age_column=row.age_column,
        target=TargetSettings(**row.target),
        counts=DataCounts(**row.counts),
        metrics=Metrics(**row.metrics),
        refitted=row.refitted,
        seed=row.seed,
        test_fraction=row.test_fraction,
        data_sha256=row.data_sha256,
        artifact_sha256=row.artifact_sha256,
        artifact_bytes=row.artifact_bytes,
        library_versions=row.library_versions,
        created_at=row.created_at,
        created_by=row.created_by,
        job_id=row.job_id,
        evaluation=Evaluation(**row.evaluation) if row.evaluation else None,
    )


def job_record(row: JobRow) -> TrainingJob:
    return TrainingJob(
        id=row.id,
        model=row.model_name,
        status=JobStatus(row.status),
        stage=row.stage,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        version=row.version,
        error=row.error,
        estimator=row.estimator,
        rows=row.rows,
        units=row.units,
        activate=row.activate,
    )
