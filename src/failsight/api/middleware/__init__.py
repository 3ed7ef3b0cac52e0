"""ASGI middleware of the backend, one concern per module."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute

from failsight.api.middleware.body_size import BodySizeLimitMiddleware
from failsight.api.middleware.key_gate import KeyGateMiddleware
from failsight.api.middleware.metrics import MetricsMiddleware
from failsight.api.middleware.request_id import REQUEST_ID_HEADER, RequestIdMiddleware
from failsight.api.security import API_KEY_HEADER
from failsight.config import Settings


def install_middleware(
    app: FastAPI, settings: Settings, protected: Sequence[BaseRoute]
) -> None:
    """Add the middleware; the last added runs first, so request ids cover all.

    ``protected`` are the routes that need an API key when keys are configured.
    """
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(KeyGateMiddleware, settings=settings, protected=protected)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=[API_KEY_HEADER, REQUEST_ID_HEADER, "Content-Type"],
            expose_headers=[REQUEST_ID_HEADER, "Retry-After"],
        )
    app.add_middleware(MetricsMiddleware)
    app.add_middleware(RequestIdMiddleware)
