from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from failsight.ml import estimators
from tests.helpers import COLUMNS, run_to_failure_rows
from tests.ui.apptest import page_app, rerun_until, texts
from tests.ui.conftest import Backend


def _filled_form(model: str, rows: list[list[float]] | None = None) -> AppTest:
    app = page_app("train").run()
    app.radio(key="train_source_kind").set_value("Paste JSON rows").run()
    body = {"columns": COLUMNS, "rows": rows or run_to_failure_rows()}
    app.text_area(key="train_json").set_value(json.dumps(body)).run()
    app.selectbox(key="train_estimator").set_value("ridge").run()
    app.text_input(key="train_model").set_value(model).run()
    return app


def _finished(app: AppTest) -> bool:
    return any("Stored" in text for text in texts(app, "success")) or bool(app.error)


def test_train_json_rows_shows_metrics_and_plots(
    ui_backend: Backend, model_name: str
) -> None:
    app = _filled_form(model_name)
    assert not app.exception
    assert app.dataframe[0].value.shape == (10, len(COLUMNS))
    assert app.multiselect[0].value == [
        "cycle",
        "temperature",
        "vibration",
        "constant",
    ]
    app.button(key="train_submit").click().run()
    rerun_until(app, _finished)
    assert not app.exception
    assert not texts(app, "error")
    assert f"Stored {model_name} version 1 and activated it." in texts(app, "success")
    labels = [metric.label for metric in app.metric]
    assert labels == ["RMSE", "MAE", "R²", "PHM08 score (mean)"]
    charts = [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]
    assert len(charts) == 3
    for chart in charts:
        assert chart["title"]
    # Streamlit's theme leaves a layered chart no room above its title.
    layered = [chart for chart in charts if "layer" in chart]
    assert len(layered) == 2
    for chart in layered:
        assert chart["padding"]["top"] >= 10
    versions = ui_backend.versions(model_name)
    assert [version["estimator"] for version in versions] == ["ridge"]
    assert versions[0]["unitColumn"] == "unit"
    assert versions[0]["ageColumn"] == "cycle"


def test_train_repeated_clicks_start_one_job(
    ui_backend: Backend, model_name: str
) -> None:
    app = _filled_form(model_name)
    app.button(key="train_submit").click().run()
    app.button(key="train_submit").click().run()
    assert app.button(key="train_submit").disabled or _finished(app)
    rerun_until(app, _finished)
    assert len(ui_backend.jobs(model_name)) == 1


def test_train_backend_error_shown_under_button(
    ui_backend: Backend, model_name: str
) -> None:
    app = _filled_form(model_name)
    app.multiselect[0].set_value(["constant"]).run()
    app.button(key="train_submit").click().run()
    assert not app.exception
    errors = texts(app, "error")
    assert len(errors) == 1
    assert errors[0].startswith("Training was not started:")
    assert "constant" in errors[0]
    assert ui_backend.jobs(model_name) == []


def test_train_invalid_model_name(ui_backend: Backend) -> None:
    app = _filled_form("Bad Name")
    assert any(
        "Model name 'Bad Name' is invalid" in text for text in texts(app, "error")
    )
    assert app.button(key="train_submit").disabled


def test_train_invalid_json(ui_backend: Backend) -> None:
    app = page_app("train").run()
    app.radio(key="train_source_kind").set_value("Paste JSON rows").run()
    app.text_area(key="train_json").set_value(
        '{"columns": ["unit"], "rows": [[1, 2]]}'
    ).run()
    assert not app.exception
    assert texts(app, "error") == [
        "Row 1 has 2 values but there are 1 columns; give one number per column."
    ]
    app.text_area(key="train_json").set_value("{not json").run()
    assert texts(app, "error")[0].startswith("The JSON is invalid at line 1, column 2")


def test_train_default_estimator(ui_backend: Backend) -> None:
    app = page_app("train").run()
    app.radio(key="train_source_kind").set_value("Paste JSON rows").run()
    body = {"columns": COLUMNS, "rows": run_to_failure_rows()}
    app.text_area(key="train_json").set_value(json.dumps(body)).run()
    assert not app.exception
    assert app.selectbox(key="train_estimator").value == estimators.DEFAULT_ESTIMATOR


def test_train_model_name_required(ui_backend: Backend) -> None:
    app = _filled_form("")
    assert not app.exception
    assert app.text_input(key="train_model").value == ""
    errors = texts(app, "error")
    assert len(errors) == 1
    assert errors[0].startswith("Model name is missing")
    assert app.button(key="train_submit").disabled


def test_train_new_model_named(ui_backend: Backend, model_name: str) -> None:
    app = _filled_form(model_name)
    assert not app.exception
    assert not texts(app, "info")
    assert f"Training creates the new model {model_name}." in texts(app, "caption")
    assert not app.button(key="train_submit").disabled


def test_train_existing_model_note(ui_backend: Backend, model_name: str) -> None:
    ui_backend.train(model_name)
    app = _filled_form(model_name)
    assert not app.exception
    notes = texts(app, "info")
    assert len(notes) == 1
    assert f"Model {model_name} already exists." in notes[0]
    assert "will become its active version in place of version 1" in notes[0]
    app.checkbox(key="train_activate").uncheck().run()
    assert texts(app, "info") == [
        f"Model {model_name} already exists. "
        "The new version is stored and version 1 stays active."
    ]
