"""Settings with API keys, for tests of access control and of protected routes."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from failsight.config import ApiKey, Settings

READ_KEY = "read-key-0123456789abcdef"
WRITE_KEY = "write-key-0123456789abcdef"
READ = {"X-API-Key": READ_KEY}
WRITE = {"X-API-Key": WRITE_KEY}


def with_keys(settings: Settings, **overrides: Any) -> Settings:
    """Copy settings with a read key named viewer and a write key named ops."""
    keys = [
        ApiKey(name="viewer", key=SecretStr(READ_KEY), role="read"),
        ApiKey(name="ops", key=SecretStr(WRITE_KEY), role="write"),
    ]
    return settings.model_copy(update={"api_keys": keys, **overrides})
