"""Validate a table of rows and turn it into arrays ready for training."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from failsight.domain.errors import InvalidInputError
from failsight.domain.records import TargetSettings

MAX_ABS_VALUE = 1e150
"""Largest feature magnitude accepted for training: scaling squares the values,
and squares of larger numbers overflow a float64."""
MIN_UNITS = 2
MIN_ROWS = 3
"""Minimum number of rows: enough to leave two rows to fit on and one to score."""


@dataclass(frozen=True)
class DatasetSpec:
    """The caller's description of a table's columns."""

    unit_column: str | None = None
    age_column: str | None = None
    target_column: str | None = None
    cap: float | None = None
    features: Sequence[str] | None = None


@dataclass(frozen=True)
class Dataset:
    """Validated training arrays; each row belongs to exactly one unit."""

    features: np.ndarray
    feature_names: list[str]
    dropped_features: list[str]
    time_to_failure: np.ndarray
    units: np.ndarray
    unit_column: str | None
    age_column: str | None
    target: TargetSettings
    sha256: str

    @property
    def rows(self) -> int:
        return int(self.features.shape[0])

    @property
    def unit_count(self) -> int:
        return len(np.unique(self.units))


def build_dataset(frame: pd.DataFrame, spec: DatasetSpec) -> Dataset:
    """Check ``frame`` against ``spec``, derive the target and pick the features.

    Raises InvalidInputError naming the column, the row and the fix for any
    value that cannot be trained on.
    """
    _require_columns(frame, spec)
    if spec.cap is not None and not (np.isfinite(spec.cap) and spec.cap > 0):
        raise InvalidInputError(f"cap is {spec.cap}; give a positive number or omit it")
    if len(frame) < MIN_ROWS:
        raise InvalidInputError(
            f"the data has {len(frame)} rows; training needs at least {MIN_ROWS} rows "
            f"from at least {MIN_UNITS} units to split and score"
        )

    units = _unit_ids(frame, spec.unit_column)
    unit_count = len(np.unique(units))
    if unit_count < MIN_UNITS:
        raise InvalidInputError(
            f"the data has {unit_count} unit in column {spec.unit_column!r}; training "
            f"needs at least {MIN_UNITS} units so that whole units can be held out"
        )

    time_to_failure = _time_to_failure(frame, spec, units)
    if not np.isfinite(time_to_failure).all():
        row = int(np.flatnonzero(~np.isfinite(time_to_failure))[0])
        raise InvalidInputError(
            f"the time to failure derived at row {row + 1} is not a finite number, "
            f"because the ages in column {spec.age_column!r} are too far apart; "
            "check that column for wrong values"
        )
    if spec.cap is not None:
        time_to_failure = np.minimum(time_to_failure, spec.cap)
    if np.ptp(time_to_failure) == 0:
        raise InvalidInputError(
            f"the time to failure is {time_to_failure[0]:g} on every row, so there is "
            "nothing to learn; check that each unit's rows have different ages, or "
            "that the target column varies"
        )

    candidates = _feature_columns(frame, spec)
    matrix = _numeric_matrix(frame, candidates)
    too_large = np.abs(matrix) > MAX_ABS_VALUE
    if too_large.any():
        row, column = (int(i) for i in np.argwhere(too_large)[0])
        raise InvalidInputError(
            f"column {candidates[column]!r} has the value {matrix[row, column]:g} at row "
            f"{row + 1}, beyond the largest magnitude {MAX_ABS_VALUE:g} that can be "
            "trained on; rescale the column"
        )
    constant = np.ptp(matrix, axis=0) == 0
    kept = [name for name, drop in zip(candidates, constant, strict=True) if not drop]
    dropped = [name for name, drop in zip(candidates, constant, strict=True) if drop]
    if not kept:
        raise InvalidInputError(
            f"every feature column is constant ({', '.join(candidates)}); "
            "a model needs at least one feature that varies"
        )
    matrix = np.ascontiguousarray(matrix[:, ~constant])

    return Dataset(
        features=matrix,
        feature_names=kept,
        dropped_features=dropped,
        time_to_failure=time_to_failure,
        units=units,
        unit_column=spec.unit_column,
        age_column=spec.age_column,
        target=TargetSettings(column=spec.target_column, cap=spec.cap),
        sha256=_fingerprint(matrix, kept, time_to_failure, units),
    )


def _require_columns(frame: pd.DataFrame, spec: DatasetSpec) -> None:
    named: dict[str, list[str | None]] = {
        "unitColumn": [spec.unit_column],
        "ageColumn": [spec.age_column],
        "targetColumn": [spec.target_column],
        "features": list(spec.features or []),
    }
    available = [str(column) for column in frame.columns]
    for field, names in named.items():
        for name in names:
            if name is not None and name not in frame.columns:
                raise InvalidInputError(
                    f"{field} names column {name!r}, which the data does not have; "
                    f"available columns: {', '.join(available)}"
                )
    roles = {
        "unitColumn": spec.unit_column,
        "ageColumn": spec.age_column,
        "targetColumn": spec.target_column,
    }
    named_roles = [(field, name) for field, name in roles.items() if name is not None]
    for index, (field, name) in enumerate(named_roles):
        for other_field, other_name in named_roles[index + 1 :]:
            if name == other_name:
                raise InvalidInputError(
                    f"{field} and {other_field} both name column {name!r}; "
                    "name a different column for each"
                )
    if spec.target_column is None and (
        spec.unit_column is None or spec.age_column is None
    ):
        raise InvalidInputError(
            "targetColumn is missing: name a target column, or name both unitColumn and "
            "ageColumn so the time to failure can be derived from run-to-failure histories"
        )


def _unit_ids(frame: pd.DataFrame, unit_column: str | None) -> np.ndarray:
    if unit_column is None:
        # Without unit ids every row counts as its own unit.
        return np.arange(len(frame))
    column = frame[unit_column]
    missing = column.isna().to_numpy()
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise InvalidInputError(
            f"column {unit_column!r} has no unit id at row {row + 1}; "
            "give every row a unit id"
        )
    if pd.api.types.is_numeric_dtype(column):
        return column.to_numpy()
    return column.astype(str).to_numpy()


def _time_to_failure(
    frame: pd.DataFrame, spec: DatasetSpec, units: np.ndarray
) -> np.ndarray:
    if spec.target_column is not None:
        target = _numeric_matrix(frame, [spec.target_column])[:, 0]
        negative = target < 0
        if negative.any():
            row = int(np.flatnonzero(negative)[0])
            raise InvalidInputError(
                f"column {spec.target_column!r} has time to failure {target[row]:g} at "
                f"row {row + 1}; a time to failure cannot be negative"
            )
        return target
    assert spec.age_column is not None  # guaranteed by _require_columns
    ages = _numeric_matrix(frame, [spec.age_column])[:, 0]
    last_age = pd.Series(ages).groupby(units).transform("max").to_numpy()
    with np.errstate(over="ignore"):  # an overflow is reported by the caller
        return np.asarray(last_age - ages, dtype=np.float64)


def _feature_columns(frame: pd.DataFrame, spec: DatasetSpec) -> list[str]:
    if spec.features:
        names = list(dict.fromkeys(spec.features))
        excluded = {spec.unit_column, spec.target_column} - {None}
        clash = [name for name in names if name in excluded]
        if clash:
            raise InvalidInputError(
                f"features include {clash[0]!r}, which is the unit or target column; "
                "remove it from features"
            )
        return names
    excluded = {spec.unit_column, spec.target_column}
    names = [
        str(name)
        for name in frame.columns
        if name not in excluded and not _is_text_column(frame[name])
    ]
    if not names:
        raise InvalidInputError(
            "the data has no numeric feature column besides the unit and target columns; "
            "add feature columns or name them in features"
        )
    return names


def _is_text_column(column: pd.Series) -> bool:
    """Return whether a column contains only text, like a site name, so is no feature.

    A column of numbers with a few stray strings is not text: it stays a
    feature so that the stray value is reported instead of silently dropped.
    """
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return False
    return bool(pd.to_numeric(column, errors="coerce").isna().all())


def _numeric_matrix(frame: pd.DataFrame, names: Sequence[str]) -> np.ndarray:
    """Return the named columns as a float64 matrix, rejecting text and non-finite values."""
    for name in names:
        column = frame[name]
        if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(
            column
        ):
            converted = pd.to_numeric(column, errors="coerce")
            bad = converted.isna() & column.notna()
            row = int(np.flatnonzero(bad.to_numpy())[0]) if bad.any() else 0
            value = column.iloc[row]
            value = value.item() if isinstance(value, np.generic) else value
            raise InvalidInputError(
                f"column {name!r} has the non-numeric value {value!r} at row "
                f"{row + 1}; every feature and target value must be a finite number"
            )
    matrix = frame[list(names)].to_numpy(dtype=np.float64)
    finite = np.isfinite(matrix)
    if not finite.all():
        row, col = (int(i) for i in np.argwhere(~finite)[0])
        raise InvalidInputError(
            f"column {names[col]!r} has the value {matrix[row, col]} at row {row + 1}; "
            "every feature and target value must be a finite number, so fill or drop "
            "missing values before uploading"
        )
    return matrix


def _fingerprint(
    matrix: np.ndarray, names: list[str], target: np.ndarray, units: np.ndarray
) -> str:
    digest = hashlib.sha256()
    digest.update("\x1f".join(names).encode())
    digest.update(matrix.tobytes())
    digest.update(np.ascontiguousarray(target, dtype=np.float64).tobytes())
    digest.update(np.asarray(units).astype(str).astype("U").tobytes())
    return digest.hexdigest()


def feature_matrix(frame: pd.DataFrame, feature_names: Sequence[str]) -> np.ndarray:
    """Select a version's features from ``frame`` for prediction."""
    missing = [name for name in feature_names if name not in frame.columns]
    if missing:
        shown = ", ".join(str(column) for column in frame.columns[:30])
        if len(frame.columns) > 30:
            shown += ", ..."
        raise InvalidInputError(
            f"the rows lack feature columns the model needs: {', '.join(missing)}; "
            f"the model expects {', '.join(feature_names)}, and the rows have "
            f"{shown}. Name the columns of a headerless file with columns or preset"
        )
    return _numeric_matrix(frame, feature_names)
