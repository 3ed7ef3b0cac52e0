"""Failsight: train and serve time-to-failure models."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("failsight")
except PackageNotFoundError:  # pragma: no cover - only when run from a bare source tree
    __version__ = "0.0.0"
