"""Streamlit entry point of the web UI: one page per task, in the sidebar."""

import streamlit as st

from failsight.ui.screens import health, models, predict, train

st.set_page_config(page_title="Failsight", layout="wide")
navigation = st.navigation(
    [
        st.Page(
            health.render,
            title="Health",
            icon=":material/monitor_heart:",
            url_path="health",
            default=True,
        ),
        st.Page(
            train.render,
            title="Train",
            icon=":material/model_training:",
            url_path="train",
        ),
        st.Page(
            predict.render,
            title="Predict",
            icon=":material/query_stats:",
            url_path="predict",
        ),
        st.Page(
            models.render,
            title="Models",
            icon=":material/inventory_2:",
            url_path="models",
        ),
    ]
)
st.sidebar.caption("Failsight: time-to-failure models")
navigation.run()
