from __future__ import annotations

import pandas as pd
import pytest

from failsight.ui import charts
from tests.ui import processes
from tests.ui.apptest import page_app, texts
from tests.ui.conftest import Backend

ROW = {"cycle": 25.0, "temperature": 520.0, "vibration": 2.6}


def test_predict_row_form_matches_api(ui_backend: Backend, model_name: str) -> None:
    ui_backend.train(model_name)
    app = page_app("predict").run()
    app.selectbox(key="predict_model").set_value(model_name).run()
    labels = [
        number.label for number in app.number_input if number.key.startswith("row_")
    ]
    assert labels == list(ROW)
    for name, value in ROW.items():
        app.number_input(key=f"row_{name}").set_value(value)
    app.button[0].click().run()
    assert not app.exception
    expected = ui_backend.http.post(
        f"/models/{model_name}/predict",
        json={"rows": [list(ROW.values())], "columns": list(ROW)},
    ).json()["timeToFailure"][0]
    metric = app.metric[0]
    assert metric.label == "Predicted time to failure (version 1)"
    assert float(metric.value) == pytest.approx(expected, abs=0.05)


def test_predict_older_version_is_sent(ui_backend: Backend, model_name: str) -> None:
    ui_backend.train(model_name)
    ui_backend.train(model_name, estimator="linear")
    app = page_app("predict").run()
    app.selectbox(key="predict_model").set_value(model_name).run()
    version_box = app.selectbox(key=f"predict_version_{model_name}")
    assert version_box.options == ["2 (active)", "1"]
    version_box.select_index(1).run()
    app.button[0].click().run()
    assert not app.exception
    assert app.metric[0].label == "Predicted time to failure (version 1)"


def test_predict_after_version_deleted(ui_backend: Backend, model_name: str) -> None:
    ui_backend.train(model_name)
    ui_backend.train(model_name)
    app = page_app("predict").run()
    app.selectbox(key="predict_model").set_value(model_name).run()
    app.selectbox(key=f"predict_version_{model_name}").select_index(1).run()
    response = ui_backend.http.delete(f"/models/{model_name}/versions/1")
    assert response.status_code == 204
    app.run()
    app.button[0].click().run()
    assert not app.exception
    assert not texts(app, "error")
    assert app.selectbox(key=f"predict_version_{model_name}").options == ["2 (active)"]
    assert app.metric[0].label == "Predicted time to failure (version 2)"


def test_predict_backend_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAILSIGHT_API_URL", f"http://127.0.0.1:{processes.free_port()}")
    app = page_app("predict").run()
    assert not app.exception
    assert texts(app, "error")[0].startswith(
        "The models cannot be listed: Cannot connect"
    )


def test_predict_chart_legend_words() -> None:
    predictions = pd.DataFrame({"unit": [1, 2, 3], "timeToFailure": [12.0, 30.0, 80.0]})
    spec = charts.units_by_time_to_failure(predictions, 30.0).to_dict()
    color = spec["layer"][0]["encoding"]["color"]
    assert color["scale"]["domain"] == ["needs attention (under 30)", "ok"]
    assert color["legend"]["title"] == "Status"
    rows = next(iter(spec["datasets"].values()))
    statuses = {row["unit"]: row["status"] for row in rows}
    assert statuses == {
        "1": "needs attention (under 30)",
        "2": "ok",
        "3": "ok",
    }
