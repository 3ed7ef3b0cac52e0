from __future__ import annotations

import pytest

from tests.ui import processes
from tests.ui.apptest import page_app, texts
from tests.ui.conftest import Backend


def test_health_shows_version_database_and_models(
    ui_backend: Backend, model_name: str
) -> None:
    ui_backend.train(model_name)
    app = page_app("health").run()
    assert not app.exception
    assert any("Backend reachable" in text for text in texts(app, "success"))
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Registry database"] == "sqlite"
    assert metrics["Backend version"]
    table = app.dataframe[0].value
    row = table[table["model"] == model_name].iloc[0]
    assert row["active version"] == 1
    assert row["estimator"] == "ridge"
    assert row["trained at"] is not None


def test_health_backend_down(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{processes.free_port()}"
    monkeypatch.setenv("FAILSIGHT_API_URL", url)
    app = page_app("health").run()
    assert not app.exception
    errors = texts(app, "error")
    assert len(errors) == 1
    assert f"Cannot connect to the backend at {url}" in errors[0]
    assert "FAILSIGHT_API_URL" in errors[0]
