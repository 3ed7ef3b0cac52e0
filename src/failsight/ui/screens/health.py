"""Health page: is the backend reachable, what runs it, which models it serves."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from failsight.ui import session, views
from failsight.ui.client import BackendClient, BackendError, Model


def render() -> None:
    st.title("Health")
    backend = session.client()
    st.caption(f"Backend URL: {backend.base_url}")
    st.button("Check again", key="health_refresh")
    try:
        health = backend.health()
    except BackendError as error:
        st.error(f"The backend is not reachable. {error.message}")
        st.stop()
    st.success(f"Backend reachable: {health['message']}")
    _show_info(backend)
    _show_models(backend)


def _show_info(backend: BackendClient) -> None:
    try:
        info = backend.info()
    except BackendError as error:
        st.warning(f"The backend's version and database are unknown: {error.message}")
        return
    version, database = st.columns(2)
    version.metric("Backend version", info["version"])
    database.metric("Registry database", info["databaseKind"])


def _show_models(backend: BackendClient) -> None:
    st.subheader("Models")
    models = views.trained_models(backend)
    if models is None:
        return
    st.dataframe(_models_table(backend, models), hide_index=True)


def _models_table(backend: BackendClient, models: list[Model]) -> pd.DataFrame:
    rows = []
    for model in models:
        active = model["activeVersion"]
        trained_at: pd.Timestamp | None = None
        estimator = ""
        if active is not None:
            try:
                version = backend.version(model["name"], active)
            except BackendError:
                # The version may have been deleted since the list was read.
                pass
            else:
                trained_at = pd.Timestamp(version["createdAt"])
                estimator = version["estimator"]
        rows.append(
            {
                "model": model["name"],
                "active version": active,
                "estimator": estimator,
                "trained at": trained_at,
                "versions": model["versionCount"],
                "latest version": model["latestVersion"],
            }
        )
    return pd.DataFrame(rows)
