"""Failsight command line: run the backend and UI, train, predict and manage models."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import numpy as np
import typer
import uvicorn

from failsight.config import Settings, get_settings
from failsight.domain.errors import FailsightError
from failsight.domain.records import DEFAULT_MODEL, JobStatus
from failsight.logs import configure_logging, logging_config
from failsight.ml import tables
from failsight.ml.datasets import DatasetSpec, feature_matrix
from failsight.ml.estimators import DEFAULT_ESTIMATOR
from failsight.ml.metrics import score
from failsight.ml.tables import PRESET_KEYS, read_table
from failsight.services.context import RegistryConfig, open_registry
from failsight.services.prediction import ModelCache, predict
from failsight.services.training import TrainingOptions, prepare
from failsight.services.worker import run_training_job

logger = logging.getLogger(__name__)

app = typer.Typer(help=__doc__, no_args_is_help=True, pretty_exceptions_enable=False)
models_app = typer.Typer(
    help="List, show and activate model versions.", no_args_is_help=True
)
app.add_typer(models_app, name="models")

UI_SCRIPT = Path(__file__).parent / "ui" / "app.py"
UI_STOP_SECONDS = 10

ModelOption = Annotated[str, typer.Option("--model", "-m", help="Model name.")]
PresetOption = Annotated[
    str | None,
    typer.Option(
        help="Column layout of a headerless file: cmapss (NASA turbofan files)."
    ),
]
ColumnsOption = Annotated[
    str | None, typer.Option(help="Comma-separated column names of a headerless file.")
]


def _settings() -> Settings:
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    return settings


def _registry_config(settings: Settings) -> RegistryConfig:
    return RegistryConfig(
        settings.resolved_database_url, settings.artifact_dir.resolve()
    )


def _split(value: str | None) -> list[str] | None:
    return [name.strip() for name in value.split(",")] if value else None


OPTION_NAMES = {
    "unitColumn": "--unit-column",
    "ageColumn": "--age-column",
    "targetColumn": "--target-column",
}
"""API field names in shared error messages, and the options that set them here."""


def _fail(message: str) -> typer.Exit:
    for field, option in OPTION_NAMES.items():
        message = message.replace(field, option)
    message = message.replace(
        "list its versions at /models/", "run: failsight models show "
    )
    message = message.removesuffix("/versions")
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


def _read(path: Path, preset: str | None, columns: str | None) -> Any:
    try:
        return read_table(
            path.read_bytes(),
            filename=path.name,
            columns=_split(columns),
            preset=preset,
        )
    except OSError as error:
        raise _fail(f"cannot read {path}: {error.strerror}") from error


def _serve_api(settings: Settings, processes: int = 1) -> None:
    # Migrate once here, so that the server processes find the schema current.
    open_registry(_registry_config(settings), migrate=True).database.dispose()
    logger.info(
        "backend listening on http://%s:%d with %d server processes",
        settings.host,
        settings.api_port,
        processes,
    )
    uvicorn.run(
        "failsight.api.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.api_port,
        workers=processes,
        log_level=settings.log_level.lower(),
        log_config=logging_config(settings.log_level, settings.log_format),
    )


def _ui_command(settings: Settings) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(UI_SCRIPT),
        "--server.address",
        settings.host,
        "--server.port",
        str(settings.ui_port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def _start_ui(settings: Settings) -> subprocess.Popen[bytes]:
    logger.info("web UI listening on http://%s:%d", settings.host, settings.ui_port)
    return subprocess.Popen(_ui_command(settings))


@app.command()
def serve() -> None:
    """Run the backend and the web UI together."""
    settings = _settings()
    # uvicorn re-raises SIGTERM after its graceful shutdown; with the default
    # handler that would end this process before the UI below is stopped.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    ui = _start_ui(settings)
    try:
        _serve_api(settings)
    finally:
        ui.terminate()
        try:
            ui.wait(timeout=UI_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            logger.warning(
                "web UI did not stop within %d s; killing it", UI_STOP_SECONDS
            )
            ui.kill()
            ui.wait()


def _exit_on_signal(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@app.command()
def api(
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            envvar="FAILSIGHT_API_WORKERS",
            help="Server processes that share the port. Each loads every active "
            "model and runs its own pool of training workers.",
        ),
    ] = 1,
) -> None:
    """Run the backend only."""
    _serve_api(_settings(), workers)


@app.command()
def ui() -> None:
    """Run the web UI only, against the backend at FAILSIGHT_API_URL."""
    settings = _settings()
    command = _ui_command(settings)
    logger.info("web UI listening on http://%s:%d", settings.host, settings.ui_port)
    # Streamlit replaces this process, so signals reach it directly.
    os.execv(command[0], command)


@app.command()
def train(
    file: Annotated[
        Path, typer.Argument(help="CSV or whitespace-separated training file.")
    ],
    model: ModelOption = DEFAULT_MODEL,
    preset: PresetOption = None,
    columns: ColumnsOption = None,
    unit_column: Annotated[str | None, typer.Option(help="Column of unit ids.")] = None,
    age_column: Annotated[str | None, typer.Option(help="Column of ages.")] = None,
    target_column: Annotated[
        str | None,
        typer.Option(
            help="Column of time to failure; derived from unit and age if omitted."
        ),
    ] = None,
    cap: Annotated[
        float | None, typer.Option(help="Upper limit of the target.")
    ] = None,
    features: Annotated[
        str | None,
        typer.Option(help="Comma-separated feature columns; all numeric if omitted."),
    ] = None,
    estimator: Annotated[
        str,
        typer.Option(help="linear, ridge, hist_gradient_boosting or random_forest."),
    ] = DEFAULT_ESTIMATOR,
    params: Annotated[
        str, typer.Option(help="Estimator parameters as a JSON object.")
    ] = "{}",
    seed: Annotated[
        int, typer.Option(help="Seed of the split and the estimator.")
    ] = 42,
    activate: Annotated[bool, typer.Option(help="Activate the new version.")] = True,
) -> None:
    """Train a new model version from a file, in this process."""
    settings = _settings()
    registry = open_registry(_registry_config(settings), migrate=True)
    unit_default, age_default = PRESET_KEYS.get(preset or "", (None, None))
    try:
        options = TrainingOptions(
            model=model,
            spec=DatasetSpec(
                unit_column=unit_column or unit_default,
                age_column=age_column or age_default,
                target_column=target_column,
                cap=cap,
                features=_split(features),
            ),
            estimator=estimator,
            params=json.loads(params),
            seed=seed,
            activate=activate,
            created_by="cli",
        )
        prepared = prepare(_read(file, preset, columns), options)
    except json.JSONDecodeError as error:
        raise _fail(f"--params is not valid JSON: {error.msg}") from error
    except FailsightError as error:
        raise _fail(error.message) from error
    job = registry.create_job(
        job_id=str(uuid.uuid4()),
        model=model,
        estimator=estimator,
        rows=prepared.dataset.rows,
        units=prepared.dataset.unit_count,
        activate=activate,
        created_by="cli",
    )
    run_training_job(
        _registry_config(settings), job.id, prepared.dataset, prepared.request
    )
    finished = registry.get_job(job.id)
    if finished.status != JobStatus.SUCCEEDED or finished.version is None:
        raise _fail(finished.error or "training failed")
    version, _ = registry.get_version(model, finished.version)
    typer.echo(f"stored {model} version {version.number} ({version.estimator})")
    _print_metrics(version.metrics.__dict__)


@app.command("predict")
def predict_command(
    file: Annotated[Path, typer.Argument(help="File of rows to predict.")],
    model: ModelOption = DEFAULT_MODEL,
    version: Annotated[
        int | None, typer.Option(help="Version; the active one if omitted.")
    ] = None,
    preset: PresetOption = None,
    columns: ColumnsOption = None,
    last_row_per_unit: Annotated[
        bool, typer.Option(help="Predict only each unit's last row.")
    ] = False,
) -> None:
    """Predict the time to failure of each row of a file and print CSV."""
    settings = _settings()
    registry = open_registry(_registry_config(settings), migrate=True)
    try:
        frame = _read(file, preset, columns)
        loaded = ModelCache(registry).get(model, version or _active(registry, model))
        unit = loaded.version.unit_column
        if last_row_per_unit and unit is not None and unit in frame.columns:
            age = loaded.version.age_column
            frame = tables.last_row_per_unit(
                frame, unit, age if age in frame.columns else None
            )
        result = predict(loaded, feature_matrix(frame, loaded.version.feature_names))
    except FailsightError as error:
        raise _fail(error.message) from error
    units = frame[unit].tolist() if unit in frame.columns else range(len(frame))
    typer.echo(f"{unit or 'row'},time_to_failure")
    for key, value in zip(units, result.time_to_failure, strict=True):
        typer.echo(f"{key},{value:.4f}")


@app.command()
def evaluate(
    test_file: Annotated[
        Path, typer.Argument(help="Rows of units observed up to some age.")
    ],
    truth_file: Annotated[
        Path,
        typer.Argument(
            help="True time to failure at each unit's last row, in unit order."
        ),
    ],
    model: ModelOption = DEFAULT_MODEL,
    version: Annotated[
        int | None, typer.Option(help="Version; the active one if omitted.")
    ] = None,
    preset: PresetOption = None,
    columns: ColumnsOption = None,
) -> None:
    """Score a version at each test unit's last row against a truth file."""
    settings = _settings()
    registry = open_registry(_registry_config(settings), migrate=True)
    try:
        truth = np.loadtxt(truth_file, dtype=np.float64, ndmin=1)
    except (OSError, ValueError) as error:
        raise _fail(f"cannot read {truth_file}: {error}") from error
    try:
        loaded = ModelCache(registry).get(model, version or _active(registry, model))
        frame = _read(test_file, preset, columns)
        unit, age = loaded.version.unit_column, loaded.version.age_column
        if unit is None or unit not in frame.columns:
            raise _fail(
                f"{test_file} has no unit column {unit!r}, which the version was "
                "trained with; name the file's columns with --columns or --preset"
            )
        last = tables.last_row_per_unit(
            frame, unit, age if age in frame.columns else None
        )
        result = predict(loaded, feature_matrix(last, loaded.version.feature_names))
    except FailsightError as error:
        raise _fail(error.message) from error
    if len(truth) != len(last):
        raise _fail(f"{truth_file} has {len(truth)} values for {len(last)} units")
    metrics = score(truth, result.time_to_failure)
    typer.echo(f"{model} version {loaded.version.number} on {len(last)} units")
    _print_metrics(
        {
            "rmse": metrics.rmse,
            "mae": metrics.mae,
            "phm08": metrics.phm08,
        }
    )


@models_app.command("list")
def list_models() -> None:
    """List models with their active version."""
    registry = open_registry(_registry_config(_settings()), migrate=True)
    for summary in registry.list_models():
        typer.echo(
            f"{summary.name}\tactive {summary.active_version}\t"
            f"{summary.version_count} version{'' if summary.version_count == 1 else 's'}"
        )


@models_app.command("show")
def show_model(model: Annotated[str, typer.Argument(help="Model name.")]) -> None:
    """Show every version of a model with its metrics."""
    registry = open_registry(_registry_config(_settings()), migrate=True)
    try:
        active = registry.get_model(model).active_version
        versions = registry.list_versions(model)
    except FailsightError as error:
        raise _fail(error.message) from error
    for version in versions:
        mark = "*" if version.number == active else " "
        typer.echo(
            f"{mark} {version.number}\t{version.estimator}\trmse {version.metrics.rmse:.3f}"
            f"\tmae {version.metrics.mae:.3f}\t{version.created_at:%Y-%m-%d %H:%M}"
        )


@models_app.command("activate")
def activate_model(
    model: Annotated[str, typer.Argument(help="Model name.")],
    version: Annotated[int, typer.Argument(help="Version number to serve.")],
) -> None:
    """Activate a version; running servers pick it up within about a second."""
    registry = open_registry(_registry_config(_settings()), migrate=True)
    try:
        ModelCache(registry).get(model, version)
        registry.activate(model, version)
    except FailsightError as error:
        raise _fail(error.message) from error
    typer.echo(f"{model} version {version} is active")


def _active(registry: Any, model: str) -> int:
    active = registry.get_model(model).active_version
    if active is None:
        raise _fail(f"model {model!r} has no active version; train it first")
    return int(active)


def _print_metrics(metrics: dict[str, Any]) -> None:
    for name, value in metrics.items():
        if value is not None:
            typer.echo(f"  {name}: {value:.4f}")


def main() -> None:
    app()
