"""Streamlit entry point of the web UI."""

import httpx
import streamlit as st

from failsight.config import get_settings

settings = get_settings()
st.set_page_config(page_title="Failsight", layout="wide")
st.title("Failsight")
st.caption(f"Backend: {settings.resolved_api_url}")
try:
    health = httpx.get(f"{settings.resolved_api_url}/health", timeout=5).json()
    st.success(health["message"])
except httpx.HTTPError as error:
    st.error(f"The backend at {settings.resolved_api_url} is not reachable: {error}")
