"""Open the registry for one process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from failsight.registry.artifacts import ArtifactStore
from failsight.registry.database import Database
from failsight.registry.store import Registry


@dataclass(frozen=True)
class RegistryConfig:
    """Settings a process needs to open the registry. They are small and picklable,
    so they can be sent to worker processes."""

    database_url: str
    artifact_dir: Path


def open_registry(config: RegistryConfig, migrate: bool = False) -> Registry:
    database = Database(config.database_url)
    if migrate:
        database.upgrade()
    return Registry(database, ArtifactStore(config.artifact_dir))
