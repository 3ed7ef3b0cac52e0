"""Scores against hand-computed values."""

import math

import numpy as np
import pytest

from failsight.ml.metrics import phm08_score, score


def test_phm08_late_costs_more_than_early() -> None:
    true = np.array([50.0, 50.0])
    late = phm08_score(true, np.array([60.0, 50.0]))
    early = phm08_score(true, np.array([40.0, 50.0]))
    assert late == pytest.approx(math.exp(1) - 1)
    assert early == pytest.approx(math.exp(10 / 13) - 1)
    assert late > early


def test_phm08_perfect_is_zero() -> None:
    assert phm08_score(np.array([3.0, 9.0]), np.array([3.0, 9.0])) == 0.0


def test_score_values() -> None:
    metrics = score(np.array([10.0, 20.0, 30.0]), np.array([12.0, 18.0, 30.0]))
    assert metrics.rmse == pytest.approx(math.sqrt(8 / 3))
    assert metrics.mae == pytest.approx(4 / 3)
    assert metrics.r2 == pytest.approx(1 - 8 / 200)
    assert metrics.phm08_mean == pytest.approx(metrics.phm08 / 3)


def test_r2_undefined_for_one_row() -> None:
    assert score(np.array([10.0]), np.array([12.0])).r2 is None
