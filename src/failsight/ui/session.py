"""Per-session helpers shared by the pages: the backend client, error display
and guards that keep one click to one request."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import streamlit as st

from failsight.config import Settings
from failsight.ui.client import BackendClient

API_URL_VARIABLE = "FAILSIGHT_API_URL"
API_KEY_VARIABLE = "FAILSIGHT_UI_API_KEY"
"""Environment variable of the API key the UI sends, if the backend needs one."""


def backend_url() -> str:
    """Return the backend URL from FAILSIGHT_API_URL, or the one the settings
    build from host and port, read again on each run so a changed environment
    takes effect without a restart."""
    explicit = os.environ.get(API_URL_VARIABLE)
    if explicit:
        return explicit.rstrip("/")
    return Settings().resolved_api_url


@st.cache_resource(show_spinner=False)
def _shared_client(url: str, api_key: str | None) -> BackendClient:
    # httpx clients are thread-safe, so every session reuses one connection pool.
    return BackendClient(url, api_key=api_key)


def client() -> BackendClient:
    return _shared_client(backend_url(), os.environ.get(API_KEY_VARIABLE) or None)


def fingerprint(*parts: Any) -> str:
    """Return a stable digest of request inputs, used to recognise a repeated click."""
    encoded = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def show_error(key: str) -> None:
    """Show the error stored under ``key`` by the control placed just above."""
    message = st.session_state.get(key)
    if message:
        st.error(message)
