"""Predictions from a model's active version or a named version."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import numpy as np
import pandas as pd
from fastapi import APIRouter, Depends, File, Form, UploadFile

from failsight.api.deps import ModelName, RuntimeDep
from failsight.api.limits import check_table_size
from failsight.api.schemas import (
    FilePredictionOut,
    FilePredictOut,
    PredictIn,
    PredictOut,
)
from failsight.api.uploads import FileLayout, file_layout, read_upload
from failsight.domain.errors import InvalidInputError
from failsight.domain.records import MAX_VERSION
from failsight.ml import tables
from failsight.ml.datasets import feature_matrix
from failsight.ml.tables import frame_from_rows
from failsight.services.prediction import predict

router = APIRouter(tags=["prediction"])


@router.post("/models/{name}/predict", response_model=PredictOut)
def predict_rows(name: ModelName, body: PredictIn, runtime: RuntimeDep) -> PredictOut:
    """Predict the time to failure of each row. Predictions are clipped at 0,
    since a time to failure is never negative."""
    widest = max(len(row) for row in body.rows)
    check_table_size(runtime.settings, len(body.rows), widest)
    loaded = runtime.cache.get(name, body.version)
    if body.columns is not None:
        frame = frame_from_rows(body.columns, body.rows)
        rows = feature_matrix(frame, loaded.version.feature_names)
    else:
        widths = {len(row) for row in body.rows}
        if len(widths) > 1:
            raise InvalidInputError(
                f"rows have different lengths ({', '.join(map(str, sorted(widths)))}); "
                "give every row the same number of values"
            )
        rows = np.asarray(body.rows, dtype=np.float64)
    result = predict(loaded, rows)
    return PredictOut(
        model=name,
        version=result.version.number,
        time_to_failure=result.time_to_failure.tolist(),
    )


@router.post("/models/{name}/predict/file", response_model=FilePredictOut)
async def predict_file(
    name: ModelName,
    runtime: RuntimeDep,
    file: Annotated[UploadFile, File(description="CSV or whitespace-separated text.")],
    layout: Annotated[FileLayout, Depends(file_layout)],
    version: Annotated[int | None, Form(ge=1, le=MAX_VERSION)] = None,
    unit_column: Annotated[str | None, Form(alias="unitColumn")] = None,
    age_column: Annotated[str | None, Form(alias="ageColumn")] = None,
    last_row_per_unit: Annotated[
        bool,
        Form(
            alias="lastRowPerUnit",
            description="Predict only at each unit's last row (its latest age).",
        ),
    ] = False,
) -> FilePredictOut:
    """Predict every row of an uploaded file, or each unit's last row."""
    loaded = runtime.cache.get(name, version)
    frame = await read_upload(file, layout)
    check_table_size(runtime.settings, len(frame), len(frame.columns))
    available = ", ".join(str(column) for column in frame.columns)
    for field, named in (("unitColumn", unit_column), ("ageColumn", age_column)):
        if named and named not in frame.columns:
            raise InvalidInputError(
                f"{field} names column {named!r}, which the file does not have; "
                f"available columns: {available}. Name the columns of a headerless "
                "file with columns or preset"
            )
    preset_unit, preset_age = layout.implied_keys()
    unit_column = unit_column or preset_unit or loaded.version.unit_column
    age_column = age_column or preset_age or loaded.version.age_column
    unit_column = unit_column if unit_column in frame.columns else None
    age_column = age_column if age_column in frame.columns else None
    if unit_column is not None and frame[unit_column].isna().any():
        row = int(np.flatnonzero(frame[unit_column].isna().to_numpy())[0])
        raise InvalidInputError(
            f"column {unit_column!r} has no unit id at row {row + 1}; "
            "give every row a unit id"
        )
    if last_row_per_unit:
        if unit_column is None:
            raise InvalidInputError(
                "lastRowPerUnit needs a unit column, and the file has none of that "
                f"name; available columns: {available}. Name it in unitColumn"
            )
        frame = tables.last_row_per_unit(frame, unit_column, age_column)
    rows = await asyncio.to_thread(feature_matrix, frame, loaded.version.feature_names)
    result = predict(loaded, rows)
    units = _echoed(frame, unit_column)
    ages = _echoed(frame, age_column)
    return FilePredictOut(
        model=name,
        version=result.version.number,
        predictions=[
            FilePredictionOut(unit=unit, age=age, time_to_failure=float(value))
            for unit, age, value in zip(
                units, ages, result.time_to_failure, strict=True
            )
        ],
    )


def _echoed(frame: pd.DataFrame, column: str | None) -> list[Any]:
    """Values of a column as sent, with missing ones as null since JSON has no NaN."""
    if column is None:
        return [None] * len(frame)
    values = frame[column].astype(object)
    return values.where(values.notna(), None).tolist()
