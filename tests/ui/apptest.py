"""Run one page of the web UI in Streamlit's AppTest."""

from __future__ import annotations

import time
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

RUN_TIMEOUT = 30.0


def _page_script(page: str) -> None:
    # AppTest runs this function's source as a script, so it imports inside.
    import importlib

    importlib.import_module(f"failsight.ui.screens.{page}").render()


def page_app(page: str) -> AppTest:
    return AppTest.from_function(
        _page_script, args=(page,), default_timeout=RUN_TIMEOUT
    )


def rerun_until(
    app: AppTest, done: Callable[[AppTest], bool], timeout: float = 90.0
) -> None:
    """Rerun the page, as the polling fragment would, until ``done`` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.run()
        if done(app):
            return
        time.sleep(0.3)
    raise AssertionError(
        f"the page did not reach the expected state within {timeout} s"
    )


def texts(app: AppTest, kind: str) -> list[str]:
    """Return the text of every element of one kind, such as error or success."""
    return [str(element.value) for element in app.get(kind)]
