"""Scores of predicted against true time to failure."""

from __future__ import annotations

import math

import numpy as np
from sklearn.metrics import mean_absolute_error, r2_score, root_mean_squared_error

from failsight.domain.records import Metrics

PHM08_EARLY_SCALE = 13.0
PHM08_LATE_SCALE = 10.0


def phm08_score(true: np.ndarray, predicted: np.ndarray) -> float:
    """Sum of the PHM08 challenge's asymmetric exponential penalty.

    With ``d = predicted - true``, each row costs ``exp(-d/13) - 1`` when the
    prediction is early (d < 0) and ``exp(d/10) - 1`` when it is late.
    """
    d = np.asarray(predicted, dtype=np.float64) - np.asarray(true, dtype=np.float64)
    cost = np.where(
        d < 0, np.expm1(-d / PHM08_EARLY_SCALE), np.expm1(d / PHM08_LATE_SCALE)
    )
    return float(cost.sum())


def score(true: np.ndarray, predicted: np.ndarray) -> Metrics:
    r2 = float(r2_score(true, predicted)) if len(true) >= 2 else math.nan
    phm08 = phm08_score(true, predicted)
    return Metrics(
        rmse=float(root_mean_squared_error(true, predicted)),
        mae=float(mean_absolute_error(true, predicted)),
        r2=r2 if math.isfinite(r2) else None,
        phm08=phm08,
        phm08_mean=phm08 / len(true),
    )
