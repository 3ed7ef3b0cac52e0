"""End-to-end test: a real browser drives ``failsight serve`` through a
training, predictions and a rollback, and saves a screenshot of each page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright

from tests.helpers import as_csv, run_to_failure_rows
from tests.ui import processes

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
JOB_TIMEOUT_MS = 120_000
STEP_TIMEOUT_MS = 30_000


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Run ``failsight serve`` on free ports; yield the UI and backend URLs."""
    api_port, ui_port = processes.free_port(), processes.free_port()
    log = tmp_path / "serve.log"
    process = processes.start(
        "serve", tmp_path / "data", log, api_port=str(api_port), ui_port=str(ui_port)
    )
    api_url, ui_url = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{ui_port}"
    try:
        processes.wait_until_up(f"{api_url}/health", process, log)
        processes.wait_until_up(f"{ui_url}/_stcore/health", process, log)
        yield ui_url, api_url
    finally:
        processes.stop(process)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[BrowserContext]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; install Debian's chromium package")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        yield context
        context.close()


def _screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(1000)  # lets charts finish drawing
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _train(page: Page, ui_url: str, data: Path, model: str) -> None:
    page.goto(f"{ui_url}/train")
    page.locator("input[type=file]").set_input_files(str(data))
    expect(page.get_by_text("First rows of")).to_be_visible()
    model_input = page.get_by_label("Model name", exact=True)
    model_input.fill(model)
    model_input.press("Enter")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text(re.compile(f"Stored {model} version"))).to_be_visible(
        timeout=JOB_TIMEOUT_MS
    )


def test_browser_train_predict_rollback(
    served: tuple[str, str], browser: BrowserContext, tmp_path: Path
) -> None:
    ui_url, api_url = served
    data = tmp_path / "pumps.csv"
    data.write_bytes(as_csv(run_to_failure_rows(units=10)))
    page = browser.new_page()

    page.goto(ui_url)
    expect(page.get_by_text("Backend reachable")).to_be_visible()
    _screenshot(page, "health")

    _train(page, ui_url, data, "pump")
    expect(page.get_by_text("RMSE").first).to_be_visible()
    expect(page.locator(".vega-embed").first).to_be_visible()
    _screenshot(page, "train")
    _train(page, ui_url, data, "pump")
    expect(page.get_by_text("Stored pump version 2")).to_be_visible()

    page.goto(f"{ui_url}/predict")
    page.get_by_role("button", name="Predict", exact=True).click()
    expect(page.get_by_text("Predicted time to failure (version 2)")).to_be_visible()
    page.get_by_role("tab", name="File of rows").click()
    page.locator("input[type=file]").set_input_files(str(data))
    page.get_by_role("button", name="Predict file").click()
    expect(page.get_by_text("10 predictions from pump version 2")).to_be_visible()
    expect(page.get_by_text("Download predictions (CSV)")).to_be_visible()
    _screenshot(page, "predict")

    page.goto(f"{ui_url}/models")
    expect(page.get_by_text("Active version: 2")).to_be_visible()
    page.get_by_role("tab", name="Activate or delete").click()
    panel = page.get_by_role("tabpanel", name="Activate or delete")
    panel.get_by_role("combobox").click()
    page.get_by_role("option", name="1", exact=True).click()
    page.get_by_role("button", name="Activate version 1").click()
    page.get_by_role("button", name="Yes, activate version 1").click()
    expect(page.get_by_text("Version 1 of pump is active.")).to_be_visible()
    _screenshot(page, "models")

    versions = httpx.get(f"{api_url}/models/pump/versions", timeout=10).json()
    assert [version["number"] for version in versions if version["active"]] == [1]
