"""Serve predictions from models held in memory."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import numpy as np

from failsight.domain.errors import (
    ArtifactError,
    InvalidInputError,
    NoModelError,
    NotFoundError,
)
from failsight.domain.records import ModelVersion
from failsight.metrics import (
    ACTIVE_VERSION,
    PREDICTED_ROWS,
    PREDICTIONS,
    UNUSABLE_VERSIONS,
)
from failsight.ml.training import predict_time_to_failure
from failsight.registry.store import Registry

logger = logging.getLogger(__name__)

PINNED_CACHE_SIZE = 8
"""Inactive versions kept in memory after a request named them explicitly."""


@dataclass(frozen=True)
class LoadedVersion:
    version: ModelVersion
    estimator: Any


@dataclass(frozen=True)
class Prediction:
    version: ModelVersion
    time_to_failure: np.ndarray


class ModelCache:
    """The active version of every model, loaded once and swapped whole.

    Readers take a reference to an immutable LoadedVersion, so a swap during a
    prediction never mixes two versions. ``refresh`` compares the registry's
    active versions with the loaded ones. It is the only method that reads the
    database in steady state, and it runs on a timer, not per request.
    """

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._active: dict[str, LoadedVersion] = {}
        self._pinned: OrderedDict[tuple[str, int], LoadedVersion] = OrderedDict()
        self._unusable: dict[tuple[str, int], str] = {}
        self._gauged: set[str] = set()
        self._lock = threading.Lock()
        # Request threads share the pinned versions, and an OrderedDict is not
        # safe to reorder and trim from several threads at once.
        self._pinned_lock = threading.Lock()

    def refresh(self) -> None:
        with self._lock:
            wanted = self.registry.active_versions()
            for model in set(self._active) - set(wanted):
                del self._active[model]
            for model, number in wanted.items():
                current = self._active.get(model)
                if current is not None and current.version.number == number:
                    continue
                if (model, number) in self._unusable:
                    continue  # already reported; retried when the activation changes
                loaded = self._load(model, number)
                if loaded is not None:
                    self._active[model] = loaded
                    logger.info("serving model %s version %d", model, number)
                elif current is not None:
                    # Keep nothing stale, because the registry names another active version.
                    del self._active[model]
            self._record_gauges()

    def _record_gauges(self) -> None:
        for model in self._gauged - set(self._active):
            with suppress(KeyError):
                ACTIVE_VERSION.remove(model)
        for model, loaded in self._active.items():
            ACTIVE_VERSION.labels(model).set(loaded.version.number)
        self._gauged = set(self._active)
        UNUSABLE_VERSIONS.set(len(self._unusable))

    def unusable(self) -> dict[tuple[str, int], str]:
        return dict(self._unusable)

    def usability(self, model: str, number: int) -> tuple[bool | None, str | None]:
        """Report whether this process could load a version: ``(False, reason)``
        after its load failed, ``(True, None)`` while it is in memory, and
        ``(None, None)`` before any load was tried."""
        reason = self._unusable.get((model, number))
        if reason is not None:
            return False, reason
        active = self._active.get(model)
        if active is not None and active.version.number == number:
            return True, None
        if (model, number) in self._pinned:
            return True, None
        return None, None

    def check(self, model: str, number: int) -> tuple[bool, str | None]:
        """Load a version unless its state is known, and report whether it is usable."""
        usable, reason = self.usability(model, number)
        if usable is not None:
            return usable, reason
        try:
            self.get(model, number)
        except ArtifactError as error:
            return False, error.message
        return True, None

    def active(self) -> dict[str, ModelVersion]:
        return {name: loaded.version for name, loaded in self._active.items()}

    def get(self, model: str, number: int | None = None) -> LoadedVersion:
        active = self._active.get(model)
        if number is None or (active is not None and active.version.number == number):
            if active is not None:
                return active
            return self._missing_active(model)
        key = (model, number)
        with self._pinned_lock:
            pinned = self._pinned.get(key)
            if pinned is not None:
                self._pinned.move_to_end(key)
                return pinned
        loaded = self._load(model, number, raise_errors=True)
        assert loaded is not None
        with self._pinned_lock:
            self._pinned[key] = loaded
            while len(self._pinned) > PINNED_CACHE_SIZE:
                self._pinned.popitem(last=False)
        return loaded

    def _missing_active(self, model: str) -> LoadedVersion:
        summary = self.registry.get_model(model)  # raises NotFoundError
        if summary.active_version is None:
            raise NoModelError(
                f"model {model!r} has no active version; train a model first or "
                "activate one of its versions"
            )
        reason = self._unusable.get((model, summary.active_version))
        if reason is not None:
            raise ArtifactError(
                f"model {model!r} version {summary.active_version} is unusable: {reason}"
            )
        # Activated elsewhere moments ago and not yet picked up by the poll.
        self.refresh()
        if model in self._active:
            return self._active[model]
        raise NoModelError(f"model {model!r} is not loaded yet; retry in a second")

    def _load(
        self, model: str, number: int, raise_errors: bool = False
    ) -> LoadedVersion | None:
        try:
            version, artifact = self.registry.get_version(model, number)
        except NotFoundError as error:
            if raise_errors:
                raise
            # The registry names an active version it no longer has; serve the
            # other models and report this one instead of failing them all.
            self._unusable[(model, number)] = error.message
            logger.error("model %s active version %d: %s", model, number, error.message)
            return None
        try:
            estimator = self.registry.artifacts.load(artifact, version.artifact_sha256)
        except ArtifactError as error:
            self._unusable[(model, number)] = error.message
            logger.error(
                "model %s version %d is unusable: %s", model, number, error.message
            )
            if raise_errors:
                raise
            return None
        self._unusable.pop((model, number), None)
        return LoadedVersion(version, estimator)


def predict(loaded: LoadedVersion, rows: np.ndarray) -> Prediction:
    """Check rows against the version's features, then predict."""
    version = loaded.version
    expected = len(version.feature_names)
    if rows.ndim != 2 or rows.shape[0] == 0:
        raise InvalidInputError(
            "rows is empty; send at least one row of feature values"
        )
    if rows.shape[1] != expected:
        raise InvalidInputError(
            f"model {version.model!r} version {version.number} expects {expected} "
            f"features, got {rows.shape[1]}; send one value per feature, in this "
            f"order: {', '.join(version.feature_names)}"
        )
    if not np.isfinite(rows).all():
        row, column = (int(i) for i in np.argwhere(~np.isfinite(rows))[0])
        raise InvalidInputError(
            f"row {row} has the value {rows[row, column]} for feature "
            f"{version.feature_names[column]!r}; every value must be a finite number"
        )
    # Finite but huge values can overflow inside the estimator, for example in
    # its scaling step; that is bad input, not a server error.
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            predicted = predict_time_to_failure(loaded.estimator, rows)
        except ValueError as error:
            raise InvalidInputError(
                f"model {version.model!r} version {version.number} cannot predict "
                f"these rows ({error}); send values of the magnitude it was trained on"
            ) from error
    if not np.isfinite(predicted).all():
        row = int(np.argwhere(~np.isfinite(predicted))[0][0])
        raise InvalidInputError(
            f"row {row} gives a non-finite time to failure because its values "
            f"overflow model {version.model!r} version {version.number}; send values "
            "of the magnitude it was trained on"
        )
    labels = (version.model, str(version.number))
    PREDICTIONS.labels(*labels).inc()
    PREDICTED_ROWS.labels(*labels).inc(len(rows))
    return Prediction(version, predicted)
