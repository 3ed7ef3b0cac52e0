from __future__ import annotations

import json
import logging

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.apptest import page_app, texts
from tests.ui.conftest import Backend

ARROW_LOGGER = "streamlit.dataframe_util"
"""Logger to which Streamlit writes a table it could not convert to Arrow."""


def _models_page(model: str) -> AppTest:
    app = page_app("models").run()
    app.selectbox(key="models_model").set_value(model).run()
    return app


def _arrow_fix_messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == ARROW_LOGGER and "Arrow" in record.getMessage()
    ]


def _active(backend: Backend, model: str) -> int:
    return next(v["number"] for v in backend.versions(model) if v["active"])


def test_models_table_marks_active_version(
    ui_backend: Backend, model_name: str
) -> None:
    ui_backend.train(model_name)
    ui_backend.train(model_name, estimator="linear")
    app = _models_page(model_name)
    assert not app.exception
    table = app.dataframe[0].value
    assert table["version"].tolist() == [2, 1]
    assert table["active"].tolist() == ["● active", ""]
    assert table["estimator"].tolist() == ["linear", "ridge"]
    comparison = app.dataframe[1].value
    assert list(comparison.columns) == ["", "version 1", "version 2"]
    assert len(app.get("vega_lite_chart")) >= 4


def test_models_rollback_needs_confirmation(
    ui_backend: Backend, model_name: str
) -> None:
    ui_backend.train(model_name)
    ui_backend.train(model_name)
    app = _models_page(model_name)
    app.selectbox(key="models_manage").select_index(1).run()
    app.button(key="models_activate").click().run()
    assert _active(ui_backend, model_name) == 2
    assert any("Activate version 1" in text for text in texts(app, "warning"))
    app.button(key="models_confirm").click().run()
    assert not app.exception
    assert _active(ui_backend, model_name) == 1
    assert f"Version 1 of {model_name} is active." in texts(app, "success")
    assert app.dataframe[0].value["active"].tolist() == ["", "● active"]


def test_models_delete_cancel_and_confirm(ui_backend: Backend, model_name: str) -> None:
    ui_backend.train(model_name)
    ui_backend.train(model_name)
    app = _models_page(model_name)
    assert app.button(key="models_delete").disabled
    app.selectbox(key="models_manage").select_index(1).run()
    app.button(key="models_delete").click().run()
    app.button(key="models_cancel").click().run()
    assert len(ui_backend.versions(model_name)) == 2
    app.button(key="models_delete").click().run()
    app.button(key="models_confirm").click().run()
    assert not app.exception
    assert [v["number"] for v in ui_backend.versions(model_name)] == [2]
    assert f"Version 1 of {model_name} is deleted." in texts(app, "success")


def test_models_action_error_shown(ui_backend: Backend, model_name: str) -> None:
    ui_backend.train(model_name)
    ui_backend.train(model_name)
    app = _models_page(model_name)
    app.selectbox(key="models_manage").select_index(1).run()
    app.button(key="models_delete").click().run()
    ui_backend.http.post(f"/models/{model_name}/versions/1/activate")
    app.button(key="models_confirm").click().run()
    assert not app.exception
    errors = texts(app, "error")
    assert len(errors) == 1
    assert errors[0].startswith("Could not delete version 1:")
    assert len(ui_backend.versions(model_name)) == 2


def test_models_tables_convert_to_arrow(
    ui_backend: Backend, model_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    ui_backend.train(model_name)
    ui_backend.train(model_name, estimator="hist_gradient_boosting")
    # Streamlit's loggers do not propagate, so the capture handler is attached.
    arrow_logger = logging.getLogger(ARROW_LOGGER)
    caplog.set_level(logging.INFO, logger=ARROW_LOGGER)
    arrow_logger.addHandler(caplog.handler)
    try:
        app = _models_page(model_name)
    finally:
        arrow_logger.removeHandler(caplog.handler)
    assert not app.exception
    assert _arrow_fix_messages(caplog) == []
    comparison = app.dataframe[1].value
    for column in comparison.columns:
        types = {type(value) for value in comparison[column]}
        assert types == {str}, column


def test_models_estimator_column_width(ui_backend: Backend, model_name: str) -> None:
    ui_backend.train(model_name, estimator="hist_gradient_boosting")
    app = _models_page(model_name)
    assert not app.exception
    assert app.dataframe[0].value["estimator"].tolist() == ["hist_gradient_boosting"]
    columns = json.loads(app.dataframe[0].proto.columns)
    assert columns["estimator"]["width"] == "medium"
