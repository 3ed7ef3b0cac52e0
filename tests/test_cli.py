"""The failsight command on a real registry."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from failsight.cli import app
from failsight.config import get_settings
from tests.helpers import as_csv, as_whitespace, run_to_failure_rows

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FAILSIGHT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("FAILSIGHT_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_train_show_activate(tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    history.write_bytes(as_csv(run_to_failure_rows()))
    for estimator in ("ridge", "linear"):
        result = runner.invoke(
            app,
            [
                "train",
                str(history),
                "--model",
                "pump",
                "--unit-column",
                "unit",
                "--age-column",
                "cycle",
                "--estimator",
                estimator,
            ],
        )
        assert result.exit_code == 0, result.output
        assert "rmse:" in result.output

    shown = runner.invoke(app, ["models", "show", "pump"])
    assert shown.exit_code == 0
    assert "* 2\tlinear" in shown.output

    activated = runner.invoke(app, ["models", "activate", "pump", "1"])
    assert activated.exit_code == 0
    listed = runner.invoke(app, ["models", "list"])
    assert "pump\tactive 1\t2 versions" in listed.output


def test_evaluate_and_predict(tmp_path: Path) -> None:
    history = tmp_path / "history.txt"
    history.write_bytes(as_whitespace(run_to_failure_rows()))
    columns = "unit,cycle,temperature,vibration,constant"
    trained = runner.invoke(
        app,
        [
            "train",
            str(history),
            "--columns",
            columns,
            "--unit-column",
            "unit",
            "--age-column",
            "cycle",
            "--estimator",
            "ridge",
        ],
    )
    assert trained.exit_code == 0, trained.output

    fleet = run_to_failure_rows(units=3, seed=9)
    partial = [row for row in fleet if row[1] <= 20]
    test_file = tmp_path / "test.txt"
    test_file.write_bytes(as_whitespace(partial))
    lives = {}
    for row in fleet:
        lives[row[0]] = row[1]
    truth_file = tmp_path / "truth.txt"
    truth_file.write_text("\n".join(f"{life - 20:g}" for life in lives.values()))

    evaluated = runner.invoke(
        app, ["evaluate", str(test_file), str(truth_file), "--columns", columns]
    )
    assert evaluated.exit_code == 0, evaluated.output
    assert "on 3 units" in evaluated.output
    assert "phm08:" in evaluated.output

    predicted = runner.invoke(
        app, ["predict", str(test_file), "--columns", columns, "--last-row-per-unit"]
    )
    assert predicted.exit_code == 0, predicted.output
    lines = predicted.output.strip().splitlines()
    assert lines[0] == "unit,time_to_failure"
    assert len(lines) == 4


def test_bad_file_exits_with_message(tmp_path: Path) -> None:
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02")
    result = runner.invoke(app, ["train", str(binary), "--unit-column", "u"])
    assert result.exit_code == 1
    assert "is not text" in result.output


def test_errors_name_cli_options(tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    history.write_bytes(as_csv(run_to_failure_rows()))
    result = runner.invoke(app, ["train", str(history), "--unit-column", "unit"])
    assert result.exit_code == 1
    assert "--unit-column and --age-column" in result.output
    assert "unitColumn" not in result.output


def test_unknown_version_points_to_show(tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    history.write_bytes(as_csv(run_to_failure_rows()))
    trained = runner.invoke(
        app,
        [
            "train",
            str(history),
            "--model",
            "pump",
            "--unit-column",
            "unit",
            "--age-column",
            "cycle",
            "--estimator",
            "ridge",
        ],
    )
    assert trained.exit_code == 0, trained.output
    assert (
        "pump\tactive 1\t1 version\n" in runner.invoke(app, ["models", "list"]).output
    )

    result = runner.invoke(app, ["models", "activate", "pump", "9"])
    assert result.exit_code == 1
    assert "failsight models show pump" in result.output
