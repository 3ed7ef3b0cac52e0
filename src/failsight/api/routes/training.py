"""Training jobs: submit from JSON rows or a file, then follow them."""

from __future__ import annotations

import asyncio
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile, status

from failsight.api.convert import job_out
from failsight.api.deps import CallerDep, ModelName, RuntimeDep
from failsight.api.limits import check_table_size
from failsight.api.schemas import JobOut, TrainingIn, TrainingOptionsIn
from failsight.api.security import WriteAccess
from failsight.api.uploads import (
    FileLayout,
    file_layout,
    parse_params,
    read_upload,
    split_names,
)
from failsight.domain.errors import InvalidInputError
from failsight.domain.records import JobStatus
from failsight.ml.datasets import DatasetSpec
from failsight.ml.estimators import DEFAULT_ESTIMATOR
from failsight.ml.tables import frame_from_rows
from failsight.ml.training import DEFAULT_SEED, DEFAULT_TEST_FRACTION
from failsight.services.runtime import Runtime
from failsight.services.training import TrainingOptions, prepare

router = APIRouter(tags=["training"])

WaitQuery = Annotated[
    bool,
    Query(description="Block until the job ends and return 200 or 201 instead of 202."),
]

SUBMIT_RESPONSES: dict[int | str, dict[str, str]] = {
    200: {"description": "With wait=true: the job failed; its error says why."},
    201: {"description": "With wait=true: the job stored a new version."},
    202: {"description": "The job is queued; poll GET /jobs/{id}."},
}


def _options(model: str, body: TrainingOptionsIn, caller: str) -> TrainingOptions:
    return TrainingOptions(
        model=model,
        spec=DatasetSpec(
            unit_column=body.unit_column,
            age_column=body.age_column,
            target_column=body.target_column,
            cap=body.cap,
            features=body.features,
        ),
        estimator=body.estimator,
        params=body.params,
        seed=body.seed,
        test_fraction=body.test_fraction,
        refit=body.refit,
        activate=body.activate,
        created_by=caller,
    )


async def _submit(
    runtime: Runtime,
    frame: pd.DataFrame,
    options: TrainingOptions,
    wait: bool,
    response: Response,
) -> JobOut:
    check_table_size(runtime.settings, len(frame), len(frame.columns))
    runtime.training.check_capacity()
    prepared = await asyncio.to_thread(prepare, frame, options)
    job = await asyncio.to_thread(runtime.training.submit, prepared)
    if not wait:
        response.status_code = status.HTTP_202_ACCEPTED
        response.headers["Location"] = f"/jobs/{job.id}"
        return job_out(job)
    finished = await runtime.training.wait(job.id)
    await asyncio.to_thread(runtime.cache.refresh)
    response.status_code = (
        status.HTTP_201_CREATED
        if finished.status == JobStatus.SUCCEEDED
        else status.HTTP_200_OK
    )
    return job_out(finished)


@router.post(
    "/models/{name}/train",
    response_model=JobOut,
    status_code=status.HTTP_200_OK,
    responses=SUBMIT_RESPONSES,
    dependencies=[WriteAccess],
)
async def train_from_rows(
    name: ModelName,
    body: TrainingIn,
    runtime: RuntimeDep,
    caller: CallerDep,
    response: Response,
    wait: WaitQuery = False,
) -> JobOut:
    """Queue a training job on JSON rows (202), or train and wait (wait=true)."""
    check_table_size(runtime.settings, len(body.rows), len(body.columns))
    if not body.rows:
        raise InvalidInputError(
            "rows is empty; send at least 3 rows from at least 2 units"
        )
    frame = frame_from_rows(body.columns, body.rows)
    return await _submit(runtime, frame, _options(name, body, caller), wait, response)


@router.post(
    "/models/{name}/train/file",
    response_model=JobOut,
    status_code=status.HTTP_200_OK,
    responses=SUBMIT_RESPONSES,
    dependencies=[WriteAccess],
)
async def train_from_file(
    name: ModelName,
    runtime: RuntimeDep,
    caller: CallerDep,
    response: Response,
    file: Annotated[UploadFile, File(description="CSV or whitespace-separated text.")],
    layout: Annotated[FileLayout, Depends(file_layout)],
    unit_column: Annotated[str | None, Form(alias="unitColumn")] = None,
    age_column: Annotated[str | None, Form(alias="ageColumn")] = None,
    target_column: Annotated[str | None, Form(alias="targetColumn")] = None,
    cap: Annotated[float | None, Form(gt=0, allow_inf_nan=False)] = None,
    features: Annotated[
        str | None, Form(description="Comma-separated feature columns.")
    ] = None,
    estimator: Annotated[str, Form()] = DEFAULT_ESTIMATOR,
    params: Annotated[
        str | None, Form(description="Estimator parameters as JSON.")
    ] = None,
    seed: Annotated[int, Form(ge=0, le=2**31 - 1)] = DEFAULT_SEED,
    test_fraction: Annotated[float, Form(alias="testFraction", gt=0, lt=1)] = (
        DEFAULT_TEST_FRACTION
    ),
    refit: Annotated[bool, Form()] = True,
    activate: Annotated[bool, Form()] = True,
    wait: WaitQuery = False,
) -> JobOut:
    """Queue a training job on an uploaded file. A preset names the columns of a
    headerless layout and implies its unit and age columns."""
    preset_unit, preset_age = layout.implied_keys()
    body = TrainingOptionsIn(
        unit_column=unit_column or preset_unit,
        age_column=age_column or preset_age,
        target_column=target_column or None,
        cap=cap,
        features=split_names(features, "features"),
        estimator=estimator,
        params=parse_params(params),
        seed=seed,
        test_fraction=test_fraction,
        refit=refit,
        activate=activate,
    )
    frame = await read_upload(file, layout)
    return await _submit(runtime, frame, _options(name, body, caller), wait, response)
