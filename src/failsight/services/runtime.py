"""The services of one serving process, opened at start-up and closed at shutdown."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from failsight.config import Settings
from failsight.registry.store import Registry
from failsight.services.context import RegistryConfig, open_registry
from failsight.services.prediction import ModelCache
from failsight.services.training import TrainingService

logger = logging.getLogger(__name__)


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.config = RegistryConfig(
            database_url=settings.resolved_database_url,
            artifact_dir=settings.artifact_dir.resolve(),
        )
        self.registry: Registry = open_registry(self.config, migrate=True)
        self.cache = ModelCache(self.registry)
        self.training = TrainingService(
            self.registry,
            self.config,
            workers=settings.workers,
            job_timeout=settings.job_timeout_seconds,
            max_queued=settings.max_queued_jobs,
            on_version=lambda _model: self._refresh_quietly(),
            log_level=settings.log_level,
            log_format=settings.log_format,
        )
        self._poller: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Recover from a previous crash and load every active model."""
        self.registry.recover_interrupted_jobs()
        self.registry.remove_orphaned_artifacts()
        self.cache.refresh()
        logger.info(
            "registry open on %s with %d active models",
            self.registry.database.kind,
            len(self.cache.active()),
        )

    def start_polling(self) -> None:
        self._poller = asyncio.create_task(self._poll(), name="registry-poll")

    async def close(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with suppress(asyncio.CancelledError):
                await self._poller
        await asyncio.to_thread(self.training.close)
        self.registry.database.dispose()

    async def _poll(self) -> None:
        # Picks up activations made by other processes or hosts.
        while True:
            await asyncio.sleep(self.settings.refresh_seconds)
            await asyncio.to_thread(self._refresh_quietly)

    def _refresh_quietly(self) -> None:
        try:
            self.cache.refresh()
        except Exception:
            logger.exception("could not refresh the active models from the registry")
