"""Turn domain records into response bodies."""

from __future__ import annotations

from dataclasses import asdict

from failsight.api.schemas import (
    CountsOut,
    JobOut,
    MetricsOut,
    ModelOut,
    TargetOut,
    VersionOut,
)
from failsight.domain.records import Metrics, ModelSummary, ModelVersion, TrainingJob


def metrics_out(metrics: Metrics) -> MetricsOut:
    return MetricsOut(**asdict(metrics))


def version_out(
    version: ModelVersion,
    active_number: int | None,
    usability: tuple[bool | None, str | None] = (None, None),
) -> VersionOut:
    usable, unusable_reason = usability
    return VersionOut(
        model=version.model,
        number=version.number,
        active=version.number == active_number,
        estimator=version.estimator,
        params=version.params,
        feature_names=version.feature_names,
        dropped_features=version.dropped_features,
        unit_column=version.unit_column,
        age_column=version.age_column,
        target=TargetOut(
            column=version.target.column,
            derived=version.target.derived,
            cap=version.target.cap,
        ),
        counts=CountsOut(**asdict(version.counts)),
        metrics=metrics_out(version.metrics),
        refitted=version.refitted,
        seed=version.seed,
        test_fraction=version.test_fraction,
        data_sha256=version.data_sha256,
        artifact_sha256=version.artifact_sha256,
        artifact_bytes=version.artifact_bytes,
        library_versions=version.library_versions,
        created_at=version.created_at,
        created_by=version.created_by,
        job_id=version.job_id,
        usable=usable,
        unusable_reason=unusable_reason,
    )


def model_out(summary: ModelSummary) -> ModelOut:
    return ModelOut(
        name=summary.name,
        active_version=summary.active_version,
        version_count=summary.version_count,
        latest_version=summary.latest_version,
        updated_at=summary.updated_at,
    )


def job_out(job: TrainingJob) -> JobOut:
    return JobOut(
        id=job.id,
        model=job.model,
        status=job.status,
        stage=job.stage,
        estimator=job.estimator,
        rows=job.rows,
        units=job.units,
        activate=job.activate,
        version=job.version,
        error=job.error,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )
