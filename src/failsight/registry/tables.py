"""ORM tables of the registry. Schema changes go through Alembic migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utc_now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware, since
    SQLite drops the offset."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Any
    ) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(
        self, value: datetime | None, dialect: Any
    ) -> datetime | None:
        if value is None:
            return None
        return (
            value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        )


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class ModelRow(Base):
    __tablename__ = "models"

    name: Mapped[str] = mapped_column(String(63), primary_key=True)
    active_version: Mapped[int | None]
    last_version: Mapped[int] = mapped_column(Integer, default=0)
    """Highest number ever given, so a deleted version's number is never reused."""
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class VersionRow(Base):
    __tablename__ = "model_versions"
    __table_args__ = (UniqueConstraint("model_name", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    model_name: Mapped[str] = mapped_column(
        String(63), ForeignKey("models.name", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    estimator: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]]
    feature_names: Mapped[list[str]]
    dropped_features: Mapped[list[str]]
    unit_column: Mapped[str | None] = mapped_column(String(256))
    age_column: Mapped[str | None] = mapped_column(String(256))
    target: Mapped[dict[str, Any]]
    counts: Mapped[dict[str, Any]]
    metrics: Mapped[dict[str, Any]]
    evaluation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    refitted: Mapped[bool]
    seed: Mapped[int]
    test_fraction: Mapped[float]
    data_sha256: Mapped[str] = mapped_column(String(64))
    artifact_path: Mapped[str] = mapped_column(String(512))
    artifact_sha256: Mapped[str] = mapped_column(String(64))
    artifact_bytes: Mapped[int]
    library_versions: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by: Mapped[str] = mapped_column(String(256))
    job_id: Mapped[str | None] = mapped_column(String(36))


class JobRow(Base):
    __tablename__ = "training_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    model_name: Mapped[str] = mapped_column(String(63), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    stage: Mapped[str] = mapped_column(String(32))
    estimator: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int]
    units: Mapped[int]
    activate: Mapped[bool]
    version: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str] = mapped_column(String(256))
    """Host of the process that owns the job. With the pids below, it lets a
    restarted server tell a live job from one whose process died."""
    owner_pid: Mapped[int]
    runner_pid: Mapped[int | None]
    artifact_path: Mapped[str | None] = mapped_column(String(512))
    created_by: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
