"""Registry operations on models, versions and training jobs."""

from __future__ import annotations

import logging
import os
import socket
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from failsight.domain.errors import ConflictError, NotFoundError
from failsight.domain.records import (
    JobStatus,
    ModelSummary,
    ModelVersion,
    TrainingJob,
)
from failsight.registry.artifacts import TEMP_PREFIX, ArtifactStore
from failsight.registry.database import Database
from failsight.registry.processes import process_alive
from failsight.registry.records import job_record, version_record
from failsight.registry.tables import JobRow, ModelRow, VersionRow, utc_now

logger = logging.getLogger(__name__)

HOSTNAME = socket.gethostname()


class Registry:
    """Reads and writes the registry; each method is one transaction."""

    def __init__(self, database: Database, artifacts: ArtifactStore) -> None:
        self.database = database
        self.artifacts = artifacts

    # Models and versions

    def list_models(self) -> list[ModelSummary]:
        with self.database.session(write=False) as session:
            counts = (
                select(
                    VersionRow.model_name,
                    func.count().label("versions"),
                    func.max(VersionRow.number).label("latest"),
                )
                .group_by(VersionRow.model_name)
                .subquery()
            )
            rows = session.execute(
                select(ModelRow, counts.c.versions, counts.c.latest)
                .outerjoin(counts, counts.c.model_name == ModelRow.name)
                .order_by(ModelRow.name)
            ).all()
            return [
                ModelSummary(
                    name=model.name,
                    active_version=model.active_version,
                    version_count=versions or 0,
                    latest_version=latest,
                    updated_at=model.updated_at,
                )
                for model, versions, latest in rows
            ]

    def get_model(self, name: str) -> ModelSummary:
        with self.database.session(write=False) as session:
            model = self._model_row(session, name)
            versions, latest = session.execute(
                select(func.count(), func.max(VersionRow.number)).where(
                    VersionRow.model_name == name
                )
            ).one()
            return ModelSummary(
                name=model.name,
                active_version=model.active_version,
                version_count=versions,
                latest_version=latest,
                updated_at=model.updated_at,
            )

    def active_versions(self) -> dict[str, int]:
        """Map each model name to its active version number."""
        with self.database.session(write=False) as session:
            rows = session.execute(
                select(ModelRow.name, ModelRow.active_version).where(
                    ModelRow.active_version.is_not(None)
                )
            ).all()
            return {name: number for name, number in rows if number is not None}

    def list_versions(self, model: str) -> list[ModelVersion]:
        with self.database.session(write=False) as session:
            self._model_row(session, model)
            rows = session.scalars(
                select(VersionRow)
                .where(VersionRow.model_name == model)
                .order_by(VersionRow.number)
            ).all()
            return [version_record(row) for row in rows]

    def get_version(self, model: str, number: int) -> tuple[ModelVersion, str]:
        """Return a version and the relative path of its artifact."""
        with self.database.session(write=False) as session:
            row = self._version_row(session, model, number)
            return version_record(row), row.artifact_path

    def activate(self, model: str, number: int) -> ModelVersion:
        with self.database.session() as session:
            # The model row is locked first, so a concurrent deletion of this
            # version either finishes before the check below or waits for it.
            model_row = self._model_row(session, model, lock=True)
            version = self._version_row(session, model, number)
            previous = model_row.active_version
            model_row.active_version = number
            model_row.updated_at = utc_now()
            record = version_record(version)
        logger.info("activated model %s version %d (was %s)", model, number, previous)
        return record

    def delete_version(self, model: str, number: int) -> None:
        with self.database.session() as session:
            model_row = self._model_row(session, model, lock=True)
            version = self._version_row(session, model, number)
            if model_row.active_version == number:
                raise ConflictError(
                    f"version {number} of model {model!r} is active and cannot be "
                    "deleted; activate another version first"
                )
            artifact = version.artifact_path
            session.delete(version)
        # The row is gone first: a crash here leaves an unreferenced file, never a
        # version whose artifact is missing.
        self.artifacts.delete(artifact)
        logger.info("deleted model %s version %d", model, number)

    def add_version(
        self, version: dict[str, Any], artifact_path: str, job_id: str, activate: bool
    ) -> int:
        """Store a trained version and finish its job in one transaction.

        Returns the new version number.
        """
        model = version["model_name"]
        with self.database.session() as session:
            job = session.get(JobRow, job_id, with_for_update=True)
            if job is not None and JobStatus(job.status).finished:
                # A restart marked the job failed while this worker lived on;
                # its caller has already received the failure, so store nothing.
                raise ConflictError(
                    f"training job {job_id} is already {job.status}: {job.error}"
                )
            self._ensure_model(session, model)
            number = session.execute(
                update(ModelRow)
                .where(ModelRow.name == model)
                .values(last_version=ModelRow.last_version + 1, updated_at=utc_now())
                .returning(ModelRow.last_version)
            ).scalar_one()
            session.add(
                VersionRow(**version, number=number, artifact_path=artifact_path)
            )
            if activate:
                session.execute(
                    update(ModelRow)
                    .where(ModelRow.name == model)
                    .values(active_version=number)
                )
            if job is not None:
                job.status = JobStatus.SUCCEEDED
                job.stage = "done"
                job.version = number
                job.finished_at = utc_now()
        return int(number)

    def _ensure_model(self, session: Session, name: str) -> None:
        values = {
            "name": name,
            "last_version": 0,
            "created_at": utc_now(),
            "updated_at": utc_now(),
        }
        if self.database.kind == "postgresql":
            statement: Any = pg_insert(ModelRow).values(values).on_conflict_do_nothing()
        else:
            statement = sqlite_insert(ModelRow).values(values).on_conflict_do_nothing()
        session.execute(statement)

    def _model_row(self, session: Session, name: str, lock: bool = False) -> ModelRow:
        query = select(ModelRow).where(ModelRow.name == name)
        if lock:
            query = query.with_for_update()
        row = session.scalars(query).one_or_none()
        if row is None:
            raise NotFoundError(
                f"model {name!r} not found; train it first or list models"
            )
        return row

    def _version_row(self, session: Session, model: str, number: int) -> VersionRow:
        row = session.scalars(
            select(VersionRow).where(
                VersionRow.model_name == model, VersionRow.number == number
            )
        ).one_or_none()
        if row is None:
            self._model_row(session, model)
            raise NotFoundError(
                f"version {number} of model {model!r} not found; list its versions "
                f"at /models/{model}/versions"
            )
        return row

    # Training jobs

    def create_job(
        self,
        job_id: str,
        model: str,
        estimator: str,
        rows: int,
        units: int,
        activate: bool,
        created_by: str,
    ) -> TrainingJob:
        row = JobRow(
            id=job_id,
            model_name=model,
            status=JobStatus.QUEUED,
            stage="queued",
            estimator=estimator,
            rows=rows,
            units=units,
            activate=activate,
            host=HOSTNAME,
            owner_pid=os.getpid(),
            created_by=created_by,
            created_at=utc_now(),
        )
        with self.database.session() as session:
            session.add(row)
            session.flush()
            return job_record(row)

    def get_job(self, job_id: str) -> TrainingJob:
        with self.database.session(write=False) as session:
            row = session.get(JobRow, job_id)
            if row is None:
                raise NotFoundError(f"training job {job_id!r} not found")
            return job_record(row)

    def list_jobs(self, model: str | None = None, limit: int = 50) -> list[TrainingJob]:
        with self.database.session(write=False) as session:
            query = select(JobRow).order_by(JobRow.created_at.desc()).limit(limit)
            if model is not None:
                query = query.where(JobRow.model_name == model)
            return [job_record(row) for row in session.scalars(query)]

    def start_job(self, job_id: str, artifact_path: str) -> None:
        """Mark a job running in this process and record where its artifact will go,
        so that a restart can clean up after a crash."""
        with self.database.session() as session:
            row = self._job_row(session, job_id)
            row.status = JobStatus.RUNNING
            row.stage = "preparing"
            row.runner_pid = os.getpid()
            row.artifact_path = artifact_path
            row.started_at = utc_now()

    def set_stage(self, job_id: str, stage: str) -> None:
        with self.database.session() as session:
            self._job_row(session, job_id).stage = stage

    def fail_job(self, job_id: str, reason: str) -> None:
        """Mark a job failed unless it already finished, and delete any artifact
        it wrote that no version references."""
        with self.database.session() as session:
            row = self._job_row(session, job_id)
            if not JobStatus(row.status).finished:
                row.status = JobStatus.FAILED
                row.error = reason
                row.finished_at = utc_now()
            artifact = row.artifact_path
            referenced = artifact is not None and session.scalar(
                select(VersionRow.id).where(VersionRow.artifact_path == artifact)
            )
        if artifact is not None and not referenced:
            self.artifacts.delete(artifact)

    def recover_interrupted_jobs(self) -> list[str]:
        """Fail the unfinished jobs of this host whose processes are gone.

        A process that died mid-job leaves its job queued or running forever.
        This finds such jobs by pid, so a restart reports them failed and removes
        their partial artifacts.
        """
        with self.database.session() as session:
            rows = session.scalars(
                select(JobRow).where(
                    JobRow.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]),
                    JobRow.host == HOSTNAME,
                )
            ).all()
            dead = [
                row.id
                for row in rows
                if not process_alive(row.owner_pid, row.created_at)
                or (
                    row.runner_pid is not None
                    and not process_alive(row.runner_pid, row.started_at)
                )
            ]
        for job_id in dead:
            self.fail_job(
                job_id,
                "the process running this job stopped before it finished; submit it again",
            )
            logger.warning(
                "training job %s was interrupted and is now marked failed", job_id
            )
        return dead

    def remove_orphaned_artifacts(self) -> list[str]:
        """Delete artifact files that neither a version nor an unfinished job
        references, such as the file of a version deleted just before a crash.

        Unfinished jobs record their artifact path before writing it, so a job
        still writing in another process keeps its file.
        """
        with self.database.session(write=False) as session:
            # Jobs first: a job that finishes between the two reads has its
            # path in the versions by the time they are read.
            referenced = {
                path
                for path in session.scalars(
                    select(JobRow.artifact_path).where(
                        JobRow.status.in_([JobStatus.QUEUED, JobStatus.RUNNING])
                    )
                )
                if path is not None
            }
            referenced.update(session.scalars(select(VersionRow.artifact_path)))
        orphans = []
        for path in self.artifacts.stored_paths():
            stored = PurePosixPath(path)
            final = stored.with_name(stored.name.removeprefix(TEMP_PREFIX)).as_posix()
            if final not in referenced:
                self.artifacts.delete(final)
                orphans.append(path)
        if orphans:
            logger.warning("removed %d orphaned artifact files", len(orphans))
        return orphans

    def _job_row(self, session: Session, job_id: str) -> JobRow:
        row = session.get(JobRow, job_id)
        if row is None:
            raise NotFoundError(f"training job {job_id!r} not found")
        return row
