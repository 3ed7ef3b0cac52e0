"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from failsight import __version__
from failsight.api.errors import ERROR_RESPONSES, install_error_handlers
from failsight.api.middleware import install_middleware
from failsight.api.routes import (
    compat,
    health,
    info,
    jobs,
    metrics,
    models,
    predictions,
    probes,
    training,
)
from failsight.api.security import ReadAccess, check_key_settings
from failsight.config import Settings, get_settings
from failsight.services.runtime import Runtime

logger = logging.getLogger(__name__)

DESCRIPTION = """
Train time-to-failure models on run-to-failure histories and serve their
predictions. Predicted times to failure are never negative: they are clipped at 0.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    check_key_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime(settings)
        runtime.start()
        runtime.start_polling()
        app.state.runtime = runtime
        logger.info("backend started, registry on %s", runtime.registry.database.kind)
        try:
            yield
        finally:
            await runtime.close()
            logger.info("backend stopped")

    # The docs pages load Swagger UI and ReDoc from files shipped with the
    # package, so /docs works on a machine without internet access.
    app = FastAPIOffline(
        title="Failsight",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    for module in (health, probes, metrics, info):
        app.include_router(module.router)
    public = list(app.routes)
    # Each write route adds WriteAccess on top of the read check.
    for module in (compat, models, training, jobs, predictions):
        app.include_router(
            module.router, dependencies=[ReadAccess], responses=ERROR_RESPONSES
        )
    protected = [route for route in app.routes if route not in public]
    install_middleware(app, settings, protected)
    return app
