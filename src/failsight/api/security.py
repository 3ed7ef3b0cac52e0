"""API keys with a read or write role, checked on every route that needs one."""

from __future__ import annotations

import hmac
import logging
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import APIKeyHeader

from failsight.config import ApiKey, Role, Settings

logger = logging.getLogger(__name__)

API_KEY_HEADER = "X-API-Key"
ROLES_GRANTED: dict[Role, frozenset[Role]] = {
    "read": frozenset({"read"}),
    "write": frozenset({"read", "write"}),
}

api_key_header = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    description="An API key from the backend's FAILSIGHT_API_KEYS setting.",
)


class MissingApiKeysError(RuntimeError):
    """FAILSIGHT_REQUIRE_API_KEYS is set but no API key is configured."""


def check_key_settings(settings: Settings) -> None:
    """Fail at start-up when keys are required but none is set; warn in open mode."""
    if settings.api_keys:
        logger.info(
            "API keys configured: %s",
            ", ".join(f"{key.name} ({key.role})" for key in settings.api_keys),
        )
        return
    if settings.require_api_keys:
        raise MissingApiKeysError(
            "FAILSIGHT_REQUIRE_API_KEYS is set but FAILSIGHT_API_KEYS is empty; "
            'configure keys such as [{"name": "ops", "key": "<secret>", "role": "write"}]'
        )
    logger.warning(
        "no API key configured: open local mode, anyone who reaches this backend "
        "can train, activate and delete models; set FAILSIGHT_API_KEYS before "
        "exposing it on a network"
    )


def find_key(keys: list[ApiKey], presented: str) -> ApiKey | None:
    """Return the configured key equal to the presented one.

    Every key is compared, each in constant time, so the response time does not
    reveal which key or how much of it matched.
    """
    found: ApiKey | None = None
    candidate = presented.encode()
    for key in keys:
        if hmac.compare_digest(candidate, key.key.get_secret_value().encode()):
            found = key
    return found


CHALLENGE = {"WWW-Authenticate": f'ApiKey header="{API_KEY_HEADER}"'}
"""Sent with every 401, since HTTP requires a 401 to name the scheme it expects."""
MISSING_KEY_MESSAGE = (
    f"missing API key; send a key in the {API_KEY_HEADER} header: a read key for "
    "reads and predictions, a write key for training, activation and deletion"
)
INVALID_KEY_MESSAGE = (
    f"invalid API key in the {API_KEY_HEADER} header; send a configured key"
)


def _authorize(request: Request, presented: str | None, role: Role) -> None:
    settings: Settings = request.app.state.settings
    if not settings.api_keys:
        return
    if role == "read" and settings.public_reads and not presented:
        return
    if not presented:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, MISSING_KEY_MESSAGE, headers=CHALLENGE
        )
    key = find_key(settings.api_keys, presented)
    if key is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, INVALID_KEY_MESSAGE, headers=CHALLENGE
        )
    request.state.api_key_name = key.name
    if role not in ROLES_GRANTED[key.role]:
        logger.warning(
            "API key %s (%s) was rejected for %s %s, which needs a %s key",
            key.name,
            key.role,
            request.method,
            request.url.path,
            role,
        )
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"API key {key.name!r} has the {key.role} role; "
            f"this request needs a {role} key",
        )


def require_read(
    request: Request, presented: Annotated[str | None, Depends(api_key_header)]
) -> None:
    _authorize(request, presented, "read")


def require_write(
    request: Request, presented: Annotated[str | None, Depends(api_key_header)]
) -> None:
    _authorize(request, presented, "write")


ReadAccess = Depends(require_read)
WriteAccess = Depends(require_write)
