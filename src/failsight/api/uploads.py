"""Form fields shared by the file upload endpoints."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

import pandas as pd
from fastapi import Form, UploadFile

from failsight.api.schemas import FileFormatIn
from failsight.domain.errors import InvalidInputError
from failsight.ml.tables import PRESET_KEYS, read_table


@dataclass(frozen=True)
class FileLayout:
    file_format: FileFormatIn
    columns: list[str] | None
    preset: str | None

    def implied_keys(self) -> tuple[str | None, str | None]:
        """Unit and age columns implied by the preset, if any."""
        if self.preset in PRESET_KEYS:
            return PRESET_KEYS[self.preset]
        return None, None


def file_layout(
    format: Annotated[
        FileFormatIn,
        Form(description="csv (with a header), whitespace (no header) or auto."),
    ] = "auto",
    columns: Annotated[
        str | None,
        Form(description="Comma-separated column names of a headerless file."),
    ] = None,
    preset: Annotated[
        str | None,
        Form(
            description="Known headerless layout: cmapss (unit, cycle, setting1-3, s1-s21)."
        ),
    ] = None,
) -> FileLayout:
    return FileLayout(format, split_names(columns, "columns"), preset or None)


def split_names(value: str | None, field: str) -> list[str] | None:
    if value is None or not value.strip():
        return None
    names = [name.strip() for name in value.split(",")]
    if any(not name for name in names):
        raise InvalidInputError(
            f"{field} = {value!r} has an empty name; give comma-separated names"
        )
    return names


def parse_params(value: str | None) -> dict[str, Any]:
    if value is None or not value.strip():
        return {}
    try:
        params = json.loads(value)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"params = {value!r} is not valid JSON ({error.msg}); "
            'send an object such as {"max_iter": 200}'
        ) from error
    if not isinstance(params, dict):
        raise InvalidInputError(f"params = {value!r} must be a JSON object")
    return params


async def read_upload(file: UploadFile, layout: FileLayout) -> pd.DataFrame:
    content = await file.read()
    return read_table(
        content,
        filename=file.filename or "upload",
        file_format=layout.file_format,
        columns=layout.columns,
        preset=layout.preset,
    )
