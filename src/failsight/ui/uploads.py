"""Read the first rows of an uploaded file for a preview, and JSON rows pasted
into the page, before anything is sent to the backend."""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from typing import IO, Any

import pandas as pd

from failsight.ui import MAX_UPLOAD_MEGABYTES
from failsight.ui.client import FileFormat, FileLayout

PREVIEW_BYTES = 64 * 1024
"""Bytes read from the start of a file for its preview and column names."""

PRESET_COLUMNS: dict[str, list[str]] = {
    "cmapss": [
        "unit",
        "cycle",
        "setting1",
        "setting2",
        "setting3",
        *(f"s{i}" for i in range(1, 22)),
    ],
}
"""Column names of the headerless layouts that the backend accepts as presets."""
PRESET_KEYS: dict[str, tuple[str, str]] = {"cmapss": ("unit", "cycle")}
"""Unit and age columns each preset implies."""


class InputError(ValueError):
    """Input on the page is invalid, and the message names what to change."""


@dataclass(frozen=True)
class JsonRows:
    columns: list[str]
    rows: list[list[float]]


def check_size(size: int, name: str) -> None:
    limit = MAX_UPLOAD_MEGABYTES * 1024 * 1024
    if size > limit:
        raise InputError(
            f"{name} is {size / 1024 / 1024:.1f} MB, larger than the "
            f"{MAX_UPLOAD_MEGABYTES} MB the UI accepts; split it or send it to the API."
        )


def layout_of(file_format: FileFormat, preset: str | None, columns: str) -> FileLayout:
    """Build the layout form fields; a preset wins over typed column names."""
    layout: FileLayout = {"format": file_format}
    names = [name.strip() for name in columns.split(",")] if columns.strip() else []
    if preset:
        layout["preset"] = preset
    elif names:
        if any(not name for name in names):
            raise InputError(
                f"Column names {columns!r} contain an empty name; separate names with single commas."
            )
        layout["columns"] = names
    return layout


def read_preview(
    file: IO[bytes], name: str, layout: FileLayout, rows: int
) -> pd.DataFrame:
    """Parse the first rows of a file the way the backend will, then rewind it.

    Only ``PREVIEW_BYTES`` are read, so a large file is never copied here.
    """
    head = file.read(PREVIEW_BYTES)
    file.seek(0)
    if b"\x00" in head:
        raise InputError(
            f"{name} is not a text file; upload CSV or whitespace-separated text."
        )
    text = head.decode("utf-8-sig", errors="replace")
    if len(head) == PREVIEW_BYTES:
        # Drop the last line, which the read may have cut in the middle.
        text = text[: text.rfind("\n") + 1]
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputError(f"{name} is empty; upload a file with at least 3 rows.")
    file_format = layout.get("format", "auto")
    if file_format == "auto":
        file_format = "csv" if "," in lines[0] else "whitespace"
    sample = "\n".join(lines[: rows + 1]) + "\n"
    try:
        if file_format == "csv":
            return pd.read_csv(io.StringIO(sample))
        frame = pd.read_csv(io.StringIO(sample), sep=r"\s+", header=None)
    except (pd.errors.ParserError, ValueError) as error:
        raise InputError(
            f"{name} could not be read as {file_format}: {error}"
        ) from None
    names = PRESET_COLUMNS.get(layout.get("preset", ""), layout.get("columns"))
    if names is None:
        names = [f"column_{i}" for i in range(1, frame.shape[1] + 1)]
    if len(names) != frame.shape[1]:
        raise InputError(
            f"{name} has {frame.shape[1]} columns per row but {len(names)} names are given; "
            "give one name per column."
        )
    frame.columns = pd.Index(names)
    return frame


def parse_json_rows(text: str) -> JsonRows:
    """Parse pasted JSON: {"columns": [...], "rows": [[...], ...]} or a list of
    objects with the same keys."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"The JSON is invalid at line {error.lineno}, column {error.colno}: {error.msg}."
        ) from None
    if isinstance(data, list) and data and all(isinstance(row, dict) for row in data):
        columns = list(data[0])
        rows = [[row.get(column) for column in columns] for row in data]
    elif isinstance(data, dict) and "columns" in data and "rows" in data:
        columns, rows = data["columns"], data["rows"]
    else:
        raise InputError(
            'Paste an object {"columns": ["unit", "cycle", ...], "rows": [[1, 1, ...], ...]} '
            'or a list of objects such as [{"unit": 1, "cycle": 1, ...}, ...].'
        )
    if not isinstance(columns, list) or not all(
        isinstance(name, str) and name for name in columns
    ):
        raise InputError("columns must be a list of non-empty names.")
    if not isinstance(rows, list) or not rows:
        raise InputError("rows must be a non-empty list of rows.")
    for index, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != len(columns):
            raise InputError(
                f"Row {index + 1} has {len(row) if isinstance(row, list) else 'no'} values "
                f"but there are {len(columns)} columns; give one number per column."
            )
        for value in row:
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
            ):
                raise InputError(
                    f"Row {index + 1} contains {value!r}; every value must be a finite number."
                )
    return JsonRows(columns, [[float(value) for value in row] for row in rows])
