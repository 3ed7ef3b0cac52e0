"""The catalogue of estimators a caller can train, with validated parameters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sklearn.base import RegressorMixin
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from failsight.domain.errors import InvalidInputError

DEFAULT_ESTIMATOR = "hist_gradient_boosting"
LINEAR = "linear"


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LinearParams(_Params):
    """Standard scaling then ordinary least squares, as in the original template."""


class RidgeParams(_Params):
    alpha: float = Field(default=1.0, gt=0, le=1e6, description="L2 penalty strength.")


class HistGradientBoostingParams(_Params):
    max_iter: int = Field(default=200, ge=1, le=5000, description="Boosting rounds.")
    learning_rate: float = Field(default=0.05, gt=0, le=1)
    max_leaf_nodes: int = Field(default=15, ge=2, le=1024)
    max_depth: int | None = Field(default=None, ge=1, le=64)
    min_samples_leaf: int = Field(default=50, ge=1, le=100_000)
    l2_regularization: float = Field(default=0.0, ge=0, le=1e6)
    loss: Literal["squared_error", "absolute_error"] = "squared_error"


class RandomForestParams(_Params):
    n_estimators: int = Field(
        default=100, ge=1, le=2000, description="Number of trees."
    )
    max_depth: int | None = Field(default=12, ge=1, le=128)
    min_samples_leaf: int = Field(default=5, ge=1, le=100_000)
    max_features: float = Field(
        default=0.5, gt=0, le=1, description="Fraction of features tried at each split."
    )


@dataclass(frozen=True)
class EstimatorKind:
    name: str
    title: str
    params: type[_Params]
    build: Callable[[Any, int], RegressorMixin | Pipeline]


def _linear(_: LinearParams, seed: int) -> Pipeline:
    return make_pipeline(StandardScaler(), LinearRegression())


def _ridge(params: RidgeParams, seed: int) -> Pipeline:
    return make_pipeline(StandardScaler(), Ridge(alpha=params.alpha))


def _hist_gradient_boosting(
    params: HistGradientBoostingParams, seed: int
) -> HistGradientBoostingRegressor:
    return HistGradientBoostingRegressor(
        **params.model_dump(), early_stopping=False, random_state=seed
    )


def _random_forest(params: RandomForestParams, seed: int) -> RandomForestRegressor:
    # One thread per fit: parallelism comes from the pool of training workers.
    return RandomForestRegressor(**params.model_dump(), n_jobs=1, random_state=seed)


ESTIMATORS: dict[str, EstimatorKind] = {
    kind.name: kind
    for kind in (
        EstimatorKind(LINEAR, "Scaled linear regression", LinearParams, _linear),
        EstimatorKind("ridge", "Scaled ridge regression", RidgeParams, _ridge),
        EstimatorKind(
            "hist_gradient_boosting",
            "Histogram gradient boosting",
            HistGradientBoostingParams,
            _hist_gradient_boosting,
        ),
        EstimatorKind(
            "random_forest", "Random forest", RandomForestParams, _random_forest
        ),
    )
}


def get_kind(name: str) -> EstimatorKind:
    try:
        return ESTIMATORS[name]
    except KeyError:
        raise InvalidInputError(
            f"estimator {name!r} is unknown; use one of: {', '.join(ESTIMATORS)}"
        ) from None


def validate_params(name: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return the estimator's full parameters, defaults filled in, or raise
    InvalidInputError naming the first invalid parameter."""
    kind = get_kind(name)
    try:
        validated = kind.params.model_validate(dict(params or {}))
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "params"
        value = first.get("input")
        allowed = ", ".join(kind.params.model_fields) or "none"
        raise InvalidInputError(
            f"params.{field} = {value!r} is invalid for estimator {name!r}: "
            f"{first['msg']}; its parameters are: {allowed}"
        ) from None
    return validated.model_dump()


def build_estimator(
    name: str, params: Mapping[str, Any], seed: int
) -> RegressorMixin | Pipeline:
    kind = get_kind(name)
    return kind.build(kind.params.model_validate(dict(params)), seed)
