"""Predict page: one row typed into a form built from a version's features, or
a file of rows with a table, a download and a per-unit chart."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from failsight.ui import MAX_UPLOAD_MEGABYTES, charts, session, views
from failsight.ui.client import (
    BackendClient,
    BackendError,
    FileFormat,
    FilePrediction,
    Version,
)
from failsight.ui.uploads import InputError, check_size, layout_of

ROW_RESULT = "predict_row_result"
ROW_ERROR = "predict_row_error"
FILE_RESULT = "predict_file_result"
FILE_ERROR = "predict_file_error"
DEFAULT_THRESHOLD = 30.0
"""Time to failure under which a unit is drawn as needing attention, in age units."""


def render() -> None:
    st.title("Predict")
    backend = session.client()
    version = _version_choice(backend)
    if version is None:
        return
    one_row, from_file = st.tabs(["One row", "File of rows"])
    with one_row:
        _row_form(backend, version)
    with from_file:
        _file_form(backend, version)


def _version_choice(backend: BackendClient) -> Version | None:
    try:
        models = backend.models()
    except BackendError as error:
        st.error(f"The models cannot be listed: {error.message}")
        return None
    served = [model for model in models if model["versionCount"] > 0]
    if not served:
        st.info("No model has a version yet. Train one on the Train page first.")
        return None
    left, right = st.columns(2)
    name = left.selectbox(
        "Model", [model["name"] for model in served], key="predict_model"
    )
    try:
        versions = backend.versions(name)
    except BackendError as error:
        st.error(f"The versions of {name} cannot be listed: {error.message}")
        return None
    if not versions:
        st.info(f"{name} has no version left. Train one on the Train page.")
        return None
    versions.sort(key=lambda version: version["number"], reverse=True)
    active = next(
        (index for index, version in enumerate(versions) if version["active"]), 0
    )
    chosen: Version = right.selectbox(
        "Version",
        versions,
        index=active,
        format_func=lambda version: (
            f"{version['number']}" + (" (active)" if version["active"] else "")
        ),
        key=f"predict_version_{name}",
    )
    st.caption(
        f"{chosen['estimator']}, trained {pd.Timestamp(chosen['createdAt']):%Y-%m-%d %H:%M} UTC, "
        f"held-out RMSE {chosen['metrics']['rmse']:.2f}"
    )
    return chosen


def _row_form(backend: BackendClient, version: Version) -> None:
    features = version["featureNames"]
    with st.form(f"predict_row_{version['model']}_{version['number']}"):
        st.caption(
            f"One value per feature of version {version['number']}, in its units."
        )
        columns = st.columns(min(4, len(features)))
        values = [
            float(
                columns[index % len(columns)].number_input(
                    name, value=0.0, format="%g", key=f"row_{name}"
                )
            )
            for index, name in enumerate(features)
        ]
        submitted = st.form_submit_button("Predict", type="primary")
    if submitted:
        request = session.fingerprint(
            version["model"], version["number"], features, values
        )
        stored = st.session_state.get(ROW_RESULT)
        # A repeated click with the same inputs shows the stored response again.
        if stored is None or stored[0] != request:
            st.session_state[ROW_ERROR] = None
            try:
                result = backend.predict_rows(
                    version["model"],
                    [values],
                    columns=features,
                    version=version["number"],
                )
            except BackendError as error:
                st.session_state[ROW_RESULT] = None
                st.session_state[ROW_ERROR] = f"The prediction failed: {error.message}"
            else:
                st.session_state[ROW_RESULT] = (request, result)
    session.show_error(ROW_ERROR)
    stored = st.session_state.get(ROW_RESULT)
    if stored is not None:
        result = stored[1]
        st.metric(
            f"Predicted time to failure (version {result['version']})",
            f"{result['timeToFailure'][0]:.1f}",
            help="In the age units of the training data, e.g. cycles.",
        )


def _file_form(backend: BackendClient, version: Version) -> None:
    uploaded = st.file_uploader(
        f"Rows to predict: CSV with a header, or whitespace-separated text (up to {MAX_UPLOAD_MEGABYTES} MB)",
        type=["csv", "txt", "tsv", "dat"],
        max_upload_size=MAX_UPLOAD_MEGABYTES,
        key="predict_file",
    )
    file_format, preset, columns = views.file_layout_inputs("predict")
    last_row = st.checkbox(
        "Only each unit's last row (its latest age)",
        value=True,
        key="predict_last_row",
        help="Needs the unit column the version was trained with, or a preset that names it.",
    )
    clicked = st.button(
        "Predict file",
        type="primary",
        disabled=uploaded is None,
        key="predict_file_submit",
    )
    if clicked and uploaded is not None:
        _predict_file(
            backend, version, uploaded, (file_format, preset, columns), last_row
        )
    session.show_error(FILE_ERROR)
    stored = st.session_state.get(FILE_RESULT)
    if stored is not None:
        _show_file_result(stored[1])


def _predict_file(
    backend: BackendClient,
    version: Version,
    uploaded: UploadedFile,
    layout_inputs: tuple[FileFormat, str | None, str],
    last_row: bool,
) -> None:
    request = session.fingerprint(
        uploaded.file_id, version["model"], version["number"], layout_inputs, last_row
    )
    stored = st.session_state.get(FILE_RESULT)
    if stored is not None and stored[0] == request:
        return
    st.session_state[FILE_ERROR] = None
    st.session_state[FILE_RESULT] = None
    try:
        check_size(uploaded.size, uploaded.name)
        file_format, preset, columns = layout_inputs
        layout = layout_of(file_format, preset, columns)
        uploaded.seek(0)
        result = backend.predict_file(
            version["model"],
            uploaded,
            uploaded.name,
            layout,
            version=version["number"],
            last_row_per_unit=last_row,
        )
    except (InputError, BackendError) as error:
        message = error.message if isinstance(error, BackendError) else str(error)
        st.session_state[FILE_ERROR] = f"The file was not predicted: {message}"
        return
    st.session_state[FILE_RESULT] = (request, result)


def _show_file_result(result: FilePrediction) -> None:
    frame = pd.DataFrame(result["predictions"])
    st.success(
        f"{len(frame):,} predictions from {result['model']} version {result['version']}."
    )
    st.download_button(
        "Download predictions (CSV)",
        frame.to_csv(index=False).encode(),
        file_name=f"{result['model']}-v{result['version']}-predictions.csv",
        mime="text/csv",
        on_click="ignore",
        key="predict_download",
    )
    st.dataframe(frame, hide_index=True, height=300)
    if frame["unit"].isna().all():
        st.caption("The file has no unit column, so there is no per-unit chart.")
        return
    threshold = st.number_input(
        "Attention threshold (time to failure, age units)",
        min_value=0.0,
        value=DEFAULT_THRESHOLD,
        key="predict_threshold",
    )
    if frame["age"].notna().any():
        frame = frame.sort_values(["unit", "age"], kind="stable")
    latest = frame.groupby("unit", sort=False).tail(1)
    under = int((latest["timeToFailure"] < threshold).sum())
    st.markdown(
        f"**{under} of {len(latest)} units** are predicted to fail within {threshold:g}."
    )
    st.altair_chart(charts.units_by_time_to_failure(latest, threshold), width="stretch")
