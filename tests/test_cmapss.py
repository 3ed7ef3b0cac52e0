"""Acceptance on real data: the NASA C-MAPSS FD001 turbofan engines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from failsight.ml.metrics import score

pytestmark = pytest.mark.cmapss

MAX_RMSE = 19.0
"""Published single-cycle baselines on FD001 reach about 18."""


def upload(path: Path) -> dict[str, tuple[str, bytes, str]]:
    return {"file": (path.name, path.read_bytes(), "text/plain")}


def test_gradient_boosting_on_fd001(client: TestClient, cmapss: Path) -> None:
    trained = client.post(
        "/models/turbofan/train/file?wait=true",
        files=upload(cmapss / "train_FD001.txt"),
        data={"preset": "cmapss", "cap": "125", "estimator": "hist_gradient_boosting"},
    )
    assert trained.status_code == 201, trained.text
    job = trained.json()
    assert job["status"] == "succeeded", job["error"]
    assert job["rows"] == 20631
    assert job["units"] == 100

    version = client.get(f"/models/turbofan/versions/{job['version']}").json()
    assert "setting3" in version["droppedFeatures"]
    assert "s1" in version["droppedFeatures"]
    assert version["counts"]["testUnits"] == 20

    predicted = client.post(
        "/models/turbofan/predict/file",
        files=upload(cmapss / "test_FD001.txt"),
        data={"preset": "cmapss", "lastRowPerUnit": "true"},
    )
    assert predicted.status_code == 200, predicted.text
    predictions = predicted.json()["predictions"]
    assert [p["unit"] for p in predictions] == list(range(1, 101))

    truth = np.loadtxt(cmapss / "RUL_FD001.txt")
    estimate = np.array([p["timeToFailure"] for p in predictions])
    metrics = score(truth, estimate)
    assert metrics.rmse <= MAX_RMSE, metrics


def test_compatibility_endpoint_on_age_alone(client: TestClient, cmapss: Path) -> None:
    table = np.loadtxt(cmapss / "train_FD001.txt")
    units, cycles = table[:, 0], table[:, 1]
    last = {unit: cycles[units == unit].max() for unit in np.unique(units)}
    time_to_failure = [
        last[unit] - cycle for unit, cycle in zip(units, cycles, strict=True)
    ]

    trained = client.post(
        "/prediction/train",
        json={"age": [[float(c)] for c in cycles], "timeForFailure": time_to_failure},
    )
    assert trained.status_code == 200, trained.text
    assert trained.json()["version"] == 1

    young = client.post("/prediction/predict", json={"input": 10.0}).json()["result"]
    old = client.post("/prediction/predict", json={"input": 300.0}).json()["result"]
    # Older engines have less life left; the linear fit on age shows that.
    assert young > old >= 0
    assert young == pytest.approx(np.mean(list(last.values())) - 10, rel=0.25)
