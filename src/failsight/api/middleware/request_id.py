"""Give each request an id, echo it in X-Request-ID, and log one line per request."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from failsight import logs

logger = logging.getLogger("failsight.access")

REQUEST_ID_HEADER = "X-Request-ID"
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
"""A caller's id is kept only if it matches, so it cannot forge log lines."""


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = Headers(scope=scope).get(REQUEST_ID_HEADER)
        valid = received is not None and VALID_REQUEST_ID.match(received)
        current = received if valid and received else uuid.uuid4().hex
        token = logs.request_id.set(current)
        started = time.perf_counter()
        status_code = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = current
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # The id stays set, so the server error handler outside this
            # middleware logs the traceback with it.
            status_code = 500
            self._log(scope, status_code, started)
            raise
        self._log(scope, status_code, started)
        logs.request_id.reset(token)

    @staticmethod
    def _log(scope: Scope, status_code: int, started: float) -> None:
        key_name = scope.get("state", {}).get("api_key_name")
        logger.info(
            "%s %s %d in %.1f ms%s",
            scope["method"],
            scope["path"],
            status_code,
            (time.perf_counter() - started) * 1000,
            f" by key {key_name}" if key_name else "",
        )
