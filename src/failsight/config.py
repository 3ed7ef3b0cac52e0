"""Settings read from the environment (prefix ``FAILSIGHT_``) and an optional ``.env``."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
LogFormat = Literal["text", "json"]
Role = Literal["read", "write"]

MIN_KEY_LENGTH = 16
MiB = 1024 * 1024


class ApiKey(BaseModel):
    """One API key: a name that logs may show, the secret, and its role."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    key: SecretStr = Field(min_length=MIN_KEY_LENGTH)
    role: Role


class Settings(BaseSettings):
    """Everything an operator can configure; every field has an embedded default."""

    model_config = SettingsConfigDict(
        env_prefix="FAILSIGHT_", env_file=".env", extra="ignore"
    )

    data_dir: Path = Field(
        default=Path("data"),
        description="Directory for the SQLite registry and the model artifacts.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the registry; a SQLite file in data_dir if unset.",
    )
    host: str = Field(default="127.0.0.1", description="Address the backend binds to.")
    api_port: int = Field(default=8000, ge=1, le=65535, description="Backend port.")
    ui_port: int = Field(default=8501, ge=1, le=65535, description="Web UI port.")
    api_url: str | None = Field(
        default=None,
        description="URL the UI and CLI use to reach the backend; built from host "
        "and api_port if unset.",
    )
    log_level: LogLevel = "INFO"
    workers: int = Field(
        default=max(1, min(2, os.cpu_count() or 1)),
        ge=1,
        le=64,
        description="Training worker processes per backend process.",
    )
    job_timeout_seconds: float = Field(
        default=3600,
        gt=0,
        description="Seconds a training job may run before its worker is stopped.",
    )
    refresh_seconds: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="How often a serving process checks the registry for activations.",
    )

    log_format: LogFormat = Field(
        default="text",
        description="text: readable lines for a terminal; json: one JSON object per line.",
    )
    api_keys: list[ApiKey] = Field(
        default_factory=list,
        description='API keys as JSON, e.g. [{"name": "ops", "key": "...", "role": "write"}]. '
        "Without any key the backend runs in open local mode.",
    )
    require_api_keys: bool = Field(
        default=False,
        description="Refuse to start when no API key is configured, instead of "
        "running in open local mode.",
    )
    public_reads: bool = Field(
        default=False,
        description="Serve reads and predictions without a key; writes still need "
        "a write key.",
    )
    ui_api_key: SecretStr | None = Field(
        default=None, description="API key the web UI sends to the backend."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Browser origins allowed to call the backend, e.g. the UI's "
        '["http://localhost:8501"]; none if empty.',
    )
    max_body_bytes: int = Field(
        default=32 * MiB,
        ge=1024,
        description="Largest request body in bytes; larger ones get 413.",
    )
    max_rows: int = Field(
        default=200_000,
        ge=1,
        description="Maximum rows in one training or prediction request; more get 422.",
    )
    max_features: int = Field(
        default=500,
        ge=1,
        description="Maximum columns, or values per row, in one request; more get 422.",
    )
    max_queued_jobs: int = Field(
        default=8,
        ge=1,
        description="Maximum training jobs queued or running in one backend process; "
        "more get 429.",
    )

    @field_validator("api_keys")
    @classmethod
    def _distinct_keys(cls, keys: list[ApiKey]) -> list[ApiKey]:
        names = [key.name for key in keys]
        if len(set(names)) != len(names):
            raise ValueError("api_keys repeats a name; give each key its own name")
        secrets = [key.key.get_secret_value() for key in keys]
        if len(set(secrets)) != len(secrets):
            raise ValueError("api_keys repeats a key; give each name its own key")
        return keys

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'failsight.db').resolve()}"

    @property
    def artifact_dir(self) -> Path:
        return self.data_dir / "artifacts"

    @property
    def resolved_api_url(self) -> str:
        if self.api_url:
            return self.api_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.api_port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
