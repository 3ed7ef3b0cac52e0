"""Reject requests without a valid API key before their body is read.

The role checks run as route dependencies, and FastAPI parses a request's body
before it runs them. Without this gate, a client with no key could make the
server parse bodies up to the size limit.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

from failsight.api.security import (
    API_KEY_HEADER,
    CHALLENGE,
    INVALID_KEY_MESSAGE,
    MISSING_KEY_MESSAGE,
    find_key,
)
from failsight.config import Settings


class KeyGateMiddleware:
    """Gate that returns 401 for a protected route when no configured key is sent.

    It checks only that some configured key is present. Whether its role
    suffices is left to the route. It is inactive in open mode and when reads
    are public, since a request without a key may then be allowed.
    """

    def __init__(
        self, app: ASGIApp, settings: Settings, protected: Sequence[BaseRoute]
    ) -> None:
        self.app = app
        self.settings = settings
        self.protected = protected

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._lets_through(scope):
            await self.app(scope, receive, send)
            return
        presented = Headers(scope=scope).get(API_KEY_HEADER)
        if presented and find_key(self.settings.api_keys, presented) is not None:
            await self.app(scope, receive, send)
            return
        message = INVALID_KEY_MESSAGE if presented else MISSING_KEY_MESSAGE
        response = JSONResponse({"detail": message}, status_code=401, headers=CHALLENGE)
        await response(scope, receive, send)

    def _lets_through(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] == "OPTIONS":
            return True  # CORS preflight requests carry no key
        if not self.settings.api_keys or self.settings.public_reads:
            return True
        return all(route.matches(scope)[0] == Match.NONE for route in self.protected)
