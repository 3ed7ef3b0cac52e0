"""Streamlit entry point of the web UI: one page per task, in the sidebar."""

import streamlit as st

from failsight.ui.pages import health, models, predict, train

st.set_page_config(page_title="Failsight", page_icon="⚙️", layout="wide")
navigation = st.navigation(
    [
        st.Page(
            health.render, title="Health", icon="🩺", url_path="health", default=True
        ),
        st.Page(train.render, title="Train", icon="🏋️", url_path="train"),
        st.Page(predict.render, title="Predict", icon="🔮", url_path="predict"),
        st.Page(models.render, title="Models", icon="🗂️", url_path="models"),
    ]
)
st.sidebar.caption("Failsight: time-to-failure models")
navigation.run()
