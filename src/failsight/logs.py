"""Logging set-up, done once at the entry point, and the ids every line carries."""

from __future__ import annotations

import json
import logging
import logging.config
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(context)s: %(message)s"

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
"""Id of the HTTP request being handled, set by the request id middleware."""
job_id: ContextVar[str | None] = ContextVar("job_id", default=None)
"""Id of the training job being run, set in worker processes."""


class ContextFilter(logging.Filter):
    """Copies the current request and job ids onto each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        current_request, current_job = request_id.get(), job_id.get()
        record.request_id = current_request
        record.job_id = current_job
        parts = []
        if current_request:
            parts.append(f"request {current_request}")
        if current_job:
            parts.append(f"job {current_job}")
        record.context = f" [{', '.join(parts)}]" if parts else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request and job ids as fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field, key in (("request_id", "requestId"), ("job_id", "jobId")):
            value = getattr(record, field, None)
            if value:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def logging_config(level: str, log_format: str = "text") -> dict[str, Any]:
    """Build a logging.config.dictConfig mapping; uvicorn applies the same one in
    each of its server processes."""
    quiet = logging.getLevelName(max(logging.WARNING, logging.getLevelName(level)))
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": ContextFilter}},
        "formatters": {
            "text": {"format": TEXT_FORMAT},
            "json": {"()": JsonFormatter},
        },
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": "json" if log_format == "json" else "text",
            }
        },
        "root": {"level": level, "handlers": ["default"]},
        "loggers": {
            # The request id middleware logs each request, with its id.
            "uvicorn.access": {"level": "WARNING"},
            # Third-party loggers at INFO are noisy and report nothing about our state.
            **{name: {"level": quiet} for name in ("alembic", "httpx", "watchfiles")},
        },
    }


def configure_logging(level: str, log_format: str = "text") -> None:
    logging.config.dictConfig(logging_config(level, log_format))
