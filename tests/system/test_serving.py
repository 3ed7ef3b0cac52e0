"""Serving while models are trained and activated: no failed or mixed
predictions, and no added latency from a long fit."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import numpy as np

from tests.helpers import run_to_failure_rows
from tests.system.conftest import ServerFactory
from tests.system.helpers import (
    PROBE_ROWS,
    predict,
    slow_training_body,
    submit,
    train,
    wait_for_stage,
)

MODEL = "pump"
MAX_PREDICTIONS = 2000
MAX_SECONDS = 40.0
LATENCY_SAMPLES = 150
LATENCY_FACTOR = 10
"""Maximum ratio of the p99 latency during a long fit to the idle p99. The fit
runs in another process but shares 2 cores with the server and the client.
A fit that blocked the event loop would add whole seconds."""


class PredictionLoop:
    """Send predictions back to back from a thread until stopped, bounded in
    time and count, and keep every response."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.responses: list[tuple[int, dict[str, Any]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PredictionLoop:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=MAX_SECONDS)

    def _run(self) -> None:
        deadline = time.monotonic() + MAX_SECONDS
        with httpx.Client(base_url=self.url, timeout=10.0) as client:
            while not self._stop.is_set() and time.monotonic() < deadline:
                response = predict(client, MODEL)
                self.responses.append((response.status_code, response.json()))
                if len(self.responses) >= MAX_PREDICTIONS:
                    return


def test_predictions_during_training_and_activation(
    start_server: ServerFactory,
) -> None:
    server = start_server()
    with server.client() as client:
        numbers = [train(client, MODEL, rows=run_to_failure_rows(seed=0))]
        with PredictionLoop(server.url) as loop:
            for seed in (1, 2, 3):
                numbers.append(
                    train(client, MODEL, rows=run_to_failure_rows(seed=seed))
                )
            for number in (numbers[0], numbers[-1]):
                activated = client.post(f"/models/{MODEL}/versions/{number}/activate")
                assert activated.status_code == 200, activated.text
                time.sleep(0.3)

        failures = [body for code, body in loop.responses if code != 200]
        assert failures == []
        assert len(loop.responses) >= 20
        served = {body["version"] for _, body in loop.responses}
        assert len(served) >= 3, f"predictions saw only versions {served}"
        assert served <= set(numbers)

        # Each response must equal what the version it names predicts, which a
        # mix of two versions' estimator and feature list would not.
        expected = {}
        for number in served:
            response = predict(client, MODEL, version=number)
            assert response.status_code == 200, response.text
            expected[number] = response.json()["timeToFailure"]
        distinct = {tuple(values) for values in expected.values()}
        assert len(distinct) == len(expected), "versions must predict differently"
        for _, body in loop.responses:
            assert body["model"] == MODEL
            assert len(body["timeToFailure"]) == len(PROBE_ROWS)
            np.testing.assert_allclose(
                body["timeToFailure"], expected[body["version"]], rtol=1e-9
            )


def _latencies(client: httpx.Client, samples: int) -> dict[str, list[float]]:
    seconds: dict[str, list[float]] = {"health": [], "predict": []}
    for _ in range(samples):
        started = time.perf_counter()
        assert client.get("/health").status_code == 200
        seconds["health"].append(time.perf_counter() - started)
        started = time.perf_counter()
        assert predict(client, MODEL).status_code == 200
        seconds["predict"].append(time.perf_counter() - started)
    return seconds


def test_long_fit_keeps_latency_normal(start_server: ServerFactory) -> None:
    server = start_server()
    with server.client() as client:
        train(client, MODEL)
        _latencies(client, 20)  # warm up connections and caches
        idle = _latencies(client, LATENCY_SAMPLES)

        job = submit(client, "slow", **slow_training_body())
        wait_for_stage(client, job["id"], "fitting")
        busy = _latencies(client, LATENCY_SAMPLES)
        still_running = client.get(f"/jobs/{job['id']}").json()
        assert still_running["status"] == "running", "the fit ended too early"

        for route in ("health", "predict"):
            idle_p99 = float(np.percentile(idle[route], 99))
            busy_p99 = float(np.percentile(busy[route], 99))
            print(
                f"{route}: p99 idle {idle_p99 * 1000:.1f} ms, busy {busy_p99 * 1000:.1f} ms"
            )
            assert busy_p99 <= LATENCY_FACTOR * idle_p99, (
                f"{route} p99 latency {busy_p99 * 1000:.1f} ms during a fit, "
                f"{idle_p99 * 1000:.1f} ms idle"
            )
