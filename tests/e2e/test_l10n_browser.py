"""The course in Mongolian and Bengali in a real browser (Debian's chromium driven by Playwright).

For each language: `osintlab course prepare --lang`, then JupyterLab started as `osintlab course
open --lang` starts it (OSINTLAB_LANG for the kernels). A trainee opens the start page and lab
w1-01, runs it, and sees the brief and the answer form. Every character the page shows must have
a glyph in an installed font (no tofu boxes: fontconfig is what chromium falls back through), and
the screenshots are kept in test-artifacts/ (OSINTLAB_SCREENSHOT_DIR=docs/screenshots keeps small
copies there too, as the docs show them).

JupyterLab's own menus stay English: it has no Mongolian or Bengali language pack.
"""

from __future__ import annotations

import os
import subprocess
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from osintlab import course
from tests.e2e.test_browser import ARTIFACTS, BROWSER_ARGS, CHROMIUM, Trainee, practice_server

LAB = "w1-01-passive-active"
LANGS = ["mn", "bn"]
SCRIPT = {"mn": (0x0400, 0x04FF), "bn": (0x0980, 0x09FF)}  # Cyrillic, Bengali

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by scripts/setup.sh"),
]


@pytest.fixture(scope="module", params=LANGS)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    lang = request.param
    with practice_server(tmp_path_factory.mktemp(f"course-{lang}"), lang) as base:
        yield base, lang


@pytest.fixture
def trainee(server: tuple[str, str]) -> Iterator[Trainee]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        person = Trainee(browser, server[0])
        try:
            yield person
        finally:
            person.close()
            browser.close()
        assert person.outside == [], person.outside


def test_a_lab_in_the_language_shows_every_glyph(trainee: Trainee, server: tuple[str, str]) -> None:
    from playwright.sync_api import expect

    _base, lang = server
    page = trainee.page
    trainee.open(course.START_PAGE)
    expect(page.locator(".jp-NotebookPanel:visible .jp-RenderedMarkdown h1").first).to_be_visible()
    time.sleep(2)
    _keep(trainee, f"start-page-{lang}")
    start = page.locator(".jp-NotebookPanel:visible .jp-RenderedMarkdown").first.inner_text()
    assert _in_script(start, lang) > 50, "the start page is not in the course's language"

    trainee.open(f"labs/{LAB}/{LAB}.ipynb")
    trainee.run_all()
    brief = page.locator(".osintlab-brief").first
    expect(brief).to_be_visible()
    trainee.top(page.locator(".jp-NotebookPanel:visible .jp-Cell").first)
    _keep(trainee, f"lab-{lang}-instructions")
    trainee.top(brief)
    _keep(trainee, f"lab-{lang}-brief")
    shown = page.locator(".jp-NotebookPanel:visible").inner_text()
    assert _in_script(shown, lang) > 20, "the lab shows none of its translated text"
    assert "Traceback" not in shown
    assert _without_glyph(shown + start) == []


def _in_script(text: str, lang: str) -> int:
    low, high = SCRIPT[lang]
    return sum(low <= ord(c) <= high for c in text)


def _without_glyph(text: str) -> list[str]:
    """Characters shown that no installed font covers (chromium would draw a box)."""
    missing = []
    for char in sorted(set(text)):
        if ord(char) < 128 or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp"):
            continue
        fonts = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"], capture_output=True,
                               text=True).stdout
        if not fonts.strip():
            missing.append(f"U+{ord(char):04X} {unicodedata.name(char, '?')}")
    return missing


def _keep(trainee: Trainee, name: str) -> None:
    """A screenshot in test-artifacts/, and a small copy (256 colours) for the docs when asked."""
    trainee.shot(name)
    folder = os.environ.get("OSINTLAB_SCREENSHOT_DIR")
    if folder:
        from PIL import Image

        Path(folder).mkdir(parents=True, exist_ok=True)
        with Image.open(ARTIFACTS / f"{name}.png") as shot:
            shot.convert("RGB").quantize(colors=256).save(Path(folder) / f"{name}.png", optimize=True)
