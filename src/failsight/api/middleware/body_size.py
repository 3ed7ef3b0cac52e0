"""Reject request bodies larger than a limit with 413, before they are parsed."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def too_large_message(limit: int) -> str:
    return (
        f"request body is larger than the limit of {limit} bytes "
        f"({limit / 1024 / 1024:g} MiB); send less data per request or raise "
        "FAILSIGHT_MAX_BODY_BYTES"
    )


class BodySizeLimitMiddleware:
    """Checks Content-Length up front and counts the bytes of chunked bodies."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
            response = JSONResponse(
                {"detail": too_large_message(self.max_body_bytes)}, status_code=413
            )
            await response(scope, receive, send)
            return
        await self.app(scope, self._counting(receive), send)

    def _counting(self, receive: Receive) -> Receive:
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    # Raised inside the route's body parsing, so FastAPI's
                    # exception handling turns it into the 413 response.
                    raise HTTPException(413, too_large_message(self.max_body_bytes))
            return message

        return counted
