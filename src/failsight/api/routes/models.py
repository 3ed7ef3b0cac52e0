"""Models and their versions: list, show, activate (roll back) and delete."""

from fastapi import APIRouter, status

from failsight.api.convert import model_out, version_out
from failsight.api.deps import ModelName, RuntimeDep, VersionNumber
from failsight.api.schemas import EstimatorOut, EvaluationOut, ModelOut, VersionOut
from failsight.api.security import WriteAccess
from failsight.ml.estimators import DEFAULT_ESTIMATOR, ESTIMATORS

router = APIRouter(tags=["models"])


@router.get("/estimators", response_model=list[EstimatorOut])
def list_estimators() -> list[EstimatorOut]:
    """List the estimators that can be trained, with their parameter schemas."""
    return [
        EstimatorOut(
            name=kind.name,
            title=kind.title,
            default=kind.name == DEFAULT_ESTIMATOR,
            params=kind.params.model_json_schema(),
        )
        for kind in ESTIMATORS.values()
    ]


@router.get("/models", response_model=list[ModelOut])
def list_models(runtime: RuntimeDep) -> list[ModelOut]:
    return [model_out(summary) for summary in runtime.registry.list_models()]


@router.get("/models/{name}", response_model=ModelOut)
def get_model(name: ModelName, runtime: RuntimeDep) -> ModelOut:
    return model_out(runtime.registry.get_model(name))


@router.get("/models/{name}/versions", response_model=list[VersionOut])
def list_versions(name: ModelName, runtime: RuntimeDep) -> list[VersionOut]:
    versions = runtime.registry.list_versions(name)
    active = runtime.registry.get_model(name).active_version
    return [
        version_out(version, active, runtime.cache.usability(name, version.number))
        for version in versions
    ]


@router.get("/models/{name}/versions/{number}", response_model=VersionOut)
def get_version(
    name: ModelName, number: VersionNumber, runtime: RuntimeDep
) -> VersionOut:
    """Show a version; its artifact is loaded and checked if this process has
    not tried yet, so ``usable`` is never null here."""
    version, _ = runtime.registry.get_version(name, number)
    active = runtime.registry.get_model(name).active_version
    return version_out(version, active, runtime.cache.check(name, number))


@router.get("/models/{name}/versions/{number}/evaluation", response_model=EvaluationOut)
def get_evaluation(
    name: ModelName, number: VersionNumber, runtime: RuntimeDep
) -> EvaluationOut:
    """Held-out predictions and feature importance of a version, for plots."""
    version, _ = runtime.registry.get_version(name, number)
    evaluation = version.evaluation
    return EvaluationOut(
        model=name,
        number=number,
        true=evaluation.true if evaluation else [],
        predicted=evaluation.predicted if evaluation else [],
        feature_importance=evaluation.feature_importance if evaluation else {},
    )


@router.post(
    "/models/{name}/versions/{number}/activate",
    response_model=VersionOut,
    dependencies=[WriteAccess],
)
def activate_version(
    name: ModelName, number: VersionNumber, runtime: RuntimeDep
) -> VersionOut:
    """Make a version the one predictions use; activating an older one is a rollback."""
    runtime.cache.get(name, number)  # loads and checks the artifact before it serves
    version = runtime.registry.activate(name, number)
    runtime.cache.refresh()
    return version_out(version, number, runtime.cache.usability(name, number))


@router.delete(
    "/models/{name}/versions/{number}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[WriteAccess],
)
def delete_version(name: ModelName, number: VersionNumber, runtime: RuntimeDep) -> None:
    """Delete a version and its artifact; the active version cannot be deleted (409)."""
    runtime.registry.delete_version(name, number)
