"""Settings read from the environment (prefix ``FAILSIGHT_``) and an optional ``.env``."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


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
