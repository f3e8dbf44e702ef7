"""A real browser (Playwright driving Debian's chromium) on the real practice course.

Opens JupyterLab as `osintlab course open` starts it, opens a lab, runs it, searches the
case through the search widget and checks the results on screen. The screenshot is kept in
test-artifacts/ for people to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from osintlab import course

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAB = "w1-03-search-operators"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by scripts/setup.sh"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_server(port: int, token: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("JupyterLab did not start in time")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("course")
    course.prepare(root / "course")
    env = {**os.environ, "OSINTLAB_CACHE": str(root / "cache"), "JUPYTER_CONFIG_DIR": str(root / "jupyter-config")}
    port, token = _free_port(), "browser-test-token"
    log = (root / "jupyter.log").open("wb")
    proc = subprocess.Popen(course.lab_command(root / "course", port, token), env=env, stdout=log, stderr=log)
    try:
        _wait_for_server(port, token, proc)
        yield f"http://127.0.0.1:{port}", root
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(root / "jupyter.log", ARTIFACTS / "jupyter.log")


def _run_all_cells(page: Any, attempts: int = 4) -> None:
    """Run > Run All Cells once the kernel is really connected. Under load JupyterLab can show
    the notebook before its kernel session answers, and a run request sent then is dropped,
    so wait for 'Idle' in the status bar and check that the first code cell did run."""
    from playwright.sync_api import expect

    expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=120_000)
    first_prompt = page.locator(".jp-CodeCell .jp-InputPrompt").first
    for _ in range(attempts):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            expect(first_prompt).not_to_have_text("[ ]:", timeout=30_000)
            return
        except AssertionError:
            continue
    raise AssertionError("JupyterLab never ran the notebook's cells")


def test_open_lab_run_it_and_search_through_the_widget(server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _root = server
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{base}/lab/tree/labs/{LAB}/{LAB}.ipynb?token=browser-test-token")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            _run_all_cells(page)
            box = page.locator(".widget-text input").first
            box.wait_for(timeout=120_000)
            box.fill("visa OR ticket")
            page.locator("button.jupyter-button", has_text="Search").first.click()
            results = page.locator(".widget-html-content", has_text="results").first
            expect(results).to_be_visible(timeout=60_000)
            expect(page.locator(".widget-html-content mark").first).to_be_visible(timeout=30_000)
            expect(page.locator(".widget-html-content", has_text="0 results")).to_have_count(0)
            # The course is offline: JupyterLab must not offer its internet news feed.
            expect(page.get_by_text("official Jupyter news")).to_have_count(0)
            page.screenshot(path=str(ARTIFACTS / "browser-lab-search.png"), full_page=False)
            # The only error a fresh student notebook may show is an unanswered cell's.
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            for text in errors.all_inner_texts():
                assert "NotImplementedError" in text, text
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "browser-failure.png"))
            raise
        finally:
            browser.close()
