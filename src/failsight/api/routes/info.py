"""Version and storage of the running backend, for the web UI's health page."""

from fastapi import APIRouter

from failsight import __version__
from failsight.api.deps import RuntimeDep
from failsight.api.schemas import CamelModel

router = APIRouter(tags=["health"])


class InfoOut(CamelModel):
    version: str
    database_kind: str


@router.get("/info", response_model=InfoOut)
def info(runtime: RuntimeDep) -> InfoOut:
    """Return the backend's package version and its registry's database kind
    (sqlite or postgresql); never the database URL, which may hold a password."""
    return InfoOut(version=__version__, database_kind=runtime.registry.database.kind)
