"""One module per page of the UI, each with a ``render()`` function. The
package is not called pages because Streamlit would run a pages/ folder
beside app.py as scripts of its own."""
