"""Prometheus metrics in the text exposition format."""

from fastapi import APIRouter, Response

from failsight.metrics import exposition

router = APIRouter(tags=["health"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Metrics."}},
)
def metrics() -> Response:
    """Prometheus metrics: requests, predictions, training jobs, active versions."""
    body, media_type = exposition()
    return Response(body, media_type=media_type)
