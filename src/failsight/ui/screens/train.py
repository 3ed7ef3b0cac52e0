"""Train page: upload or paste a data set, choose columns and an estimator,
start a training job and follow it until its version's metrics are shown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from failsight.ui import MAX_UPLOAD_MEGABYTES, session, views
from failsight.ui.client import (
    BackendClient,
    BackendError,
    Estimator,
    FileLayout,
    Job,
    TrainingOptions,
)
from failsight.ui.params import parameter_inputs
from failsight.ui.uploads import (
    PRESET_KEYS,
    InputError,
    JsonRows,
    check_size,
    layout_of,
    parse_json_rows,
    read_preview,
)

MODEL_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
"""Model names the backend accepts."""
PREVIEW_ROWS = 10
POLL_SECONDS = 1.0
STAGE_PROGRESS = {
    "queued": 0.05,
    "preparing": 0.15,
    "fitting": 0.35,
    "evaluating": 0.65,
    "refitting": 0.8,
    "storing": 0.95,
    "done": 1.0,
}
"""Rough share of a job's work finished at the start of each stage."""
NONE = views.NONE
DERIVE = "Derive from run-to-failure histories (last age of the unit minus age)"
COLUMN = "Read it from a column"

JOB = "train_job"
SUBMIT_ERROR = "train_submit_error"
EXAMPLE_ROWS = """{
  "columns": ["unit", "cycle", "temperature"],
  "rows": [[1, 1, 500.2], [1, 2, 501.0], [1, 3, 503.9]]
}"""


@dataclass(frozen=True)
class Source:
    """Training data of the page: a file to stream, or parsed JSON rows."""

    preview: pd.DataFrame
    file: UploadedFile | None = None
    layout: FileLayout | None = None
    rows: JsonRows | None = None


def render() -> None:
    st.title("Train")
    backend = session.client()
    source = _source_input()
    if source is None:
        _follow_job(backend)
        return
    options, model = _settings_input(backend, source.preview)
    running = _job_running()
    clicked = st.button(
        "Train",
        type="primary",
        disabled=running or options is None,
        key="train_submit",
        help="Starts one training job; the button is disabled while it runs.",
    )
    if clicked and options is not None and model is not None and not _job_running():
        _submit(backend, model, source, options)
    session.show_error(SUBMIT_ERROR)
    _follow_job(backend)


def _source_input() -> Source | None:
    kind = st.radio(
        "Training data",
        ["Upload a file", "Paste JSON rows"],
        horizontal=True,
        key="train_source_kind",
    )
    try:
        if kind == "Upload a file":
            return _file_source()
        return _json_source()
    except InputError as error:
        st.error(str(error))
        return None


def _file_source() -> Source | None:
    uploaded = st.file_uploader(
        f"CSV with a header row, or whitespace-separated text without one (up to {MAX_UPLOAD_MEGABYTES} MB)",
        type=["csv", "txt", "tsv", "dat"],
        max_upload_size=MAX_UPLOAD_MEGABYTES,
        key="train_file",
    )
    file_format, preset, columns = views.file_layout_inputs("train")
    if uploaded is None:
        st.info(
            "Upload a file of run-to-failure histories, or paste JSON rows, to continue."
        )
        return None
    check_size(uploaded.size, uploaded.name)
    layout = layout_of(file_format, preset, columns)
    preview = read_preview(uploaded, uploaded.name, layout, PREVIEW_ROWS)
    _show_preview(preview, f"{uploaded.name}, {uploaded.size / 1024:,.0f} KB")
    return Source(preview=preview, file=uploaded, layout=layout)


def _json_source() -> Source | None:
    text = st.text_area(
        "JSON rows", height=160, placeholder=EXAMPLE_ROWS, key="train_json"
    )
    if not text.strip():
        st.info("Paste JSON rows, or upload a file, to continue.")
        return None
    rows = parse_json_rows(text)
    preview = pd.DataFrame(rows.rows[:PREVIEW_ROWS], columns=rows.columns)
    _show_preview(preview, f"{len(rows.rows):,} rows")
    return Source(preview=preview, rows=rows)


def _show_preview(preview: pd.DataFrame, what: str) -> None:
    st.caption(f"First rows of {what}")
    st.dataframe(preview, hide_index=True, height=200)


def _settings_input(
    backend: BackendClient, preview: pd.DataFrame
) -> tuple[TrainingOptions | None, str | None]:
    """Draw the training settings; return them, or None while one is invalid."""
    columns = [str(name) for name in preview.columns]
    numeric = [str(name) for name in preview.select_dtypes("number").columns]
    # The column choices are keyed by the column names, so that new columns (for
    # example once a preset names a headerless file) get fresh defaults.
    columns_key = session.fingerprint(columns)[:12]
    preset_unit, preset_age = PRESET_KEYS.get(
        st.session_state.get("train_preset", ""), (None, None)
    )

    st.subheader("Columns and target")
    unit_column, age_column = st.columns(2)
    unit = _column_choice(
        unit_column,
        "Unit column",
        columns,
        preset_unit or "unit",
        f"train_unit_{columns_key}",
    )
    age = _column_choice(
        age_column,
        "Age column",
        columns,
        preset_age or "cycle",
        f"train_age_{columns_key}",
    )
    target_mode = st.radio("Time to failure", [DERIVE, COLUMN], key="train_target_mode")
    options: TrainingOptions = {}
    valid = True
    target = None
    if target_mode == COLUMN:
        target = st.selectbox(
            "Target column", columns, key=f"train_target_{columns_key}"
        )
        options["targetColumn"] = target
    elif unit is None or age is None:
        st.error(
            "Deriving the target needs both a unit column and an age column; choose them above."
        )
        valid = False
    if unit is not None:
        options["unitColumn"] = unit
    if age is not None:
        options["ageColumn"] = age
    if st.checkbox(
        "Cap the target",
        key="train_use_cap",
        help="Common for turbofan data: early life is flat.",
    ):
        options["cap"] = float(
            st.number_input(
                "Cap, in age units", min_value=1.0, value=125.0, key="train_cap"
            )
        )
    candidates = [name for name in columns if name not in (unit, target)]
    features = st.multiselect(
        "Features",
        candidates,
        default=[name for name in candidates if name in numeric],
        key=f"train_features_{columns_key}",
        help="Columns the model reads. Constant columns are dropped during training.",
    )
    if not features:
        st.error("Choose at least one feature column.")
        valid = False
    options["features"] = features

    st.subheader("Estimator")
    estimator_options = _estimator_input(backend)
    if estimator_options is None:
        valid = False
    else:
        options.update(estimator_options)

    st.subheader("Model")
    model = st.text_input(
        "Model name",
        value="",
        placeholder="e.g. turbofan-fd001",
        key="train_model",
        help="Training adds a version to the model of this name, creating it if needed.",
    ).strip()
    if not model:
        st.error(
            "Model name is missing: enter the name of a new model, or of an existing "
            "model to add a version to it."
        )
        valid = False
    elif not MODEL_NAME.fullmatch(model):
        st.error(
            f"Model name {model!r} is invalid: use 1 to 63 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit."
        )
        valid = False
    with st.expander("Split, seed and activation"):
        options["testFraction"] = float(
            st.slider(
                "Share of units held out for scoring",
                0.05,
                0.5,
                0.2,
                0.05,
                key="train_test_fraction",
            )
        )
        options["seed"] = int(
            st.number_input("Seed", 0, 2**31 - 1, 42, key="train_seed")
        )
        options["refit"] = st.checkbox(
            "Refit on all rows after scoring", value=True, key="train_refit"
        )
        options["activate"] = st.checkbox(
            "Activate the new version", value=True, key="train_activate"
        )
    if MODEL_NAME.fullmatch(model):
        _existing_model_note(backend, model, options["activate"])
    return (options if valid else None), (model if valid else None)


def _existing_model_note(backend: BackendClient, name: str, activate: bool) -> None:
    """Show, before training starts, what a new version does to an existing model."""
    try:
        models = backend.models()
    except BackendError as error:
        st.warning(f"Cannot check whether model {name} already exists: {error.message}")
        return
    existing = next((model for model in models if model["name"] == name), None)
    if existing is None:
        st.caption(f"Training creates the new model {name}.")
        return
    active = existing["activeVersion"]
    if not activate:
        kept = (
            f"version {active} stays active"
            if active is not None
            else "no version is active"
        )
        st.info(f"Model {name} already exists. The new version is stored and {kept}.")
    elif active is None:
        st.info(
            f"Model {name} already exists and has no active version. The new version "
            "will become its active version."
        )
    else:
        st.info(
            f"Model {name} already exists. The new version will become its active "
            f"version in place of version {active}, so predictions switch to it. "
            'To keep it active, turn off "Activate the new version" under '
            '"Split, seed and activation".'
        )


def _column_choice(
    container: Any, label: str, columns: list[str], preferred: str, key: str
) -> str | None:
    choices = [NONE, *columns]
    index = choices.index(preferred) if preferred in choices else 0
    choice: str = container.selectbox(label, choices, index=index, key=key)
    return None if choice == NONE else choice


def _estimator_input(backend: BackendClient) -> TrainingOptions | None:
    try:
        estimators = _estimators(backend)
    except BackendError as error:
        st.error(f"The estimators cannot be listed: {error.message}")
        return None
    by_name = {estimator["name"]: estimator for estimator in estimators}
    names = list(by_name)
    name = st.selectbox(
        "Estimator",
        names,
        index=next(
            (i for i, estimator in enumerate(estimators) if estimator.get("default")), 0
        ),
        format_func=lambda value: f"{by_name[value]['title']} ({value})",
        key="train_estimator",
    )
    params = parameter_inputs(name, by_name[name]["params"])
    return {"estimator": name, "params": params}


def _estimators(backend: BackendClient) -> list[Estimator]:
    cached: list[Estimator] | None = st.session_state.get("train_estimators")
    if cached is None:
        cached = backend.estimators()
        st.session_state["train_estimators"] = cached
    return cached


def _job_running() -> bool:
    job: Job | None = st.session_state.get(JOB)
    return job is not None and job["status"] in ("queued", "running")


def _submit(
    backend: BackendClient, model: str, source: Source, options: TrainingOptions
) -> None:
    """Send the one training request of a click and keep its job in the session.

    No Streamlit element is drawn between the request and storing its job, so a
    rerun caused by a second click cannot interrupt them and finds the job running.
    """
    st.session_state[SUBMIT_ERROR] = None
    try:
        if source.file is not None and source.layout is not None:
            source.file.seek(0)
            job = backend.train_file(
                model, source.file, source.file.name, source.layout, options
            )
        elif source.rows is not None:
            job = backend.train_rows(
                model, source.rows.columns, source.rows.rows, options
            )
        else:
            return
    except BackendError as error:
        st.session_state[SUBMIT_ERROR] = f"Training was not started: {error.message}"
        return
    st.session_state[JOB] = job


def _follow_job(backend: BackendClient) -> None:
    job: Job | None = st.session_state.get(JOB)
    if job is None:
        return
    st.divider()
    if job["status"] in ("queued", "running"):
        _job_progress(backend)
    else:
        _job_result(backend, job)


@st.fragment(run_every=POLL_SECONDS)
def _job_progress(backend: BackendClient) -> None:
    """Poll the running job once per second without blocking the rest of the page."""
    job: Job = st.session_state[JOB]
    try:
        job = backend.job(job["id"])
    except BackendError as error:
        st.warning(
            f"The job's status cannot be read right now, retrying: {error.message}"
        )
        return
    st.session_state[JOB] = job
    if job["status"] in ("succeeded", "failed"):
        st.rerun(scope="app")
    st.progress(
        STAGE_PROGRESS.get(job["stage"], 0.0),
        text=f"Training {job['model']} with {job['estimator']} on {job['rows']:,} rows of "
        f"{job['units']} units: {job['status']}, {job['stage']}",
    )
    st.caption(f"Job {job['id']}")


def _job_result(backend: BackendClient, job: Job) -> None:
    if job["status"] == "failed":
        st.error(
            f"Training job {job['id']} failed: {job['error'] or 'no reason was recorded'}"
        )
        return
    number = job["version"]
    if number is None:
        st.error(f"Training job {job['id']} succeeded but names no version.")
        return
    st.success(
        f"Stored {job['model']} version {number}"
        + (" and activated it." if job["activate"] else ".")
    )
    try:
        version = backend.version(job["model"], number)
    except BackendError as error:
        st.error(f"Version {number} cannot be read: {error.message}")
        return
    views.show_version(backend, version)
