"""Page fragments shared by several pages: a version's metrics and plots."""

from __future__ import annotations

from typing import cast

import pandas as pd
import streamlit as st

from failsight.ui import charts
from failsight.ui.client import BackendClient, BackendError, FileFormat, Model, Version
from failsight.ui.uploads import PRESET_COLUMNS

NONE = "(none)"
"""Choice of a select box that means no value."""


def trained_models(backend: BackendClient) -> list[Model] | None:
    """List the models, or show why there are none and return None."""
    try:
        models = backend.models()
    except BackendError as error:
        st.error(f"The models cannot be listed: {error.message}")
        return None
    if not models:
        st.info("No model is trained yet. Open the Train page to train the first one.")
        return None
    return models


def format_optional(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def show_metrics(version: Version) -> None:
    """Show a version's held-out metrics as a row of numbers."""
    metrics = version["metrics"]
    rmse, mae, r2, phm08 = st.columns(4)
    rmse.metric(
        "RMSE",
        f"{metrics['rmse']:.2f}",
        help="Root mean squared error on held-out units.",
    )
    mae.metric(
        "MAE", f"{metrics['mae']:.2f}", help="Mean absolute error on held-out units."
    )
    r2.metric("R²", format_optional(metrics["r2"]))
    phm08.metric(
        "PHM08 score (mean)",
        f"{metrics['phm08Mean']:.2f}",
        help="Mean asymmetric PHM08 score: late predictions cost more than early ones. Lower is better.",
    )
    counts = version["counts"]
    st.caption(
        f"Trained on {counts['trainRows']:,} rows of {counts['trainUnits']} units, "
        f"scored on {counts['testRows']:,} rows of {counts['testUnits']} held-out units"
        + (", then refit on all rows." if version["refitted"] else ".")
    )


def show_plots(
    backend: BackendClient, version: Version, *, side_by_side: bool = True
) -> None:
    """Fetch and draw a version's evaluation plots; a failure is shown in place."""
    try:
        evaluation = backend.evaluation(version["model"], version["number"])
    except BackendError as error:
        st.error(f"The plots cannot be drawn: {error.message}")
        return
    if not evaluation["true"]:
        st.info(
            "This version has no stored held-out sample, so there is nothing to plot."
        )
        return
    # In a narrow column, such as one half of a comparison, the plots stack.
    left, right = st.columns(2) if side_by_side else (st.container(), st.container())
    left.altair_chart(
        charts.predicted_vs_true(evaluation["true"], evaluation["predicted"]),
        width="stretch",
    )
    right.altair_chart(
        charts.error_vs_true(evaluation["true"], evaluation["predicted"]),
        width="stretch",
    )
    if evaluation["featureImportance"]:
        st.altair_chart(
            charts.feature_importance(evaluation["featureImportance"]),
            width="stretch",
        )


def show_version(backend: BackendClient, version: Version) -> None:
    st.markdown(
        f"**{version['model']} version {version['number']}**"
        + (" (active)" if version["active"] else "")
        + f": {version['estimator']}, {len(version['featureNames'])} features"
    )
    show_metrics(version)
    show_plots(backend, version)


def versions_table(versions: list[Version]) -> pd.DataFrame:
    """Build one row per version, newest first, with the active one marked."""
    rows = [
        {
            "active": "● active" if version["active"] else "",
            "version": version["number"],
            "estimator": version["estimator"],
            "train rows": version["counts"]["trainRows"],
            "test rows": version["counts"]["testRows"],
            "RMSE": round(version["metrics"]["rmse"], 3),
            "MAE": round(version["metrics"]["mae"], 3),
            "R²": version["metrics"]["r2"],
            "PHM08 mean": round(version["metrics"]["phm08Mean"], 3),
            "created": pd.Timestamp(version["createdAt"]),
            "created by": version["createdBy"],
        }
        for version in sorted(versions, key=lambda item: item["number"], reverse=True)
    ]
    return pd.DataFrame(rows)


def file_layout_inputs(prefix: str) -> tuple[FileFormat, str | None, str]:
    """Draw the inputs that set how a file is read: format, preset or column names."""
    left, middle, right = st.columns(3)
    file_format = cast(
        FileFormat,
        left.selectbox("Format", ["auto", "csv", "whitespace"], key=f"{prefix}_format"),
    )
    preset = middle.selectbox(
        "Column layout of a headerless file",
        [NONE, *PRESET_COLUMNS],
        key=f"{prefix}_preset",
        help="cmapss names the 26 columns of the NASA turbofan files: unit, cycle, setting1-3, s1-s21.",
    )
    columns = right.text_input(
        "Or column names, comma-separated",
        key=f"{prefix}_columns",
        help="Names of a headerless file's columns, in order.",
    )
    return file_format, None if preset == NONE else preset, columns
