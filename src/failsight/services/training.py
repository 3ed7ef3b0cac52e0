"""Queue training jobs and run them in a pool of worker processes."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from pebble import ProcessExpired, ProcessPool

from failsight.domain.errors import BusyError, InvalidInputError
from failsight.domain.records import TrainingJob, check_model_name
from failsight.logs import configure_logging
from failsight.metrics import QUEUE_DEPTH, TRAINING_JOBS, TRAINING_SECONDS
from failsight.ml.datasets import Dataset, DatasetSpec, build_dataset
from failsight.ml.estimators import validate_params
from failsight.ml.training import DEFAULT_SEED, DEFAULT_TEST_FRACTION, split_by_unit
from failsight.registry.store import Registry
from failsight.services.context import RegistryConfig
from failsight.services.worker import TrainingRequest, run_training_job

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
"""Retry-After sent when the queue is full."""


@dataclass(frozen=True)
class TrainingOptions:
    """Everything a caller chooses about a training run, besides the data."""

    model: str
    spec: DatasetSpec = field(default_factory=DatasetSpec)
    estimator: str = "hist_gradient_boosting"
    params: dict[str, Any] = field(default_factory=dict)
    seed: int = DEFAULT_SEED
    test_fraction: float = DEFAULT_TEST_FRACTION
    refit: bool = True
    activate: bool = True
    created_by: str = "api"


@dataclass(frozen=True)
class PreparedTraining:
    dataset: Dataset
    request: TrainingRequest


def prepare(frame: pd.DataFrame, options: TrainingOptions) -> PreparedTraining:
    """Validate options and data before a job exists, so bad input is rejected
    at once and stores nothing."""
    check_model_name(options.model)
    params = validate_params(options.estimator, options.params)
    if not 0 < options.test_fraction < 1:
        raise InvalidInputError(
            f"testFraction is {options.test_fraction}; give a fraction between 0 and 1, "
            "such as 0.2"
        )
    dataset = build_dataset(frame, options.spec)
    split_by_unit(
        dataset, options.test_fraction, options.seed
    )  # rejects data too small to score
    request = TrainingRequest(
        model=options.model,
        estimator=options.estimator,
        params=params,
        seed=options.seed,
        test_fraction=options.test_fraction,
        refit=options.refit,
        activate=options.activate,
        created_by=options.created_by,
    )
    return PreparedTraining(dataset, request)


class TrainingService:
    """Submits training jobs to a pool of worker processes.

    ``on_version`` is called, from a pool thread, with the model name after a
    job stored a version, so serving can swap to it without waiting for the
    next registry poll.
    """

    def __init__(
        self,
        registry: Registry,
        config: RegistryConfig,
        workers: int,
        job_timeout: float | None,
        max_queued: int | None = None,
        on_version: Callable[[str], None] = lambda _model: None,
        log_level: str = "INFO",
        log_format: str = "text",
    ) -> None:
        self.registry = registry
        self.config = config
        self.job_timeout = job_timeout
        self.max_queued = max_queued
        self.on_version = on_version
        # Workers come from a fork server, not from this process: a plain fork
        # would copy the server's threads and open database connections.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["failsight.services.worker"])
        self._pool = ProcessPool(
            max_workers=workers,
            context=context,
            initializer=configure_logging,
            initargs=(log_level, log_format),
        )
        self._futures: dict[str, Future[int | None]] = {}
        # Held from the capacity check until the job is scheduled, so that
        # concurrent submissions cannot overrun max_queued.
        self._submitting = threading.Lock()
        self._closing = False

    def check_capacity(self) -> None:
        """Raise BusyError when max_queued jobs are already queued or running."""
        pending = self.queued_count()
        if self.max_queued is not None and pending >= self.max_queued:
            # NOTE: a fixed hint; the time until a worker frees up is not estimated.
            raise BusyError(
                f"{pending} training jobs are already queued or running, the limit "
                f"of this server; retry in {RETRY_AFTER_SECONDS} seconds",
                retry_after_seconds=RETRY_AFTER_SECONDS,
            )

    def submit(self, prepared: PreparedTraining) -> TrainingJob:
        """Record a queued job and schedule it; this blocks on the database, so
        async callers run it in a thread."""
        with self._submitting:
            return self._submit(prepared)

    def _submit(self, prepared: PreparedTraining) -> TrainingJob:
        request, dataset = prepared.request, prepared.dataset
        self.check_capacity()
        job = self.registry.create_job(
            job_id=str(uuid.uuid4()),
            model=request.model,
            estimator=request.estimator,
            rows=dataset.rows,
            units=dataset.unit_count,
            activate=request.activate,
            created_by=request.created_by,
        )
        future: Future[int | None] = self._pool.schedule(
            run_training_job,
            args=(self.config, job.id, dataset, request),
            timeout=self.job_timeout,
        )
        self._futures[job.id] = future
        QUEUE_DEPTH.set(self.queued_count())
        submitted = time.monotonic()
        future.add_done_callback(
            lambda done: self._finished(job.id, request.model, done, submitted)
        )
        logger.info(
            "queued training job %s for model %s: %s on %d rows of %d units",
            job.id,
            request.model,
            request.estimator,
            dataset.rows,
            dataset.unit_count,
        )
        return job

    async def wait(self, job_id: str) -> TrainingJob:
        """Wait until a job submitted by this process ends, then return its state."""
        future = self._futures.get(job_id)
        if future is not None:
            # The done callback, registered first, has recorded any failure on
            # the job by the time this wakes up.
            with suppress(Exception):
                await asyncio.wrap_future(future)
        return await asyncio.to_thread(self.registry.get_job, job_id)

    def queued_count(self) -> int:
        # A copy, because done callbacks remove entries from other threads.
        futures = list(self._futures.values())
        return sum(1 for future in futures if not future.done())

    def close(self) -> None:
        self._closing = True
        self._pool.stop()  # type: ignore[no-untyped-call]  # pebble has no type hints
        self._pool.join(timeout=10)

    def _finished(
        self, job_id: str, model: str, future: Future[int | None], submitted: float
    ) -> None:
        self._futures.pop(job_id, None)
        reason = _process_failure(future, self.job_timeout)
        _record_outcome(future, reason, time.monotonic() - submitted)
        QUEUE_DEPTH.set(self.queued_count())
        if reason is not None and self._closing:
            reason = "the server shut down before the job finished; submit it again"
        if reason is not None:
            logger.error("training job %s failed: %s", job_id, reason)
            try:
                self.registry.fail_job(job_id, reason)
            except Exception:
                logger.exception("could not mark training job %s failed", job_id)
            return
        if future.result() is not None:
            self.on_version(model)


def _record_outcome(
    future: Future[int | None], reason: str | None, seconds: float
) -> None:
    if future.cancelled():
        outcome = "failed"
    elif isinstance(future.exception(), FutureTimeout):
        outcome = "timed_out"
    elif reason is None and future.result() is not None:
        outcome = "succeeded"
    else:
        outcome = "failed"
    TRAINING_JOBS.labels(outcome).inc()
    TRAINING_SECONDS.labels(outcome).observe(seconds)


def _process_failure(future: Future[int | None], timeout: float | None) -> str | None:
    """Describe why a job's worker process failed, or return None if it finished."""
    try:
        future.result()
    except FutureTimeout:
        return f"training timed out after {timeout:g} seconds; reduce the data or the estimator size"
    except CancelledError:
        return "training was cancelled because the server shut down"
    except ProcessExpired as error:
        return f"the training worker process died (exit code {error.exitcode}); submit the job again"
    except Exception as error:
        return f"training failed: {type(error).__name__}: {error}"
    return None
