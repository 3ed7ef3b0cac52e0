"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Response, status

from failsight.api.deps import RuntimeDep
from failsight.api.schemas import LiveOut, ModelReadinessOut, ReadyOut
from failsight.services.runtime import Runtime

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/health", tags=["health"])

DATABASE_TIMEOUT_SECONDS = 2.0
"""How long readiness waits for the registry database before it reports degraded."""


@router.get("/live", response_model=LiveOut)
def live() -> LiveOut:
    """Report liveness: the process handles HTTP. It touches nothing else."""
    return LiveOut(status="alive")


@router.get(
    "/ready",
    response_model=ReadyOut,
    responses={503: {"model": ReadyOut, "description": "Degraded; see the checks."}},
)
async def ready(runtime: RuntimeDep, response: Response) -> ReadyOut:
    """Report readiness: the registry database responds and every active model
    is loaded. Returns 200 with status ready, or 503 with status degraded and
    the checks that failed."""
    try:
        active = await asyncio.wait_for(
            asyncio.to_thread(runtime.registry.active_versions),
            DATABASE_TIMEOUT_SECONDS,
        )
    except Exception as error:
        reason = (
            f"no answer within {DATABASE_TIMEOUT_SECONDS:g} s"
            if isinstance(error, TimeoutError)
            else f"{type(error).__name__}: {error}"
        )
        logger.warning("readiness: registry database unreachable: %s", reason)
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return ReadyOut(status="degraded", database=f"unreachable: {reason}", models=[])
    models = _model_readiness(runtime, active)
    degraded = any(not model.loaded for model in models)
    if degraded:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return ReadyOut(
        status="degraded" if degraded else "ready", database="ok", models=models
    )


def _model_readiness(
    runtime: Runtime, active: dict[str, int]
) -> list[ModelReadinessOut]:
    loaded = runtime.cache.active()
    unusable = runtime.cache.unusable()
    models = []
    for model, number in sorted(active.items()):
        serving = loaded.get(model)
        is_loaded = serving is not None and serving.number == number
        error = unusable.get((model, number))
        if not is_loaded and error is None:
            error = (
                "not loaded yet; activations are picked up within the refresh interval"
            )
        models.append(
            ModelReadinessOut(
                model=model, version=number, loaded=is_loaded, error=error
            )
        )
    return models
