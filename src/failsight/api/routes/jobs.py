"""Training job status."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from failsight.api.convert import job_out
from failsight.api.deps import RuntimeDep
from failsight.api.schemas import JobOut

router = APIRouter(tags=["training"])


@router.get("/jobs", response_model=list[JobOut])
def list_jobs(
    runtime: RuntimeDep,
    model: Annotated[str | None, Query(max_length=63)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[JobOut]:
    """List training jobs, newest first."""
    return [job_out(job) for job in runtime.registry.list_jobs(model, limit)]


@router.get("/jobs/{job_id}", response_model=JobOut)
def get_job(job_id: Annotated[str, Path(max_length=36)], runtime: RuntimeDep) -> JobOut:
    """Status of a training job: queued, running, succeeded or failed, with its stage."""
    return job_out(runtime.registry.get_job(job_id))
