"""The Streamlit web UI; it reaches the backend only over HTTP."""
