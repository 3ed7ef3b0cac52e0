"""Read uploaded files into data frames.

Two layouts are accepted: CSV with a header row, and whitespace-separated text
without a header (the layout of the NASA C-MAPSS files), whose columns are
named by the caller or by a preset.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Literal

import pandas as pd

from failsight.domain.errors import InvalidInputError

FileFormat = Literal["auto", "csv", "whitespace"]

CMAPSS_COLUMNS: tuple[str, ...] = (
    "unit",
    "cycle",
    "setting1",
    "setting2",
    "setting3",
    *(f"s{i}" for i in range(1, 22)),
)
PRESETS: dict[str, tuple[str, ...]] = {"cmapss": CMAPSS_COLUMNS}
"""Column names of known headerless layouts, by preset name."""

PRESET_KEYS: dict[str, tuple[str, str]] = {"cmapss": ("unit", "cycle")}
"""Unit and age columns implied by each preset."""

_SNIFF_BYTES = 8192


def decode_text(content: bytes, filename: str) -> str:
    """Decode an uploaded file as UTF-8 text, rejecting binary files."""
    if b"\x00" in content[:_SNIFF_BYTES]:
        raise InvalidInputError(
            f"file {filename!r} is not text: it contains NUL bytes; "
            "upload a CSV or whitespace-separated text file"
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInputError(
            f"file {filename!r} is not UTF-8 text (invalid byte at offset "
            f"{error.start}); upload a CSV or whitespace-separated text file"
        ) from error


def detect_format(text: str) -> Literal["csv", "whitespace"]:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return "csv" if "," in first_line else "whitespace"


def read_table(
    content: bytes,
    *,
    filename: str = "upload",
    file_format: FileFormat = "auto",
    columns: Sequence[str] | None = None,
    preset: str | None = None,
) -> pd.DataFrame:
    """Parse an uploaded file into a frame with named columns.

    ``columns`` or ``preset`` names the columns of a headerless whitespace
    file; without either they are called ``column_1``, ``column_2`` and so on.
    """
    text = decode_text(content, filename)
    if not text.strip():
        raise InvalidInputError(f"file {filename!r} is empty; upload at least 3 rows")
    names = resolve_column_names(columns, preset)
    layout = detect_format(text) if file_format == "auto" else file_format
    try:
        frame = _read_csv(text) if layout == "csv" else _read_whitespace(text, names)
    except (pd.errors.ParserError, ValueError) as error:
        reason = " ".join(str(error).split())  # pandas messages span lines
        raise InvalidInputError(
            f"file {filename!r} could not be parsed as {layout}: {reason}; "
            "check that every row has the same number of values"
        ) from error
    if frame.empty:
        raise InvalidInputError(f"file {filename!r} has no data rows")
    return frame


def resolve_column_names(
    columns: Sequence[str] | None, preset: str | None
) -> list[str] | None:
    if preset is not None:
        if preset not in PRESETS:
            raise InvalidInputError(
                f"preset {preset!r} is unknown; use one of: {', '.join(PRESETS)}"
            )
        if columns:
            raise InvalidInputError("give either columns or preset, not both")
        return list(PRESETS[preset])
    if columns:
        names = [name.strip() for name in columns]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates or any(not name for name in names):
            raise InvalidInputError(
                f"columns must be distinct non-empty names; repeated: {duplicates}"
            )
        return names
    return None


def _read_csv(text: str) -> pd.DataFrame:
    header = next(csv.reader(io.StringIO(text), skipinitialspace=True), [])
    names = [name.strip() for name in header]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        # pandas would silently rename the second one to "name.1".
        raise InvalidInputError(
            f"the header repeats the column {', '.join(map(repr, repeated))}; "
            "name each column once"
        )
    frame = pd.read_csv(io.StringIO(text), skipinitialspace=True)
    frame.columns = [str(name).strip() for name in frame.columns]
    return frame


def _read_whitespace(text: str, names: list[str] | None) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), sep=r"\s+", header=None)
    if names is None:
        frame.columns = [f"column_{i}" for i in range(1, frame.shape[1] + 1)]
        return frame
    if len(names) != frame.shape[1]:
        raise InvalidInputError(
            f"the file has {frame.shape[1]} columns but {len(names)} column names "
            "were given; name every column, in order"
        )
    frame.columns = names
    return frame


def frame_from_rows(
    columns: Sequence[str], rows: Sequence[Sequence[float]]
) -> pd.DataFrame:
    """Build a frame from JSON rows, rejecting repeated names and ragged rows."""
    repeated = sorted({name for name in columns if list(columns).count(name) > 1})
    if repeated:
        raise InvalidInputError(
            f"columns repeats {', '.join(repeated)}; name each column once"
        )
    for index, row in enumerate(rows):
        if len(row) != len(columns):
            raise InvalidInputError(
                f"rows[{index}] has {len(row)} values but columns names "
                f"{len(columns)}; give every row one value per column"
            )
    return pd.DataFrame(list(rows), columns=list(columns), dtype="float64")


def last_row_per_unit(
    frame: pd.DataFrame, unit_column: str, age_column: str | None
) -> pd.DataFrame:
    """Keep each unit's latest row, in unit order: the row of highest age, or
    the unit's last row in file order when there is no age column."""
    if age_column is not None:
        frame = frame.sort_values([unit_column, age_column], kind="stable")
    return (
        frame.groupby(unit_column, sort=True)
        .tail(1)
        .sort_values(unit_column, kind="stable")
    )
