"""Health of the service."""

from fastapi import APIRouter

from failsight.api.schemas import HealthOut

router = APIRouter(tags=["health"])

HEALTHY = HealthOut(status="healthy", message="The API is running smoothly.")


@router.get("/", response_model=HealthOut, summary="Health (compatibility)")
@router.get("/health", response_model=HealthOut, summary="Health")
def health() -> HealthOut:
    return HEALTHY
