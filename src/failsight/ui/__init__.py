"""Streamlit web UI: a separate process that reaches the backend over HTTP only."""

MAX_UPLOAD_MEGABYTES = 30
"""Largest file the UI accepts, in MB. It stays under the backend's default
limit of 32 MiB per request body, which includes the multipart framing."""
