"""The one place that maps domain exceptions to HTTP responses."""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from failsight.api.schemas import ErrorOut
from failsight.domain.errors import (
    ArtifactError,
    BadRequestError,
    BusyError,
    ConflictError,
    FailsightError,
    InvalidInputError,
    NotFoundError,
)

logger = logging.getLogger(__name__)

MAX_ECHOED_INPUT = 200
"""Characters of an invalid value repeated back in a validation error."""

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": description}
    for code, description in {
        400: "Malformed request.",
        401: "Missing or invalid API key.",
        403: "The API key lacks the role this request needs.",
        404: "Model, version or job not found.",
        409: "Conflicts with the registry's state.",
        413: "Request body larger than the limit.",
        422: "Invalid input; the detail names the field, the value and the fix.",
        429: "Too many training jobs queued; retry after Retry-After seconds.",
        503: "A stored model artifact is unusable.",
    }.items()
}
"""Error responses documented in the OpenAPI schema of the protected routes."""

STATUS_BY_ERROR: dict[type[FailsightError], int] = {
    InvalidInputError: status.HTTP_422_UNPROCESSABLE_CONTENT,
    BadRequestError: status.HTTP_400_BAD_REQUEST,
    NotFoundError: status.HTTP_404_NOT_FOUND,
    ConflictError: status.HTTP_409_CONFLICT,
    ArtifactError: status.HTTP_503_SERVICE_UNAVAILABLE,
    BusyError: status.HTTP_429_TOO_MANY_REQUESTS,
}


def status_for(error: FailsightError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[kind]
    return status.HTTP_400_BAD_REQUEST


async def _domain_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, FailsightError)
    code = status_for(error)
    if code >= 500:
        logger.error(
            "%s %s failed: %s", request.method, request.url.path, error.message
        )
    headers = None
    if isinstance(error, BusyError):
        headers = {"Retry-After": str(error.retry_after_seconds)}
    return JSONResponse({"detail": error.message}, status_code=code, headers=headers)


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    logger.exception("%s %s failed unexpectedly", request.method, request.url.path)
    return JSONResponse(
        {"detail": "internal server error; the server log has the details"},
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def _echo(value: Any) -> Any:
    """Make an invalid input safe to send back: JSON has no NaN or Infinity,
    and a huge value must not be echoed whole."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        if isinstance(value, str) and len(value) > MAX_ECHOED_INPUT:
            return value[:MAX_ECHOED_INPUT] + "..."
        return value
    shown = repr(value)
    return shown if len(shown) <= MAX_ECHOED_INPUT else shown[:MAX_ECHOED_INPUT] + "..."


def _message(item: Any, request: Request) -> str:
    """Replace pydantic's wording for a body that is not JSON with what to send."""
    if item["type"] == "json_invalid":
        reason = item.get("ctx", {}).get("error", "invalid JSON")
        return (
            f"request body is not valid JSON ({reason}, at character "
            f"{item['loc'][-1]}); "
            "send a complete JSON document"
        )
    if list(item["loc"]) == ["body"] and isinstance(item.get("input"), bytes):
        content_type = request.headers.get("content-type", "none")
        return (
            f"request body was sent as Content-Type {content_type!r} and not read "
            "as JSON; send it with Content-Type: application/json"
        )
    return str(item["msg"])


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    details = [
        {
            "type": item["type"],
            "loc": list(item["loc"]),
            "msg": _message(item, request),
            "input": _echo(item.get("input")),
        }
        for item in error.errors()
    ]
    return JSONResponse(
        {"detail": jsonable_encoder(details)},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(FailsightError, _domain_error)
    app.add_exception_handler(Exception, _unexpected_error)
