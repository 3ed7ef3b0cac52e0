"""Target derivation, feature choice and validation of tables."""

import numpy as np
import pandas as pd
import pytest

from failsight.domain.errors import InvalidInputError
from failsight.ml.datasets import DatasetSpec, build_dataset
from failsight.ml.tables import CMAPSS_COLUMNS, read_table

HISTORY = pd.DataFrame(
    {
        "unit": [1, 1, 1, 2, 2],
        "cycle": [1, 2, 3, 1, 2],
        "load": [0.5, 0.7, 0.9, 0.4, 0.8],
        "site": ["a", "a", "a", "b", "b"],
    }
)


def test_target_derived_from_last_age() -> None:
    dataset = build_dataset(
        HISTORY, DatasetSpec(unit_column="unit", age_column="cycle")
    )
    assert dataset.time_to_failure.tolist() == [2, 1, 0, 1, 0]
    assert dataset.feature_names == ["cycle", "load"]
    assert dataset.unit_count == 2


def test_cap_limits_target() -> None:
    spec = DatasetSpec(unit_column="unit", age_column="cycle", cap=1.5)
    dataset = build_dataset(HISTORY, spec)
    assert dataset.time_to_failure.tolist() == [1.5, 1, 0, 1, 0]
    assert dataset.target.cap == 1.5


def test_rows_out_of_order_still_derive() -> None:
    shuffled = HISTORY.iloc[[4, 0, 2, 3, 1]].reset_index(drop=True)
    dataset = build_dataset(
        shuffled, DatasetSpec(unit_column="unit", age_column="cycle")
    )
    assert dataset.time_to_failure.tolist() == [0, 2, 0, 1, 1]


def test_fingerprint_changes_with_data() -> None:
    spec = DatasetSpec(unit_column="unit", age_column="cycle")
    changed = HISTORY.assign(load=HISTORY["load"] + 0.01)
    assert (
        build_dataset(HISTORY, spec).sha256
        == build_dataset(HISTORY.copy(), spec).sha256
    )
    assert build_dataset(HISTORY, spec).sha256 != build_dataset(changed, spec).sha256


def test_stray_text_in_numeric_column_reported() -> None:
    frame = HISTORY.astype({"load": object})
    frame.loc[3, "load"] = "high"
    with pytest.raises(
        InvalidInputError,
        match="column 'load' has the non-numeric value 'high' at row 4",
    ):
        build_dataset(frame, DatasetSpec(unit_column="unit", age_column="cycle"))


def test_infinite_value_reported() -> None:
    frame = HISTORY.assign(load=[0.5, np.inf, 0.9, 0.4, 0.8])
    with pytest.raises(
        InvalidInputError, match="column 'load' has the value inf at row 2"
    ):
        build_dataset(frame, DatasetSpec(unit_column="unit", age_column="cycle"))


def test_missing_unit_id_reported() -> None:
    frame = HISTORY.assign(unit=[1, 1, None, 2, 2])
    with pytest.raises(InvalidInputError, match="no unit id at row 3"):
        build_dataset(frame, DatasetSpec(unit_column="unit", age_column="cycle"))


def test_cmapss_preset_names_columns() -> None:
    line = " ".join(["1", "1"] + ["0.5"] * 24) + "  \n"
    frame = read_table(line.encode() * 2, preset="cmapss")
    assert list(frame.columns) == list(CMAPSS_COLUMNS)
    assert len(CMAPSS_COLUMNS) == 26


def test_whitespace_without_names() -> None:
    frame = read_table(b"1 2 3\n4 5 6\n")
    assert list(frame.columns) == ["column_1", "column_2", "column_3"]


def test_empty_file_rejected() -> None:
    with pytest.raises(InvalidInputError, match="is empty"):
        read_table(b"  \n\n")


def test_boolean_feature_reported_plainly() -> None:
    frame = HISTORY.assign(load=[True, False, True, False, True])
    with pytest.raises(InvalidInputError, match="non-numeric value True at row 1"):
        build_dataset(
            frame,
            DatasetSpec(unit_column="unit", age_column="cycle", features=["load"]),
        )
