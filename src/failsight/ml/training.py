"""Fit an estimator, score it on held-out units and refit it on every row."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.inspection import permutation_importance
from sklearn.model_selection import GroupShuffleSplit

from failsight.domain.errors import InvalidInputError
from failsight.domain.records import DataCounts, Evaluation, Metrics
from failsight.ml.datasets import Dataset
from failsight.ml.estimators import build_estimator
from failsight.ml.metrics import score

DEFAULT_SEED = 42
DEFAULT_TEST_FRACTION = 0.2
EVALUATION_SAMPLE = 500
"""Held-out points kept with a version for plots."""
IMPORTANCE_SAMPLE = 2000
IMPORTANCE_REPEATS = 3

StageCallback = Callable[[str], None]


@dataclass(frozen=True)
class TrainingResult:
    estimator: Any
    metrics: Metrics
    counts: DataCounts
    evaluation: Evaluation
    refitted: bool


def split_by_unit(
    dataset: Dataset, test_fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return train and test row indices such that no unit is on both sides."""
    units = dataset.unit_count
    test_units = math.ceil(test_fraction * units)
    if test_units >= units:
        raise InvalidInputError(
            f"testFraction = {test_fraction:g} holds out all {units} units, leaving "
            f"none to train on; use at most {(units - 1) / units:.2f} or send more units"
        )
    splitter = GroupShuffleSplit(n_splits=1, test_size=test_fraction, random_state=seed)
    train, test = next(splitter.split(dataset.features, groups=dataset.units))
    if len(train) < 2 or len(test) < 1:
        raise InvalidInputError(
            f"the data is too small to split and score: {dataset.rows} rows in "
            f"{dataset.unit_count} units left {len(train)} training and {len(test)} test "
            "rows; send more units, or more rows per unit"
        )
    return train, test


def predict_time_to_failure(estimator: Any, features: np.ndarray) -> np.ndarray:
    """Predict and clip at zero, since a time to failure is never negative."""
    predicted = np.asarray(estimator.predict(features), dtype=np.float64)
    return np.clip(predicted, 0.0, None)


def train(
    dataset: Dataset,
    estimator_name: str,
    params: dict[str, Any],
    *,
    seed: int = DEFAULT_SEED,
    test_fraction: float = DEFAULT_TEST_FRACTION,
    refit: bool = True,
    on_stage: StageCallback | None = None,
) -> TrainingResult:
    report = on_stage or (lambda _stage: None)
    train_rows, test_rows = split_by_unit(dataset, test_fraction, seed)
    features, target = dataset.features, dataset.time_to_failure

    report("fitting")
    estimator = build_estimator(estimator_name, params, seed)
    estimator.fit(features[train_rows], target[train_rows])

    report("evaluating")
    predicted = predict_time_to_failure(estimator, features[test_rows])
    if not np.isfinite(predicted).all():
        raise InvalidInputError(
            f"{estimator_name} produced non-finite predictions on the held-out units, "
            "which happens when feature values are too large to compute with; "
            "rescale the features, for example to other units"
        )
    metrics = score(target[test_rows], predicted)
    evaluation = _evaluation(
        estimator, dataset, test_rows, predicted, np.random.default_rng(seed)
    )

    if refit:
        report("refitting")
        estimator = build_estimator(estimator_name, params, seed)
        estimator.fit(features, target)

    counts = DataCounts(
        train_rows=len(train_rows),
        train_units=len(np.unique(dataset.units[train_rows])),
        test_rows=len(test_rows),
        test_units=len(np.unique(dataset.units[test_rows])),
    )
    return TrainingResult(estimator, metrics, counts, evaluation, refitted=refit)


def _evaluation(
    estimator: Any,
    dataset: Dataset,
    test_rows: np.ndarray,
    predicted: np.ndarray,
    rng: np.random.Generator,
) -> Evaluation:
    true = dataset.time_to_failure[test_rows]
    sample = _sample(len(test_rows), EVALUATION_SAMPLE, rng)
    return Evaluation(
        true=[round(float(v), 4) for v in true[sample]],
        predicted=[round(float(v), 4) for v in predicted[sample]],
        feature_importance=_importance(estimator, dataset, test_rows, rng),
    )


def _importance(
    estimator: Any, dataset: Dataset, test_rows: np.ndarray, rng: np.random.Generator
) -> dict[str, float]:
    names = dataset.feature_names
    native = getattr(estimator, "feature_importances_", None)
    if native is not None:
        values = np.asarray(native, dtype=np.float64)
    else:
        rows = test_rows[_sample(len(test_rows), IMPORTANCE_SAMPLE, rng)]
        result = permutation_importance(
            estimator,
            dataset.features[rows],
            dataset.time_to_failure[rows],
            n_repeats=IMPORTANCE_REPEATS,
            random_state=int(rng.integers(2**31)),
            scoring="neg_root_mean_squared_error",
        )
        values = np.asarray(result.importances_mean, dtype=np.float64)
    return {name: round(float(v), 6) for name, v in zip(names, values, strict=True)}


def _sample(size: int, limit: int, rng: np.random.Generator) -> np.ndarray:
    if size <= limit:
        return np.arange(size)
    return np.sort(rng.choice(size, limit, replace=False))
