"""Models page: a model's versions, a side-by-side comparison of two of them,
and activation (rollback) or deletion after a confirmation step."""

from __future__ import annotations

from typing import Literal

import pandas as pd
import streamlit as st

from failsight.ui import session, views
from failsight.ui.client import BackendClient, BackendError, Version

Action = Literal["activate", "delete"]

PENDING = "models_pending_action"
ACTION_ERROR = "models_action_error"
ACTION_DONE = "models_action_done"


def render() -> None:
    st.title("Models")
    backend = session.client()
    models = views.trained_models(backend)
    if models is None:
        return
    name = st.selectbox(
        "Model", [model["name"] for model in models], key="models_model"
    )
    try:
        versions = sorted(
            backend.versions(name), key=lambda version: version["number"], reverse=True
        )
    except BackendError as error:
        st.error(f"The versions of {name} cannot be listed: {error.message}")
        return
    if not versions:
        st.info(f"{name} has no version left. Train one on the Train page.")
        return
    active = next((version for version in versions if version["active"]), None)
    st.markdown(
        f"Active version: **{active['number']}**" if active else "No version is active."
    )
    st.dataframe(
        views.versions_table(versions),
        hide_index=True,
        column_config={
            "created": st.column_config.DatetimeColumn(
                "created (UTC)", format="YYYY-MM-DD HH:mm"
            ),
            "R²": st.column_config.NumberColumn("R²", format="%.3f"),
            "estimator": st.column_config.TextColumn("estimator", width="medium"),
            "created by": st.column_config.TextColumn("created by", width="medium"),
        },
    )
    details, compare, manage = st.tabs(
        ["Version details", "Compare two versions", "Activate or delete"]
    )
    with details:
        _details(backend, versions)
    with compare:
        _compare(backend, versions)
    with manage:
        _manage(backend, name, versions)


def _label(version: Version) -> str:
    return f"{version['number']}" + (" (active)" if version["active"] else "")


def _details(backend: BackendClient, versions: list[Version]) -> None:
    version: Version = st.selectbox(
        "Version", versions, format_func=_label, key="models_detail"
    )
    views.show_version(backend, version)
    with st.expander("Parameters, features and provenance"):
        st.json(
            {
                "params": version["params"],
                "featureNames": version["featureNames"],
                "droppedFeatures": version["droppedFeatures"],
                "target": version["target"],
                "unitColumn": version["unitColumn"],
                "ageColumn": version["ageColumn"],
                "seed": version["seed"],
                "testFraction": version["testFraction"],
                "dataSha256": version["dataSha256"],
                "artifactSha256": version["artifactSha256"],
                "libraryVersions": version["libraryVersions"],
                "jobId": version["jobId"],
            },
            expanded=False,
        )


def _compare(backend: BackendClient, versions: list[Version]) -> None:
    if len(versions) < 2:
        st.info("Comparing needs two versions; train another one first.")
        return
    left_column, right_column = st.columns(2)
    left: Version = left_column.selectbox(
        "Version A", versions, index=1, format_func=_label, key="models_compare_a"
    )
    right: Version = right_column.selectbox(
        "Version B", versions, index=0, format_func=_label, key="models_compare_b"
    )
    st.dataframe(
        _comparison(left, right),
        hide_index=True,
        column_config={"": st.column_config.TextColumn(width="medium")},
    )
    st.caption("Lower is better for RMSE, MAE and PHM08; higher is better for R².")
    with left_column:
        views.show_plots(backend, left, side_by_side=False)
    with right_column:
        views.show_plots(backend, right, side_by_side=False)


def _comparison(left: Version, right: Version) -> pd.DataFrame:
    # Every value is a string: a column that mixes numbers and strings cannot be
    # converted to Arrow, and Streamlit then logs the conversion error.
    def facts(version: Version) -> dict[str, str]:
        metrics, counts = version["metrics"], version["counts"]
        return {
            "active": "yes" if version["active"] else "no",
            "estimator": version["estimator"],
            "params": ", ".join(
                f"{key}={value}" for key, value in version["params"].items()
            )
            or "defaults",
            "features": str(len(version["featureNames"])),
            "target cap": views.format_optional(version["target"]["cap"], 0),
            "train rows / units": f"{counts['trainRows']:,} / {counts['trainUnits']}",
            "test rows / units": f"{counts['testRows']:,} / {counts['testUnits']}",
            "RMSE": f"{metrics['rmse']:.3f}",
            "MAE": f"{metrics['mae']:.3f}",
            "R²": views.format_optional(metrics["r2"]),
            "PHM08 mean": f"{metrics['phm08Mean']:.3f}",
            "created (UTC)": f"{pd.Timestamp(version['createdAt']):%Y-%m-%d %H:%M}",
        }

    a, b = facts(left), facts(right)
    return pd.DataFrame(
        {
            "": list(a),
            f"version {left['number']}": list(a.values()),
            f"version {right['number']}": list(b.values()),
        }
    )


def _manage(backend: BackendClient, name: str, versions: list[Version]) -> None:
    version: Version = st.selectbox(
        "Version", versions, format_func=_label, key="models_manage"
    )
    number = version["number"]
    activate_column, delete_column = st.columns(2)
    if activate_column.button(
        f"Activate version {number}",
        disabled=version["active"],
        key="models_activate",
        help="Predictions use the active version; activating an older one is a rollback.",
    ):
        _ask(name, number, "activate")
    if delete_column.button(
        f"Delete version {number}",
        disabled=version["active"],
        key="models_delete",
        help="The active version cannot be deleted; activate another one first.",
    ):
        _ask(name, number, "delete")
    if version["active"]:
        st.caption(
            f"Version {number} is active: it can be neither activated again nor deleted."
        )
    _confirm(backend)
    done = st.session_state.get(ACTION_DONE)
    if done:
        st.success(done)
    session.show_error(ACTION_ERROR)


def _ask(name: str, number: int, action: Action) -> None:
    st.session_state[PENDING] = (name, number, action)
    st.session_state[ACTION_ERROR] = None
    st.session_state[ACTION_DONE] = None


def _confirm(backend: BackendClient) -> None:
    pending: tuple[str, int, Action] | None = st.session_state.get(PENDING)
    if pending is None:
        return
    name, number, action = pending
    if action == "activate":
        st.warning(
            f"Activate version {number} of {name}? Predictions switch to it within about a second."
        )
    else:
        st.warning(
            f"Delete version {number} of {name} and its artifact? This cannot be undone."
        )
    confirm_column, cancel_column = st.columns(2)
    confirmed = confirm_column.button(
        f"Yes, {action} version {number}", type="primary", key="models_confirm"
    )
    cancelled = cancel_column.button("Cancel", key="models_cancel")
    if cancelled:
        st.session_state[PENDING] = None
        st.rerun()
    if confirmed and st.session_state.get(PENDING) == pending:
        # Clear the pending action before the request, so a second click cannot repeat it.
        st.session_state[PENDING] = None
        try:
            if action == "activate":
                backend.activate(name, number)
                st.session_state[ACTION_DONE] = f"Version {number} of {name} is active."
            else:
                backend.delete_version(name, number)
                st.session_state[ACTION_DONE] = (
                    f"Version {number} of {name} is deleted."
                )
        except BackendError as error:
            st.session_state[ACTION_ERROR] = (
                f"Could not {action} version {number}: {error.message}"
            )
        st.rerun()
