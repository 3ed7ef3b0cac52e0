"""Logging set-up, done once at the entry point."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format=FORMAT, force=True)
    # Third-party loggers at INFO are noisy and say nothing about our state.
    for noisy in ("alembic", "httpx", "watchfiles"):
        logging.getLogger(noisy).setLevel(
            max(logging.WARNING, logging.getLevelName(level))
        )
