"""The original template's endpoints, kept with their exact request and response shapes."""

from __future__ import annotations

import asyncio

import numpy as np
import pandas as pd
from fastapi import APIRouter

from failsight.api.convert import metrics_out
from failsight.api.deps import CallerDep, RuntimeDep
from failsight.api.limits import check_table_size
from failsight.api.schemas import (
    CompatPredictIn,
    CompatPredictOut,
    CompatTrainIn,
    CompatTrainOut,
)
from failsight.api.security import WriteAccess
from failsight.domain.errors import BadRequestError, InvalidInputError
from failsight.domain.records import DEFAULT_MODEL, JobStatus
from failsight.ml.datasets import DatasetSpec
from failsight.ml.estimators import LINEAR
from failsight.services.prediction import predict
from failsight.services.training import TrainingOptions, prepare

router = APIRouter(prefix="/prediction", tags=["compatibility"])

TARGET = "time_to_failure"


def _frame(body: CompatTrainIn) -> pd.DataFrame:
    if len(body.age) != len(body.timeForFailure):
        raise BadRequestError(
            f"age has {len(body.age)} rows but timeForFailure has "
            f"{len(body.timeForFailure)} values; send one time to failure per row"
        )
    if not body.age:
        raise InvalidInputError("age is empty; send at least 3 rows")
    width = len(body.age[0])
    for index, row in enumerate(body.age):
        if len(row) != width or not row:
            raise InvalidInputError(
                f"age[{index}] has {len(row)} values but age[0] has {width}; "
                "give every row the same number of values, at least one"
            )
    names = ["age"] if width == 1 else [f"age_{i}" for i in range(1, width + 1)]
    frame = pd.DataFrame(body.age, columns=names, dtype="float64")
    frame[TARGET] = np.asarray(body.timeForFailure, dtype=np.float64)
    return frame


@router.post("/train", response_model=CompatTrainOut, dependencies=[WriteAccess])
async def train(
    body: CompatTrainIn, runtime: RuntimeDep, caller: CallerDep
) -> CompatTrainOut:
    """Train a new version of the default model with standard scaling and linear
    regression, wait for it and activate it. Each row counts as its own unit."""
    widest = max((len(row) for row in body.age), default=0)
    check_table_size(runtime.settings, len(body.age), widest)
    runtime.training.check_capacity()
    options = TrainingOptions(
        model=DEFAULT_MODEL,
        spec=DatasetSpec(target_column=TARGET),
        estimator=LINEAR,
        created_by=f"{caller} /prediction/train",
    )
    prepared = await asyncio.to_thread(prepare, _frame(body), options)
    job = await asyncio.to_thread(runtime.training.submit, prepared)
    finished = await runtime.training.wait(job.id)
    if finished.status != JobStatus.SUCCEEDED or finished.version is None:
        raise InvalidInputError(f"training failed: {finished.error}")
    await asyncio.to_thread(runtime.cache.refresh)
    version, _ = runtime.registry.get_version(DEFAULT_MODEL, finished.version)
    return CompatTrainOut(
        message=f"Model trained and stored as version {version.number} of {DEFAULT_MODEL!r}.",
        model=DEFAULT_MODEL,
        version=version.number,
        metrics=metrics_out(version.metrics),
    )


@router.post("/predict", response_model=CompatPredictOut)
def predict_one(body: CompatPredictIn, runtime: RuntimeDep) -> CompatPredictOut:
    """Predict the time to failure at one age with the active default model;
    the result is clipped at 0."""
    loaded = runtime.cache.get(DEFAULT_MODEL)
    result = predict(loaded, np.array([[body.input]]))
    return CompatPredictOut(
        result=float(result.time_to_failure[0]),
        model=DEFAULT_MODEL,
        version=result.version.number,
    )
