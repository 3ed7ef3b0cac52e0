"""Dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from failsight.domain.records import MAX_VERSION
from failsight.services.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ModelName = Annotated[
    str,
    Path(
        min_length=1,
        max_length=63,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="Model name: lowercase letters, digits, '-' and '_'.",
    ),
]
VersionNumber = Annotated[
    int, Path(ge=1, le=MAX_VERSION, description="Version number.")
]


def get_caller(request: Request) -> str:
    """Name who sent the request, for the versions it creates: the API key's
    name, or plain "api" in open local mode."""
    key_name = getattr(request.state, "api_key_name", None)
    return f"api key {key_name}" if key_name else "api"


CallerDep = Annotated[str, Depends(get_caller)]
