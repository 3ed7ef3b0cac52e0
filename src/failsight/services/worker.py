"""The body of a training job, run inside a worker process."""

from __future__ import annotations

import logging
import platform
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import sklearn
import skops

from failsight import __version__, logs
from failsight.domain.errors import FailsightError
from failsight.ml.datasets import Dataset
from failsight.ml.training import train
from failsight.registry.artifacts import serialize
from failsight.registry.records import version_values
from failsight.registry.store import Registry
from failsight.registry.tables import utc_now
from failsight.services.context import RegistryConfig, open_registry

logger = logging.getLogger(__name__)

_registries: dict[RegistryConfig, Registry] = {}


@dataclass(frozen=True)
class TrainingRequest:
    model: str
    estimator: str
    params: dict[str, Any]
    seed: int
    test_fraction: float
    refit: bool
    activate: bool
    created_by: str


def library_versions() -> dict[str, str]:
    return {
        "failsight": __version__,
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "skops": skops.__version__,
    }


def _registry(config: RegistryConfig) -> Registry:
    # One engine per worker process, reused across jobs.
    if config not in _registries:
        _registries[config] = open_registry(config)
    return _registries[config]


def run_training_job(
    config: RegistryConfig, job_id: str, dataset: Dataset, request: TrainingRequest
) -> int | None:
    """Train, store and optionally activate a version; return its number.

    Expected failures (bad data for the estimator, storage errors) are recorded
    on the job and return None. The caller handles a worker that dies or times out.
    Every log line written meanwhile carries the job id.
    """
    token = logs.job_id.set(job_id)
    try:
        return _run(config, job_id, dataset, request)
    finally:
        logs.job_id.reset(token)


def _run(
    config: RegistryConfig, job_id: str, dataset: Dataset, request: TrainingRequest
) -> int | None:
    registry = _registry(config)
    artifact_path = registry.artifacts.relative_path(request.model, job_id)
    started = time.perf_counter()
    try:
        registry.start_job(job_id, artifact_path)
        result = train(
            dataset,
            request.estimator,
            request.params,
            seed=request.seed,
            test_fraction=request.test_fraction,
            refit=request.refit,
            on_stage=lambda stage: registry.set_stage(job_id, stage),
        )
        registry.set_stage(job_id, "storing")
        stored = registry.artifacts.write(artifact_path, serialize(result.estimator))
        values = version_values(
            model=request.model,
            estimator=request.estimator,
            params=request.params,
            feature_names=dataset.feature_names,
            dropped_features=dataset.dropped_features,
            unit_column=dataset.unit_column,
            age_column=dataset.age_column,
            target=dataset.target,
            counts=result.counts,
            metrics=result.metrics,
            evaluation=result.evaluation,
            refitted=result.refitted,
            seed=request.seed,
            test_fraction=request.test_fraction,
            data_sha256=dataset.sha256,
            artifact_sha256=stored.sha256,
            artifact_bytes=stored.size,
            library_versions=library_versions(),
            created_by=request.created_by,
            job_id=job_id,
            created_at=utc_now(),
        )
        number = registry.add_version(values, artifact_path, job_id, request.activate)
    except FailsightError as error:
        logger.warning("training job %s failed: %s", job_id, error.message)
        registry.fail_job(job_id, error.message)
        return None
    except Exception as error:
        logger.exception("training job %s failed unexpectedly", job_id)
        registry.fail_job(job_id, f"training failed: {type(error).__name__}: {error}")
        return None
    logger.info(
        "training job %s stored model %s version %d: %d rows, %.1f s, rmse %.3f, mae %.3f",
        job_id,
        request.model,
        number,
        dataset.rows,
        time.perf_counter() - started,
        result.metrics.rmse,
        result.metrics.mae,
    )
    return number
