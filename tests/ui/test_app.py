from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

import failsight.ui
from tests.ui.conftest import Backend

APP = Path(failsight.ui.__file__).parent / "app.py"


def test_app_opens_on_health_page(ui_backend: Backend) -> None:
    app = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not app.exception
    assert app.title[0].value == "Health"
