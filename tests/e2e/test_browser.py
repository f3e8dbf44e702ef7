"""A real browser (Playwright driving Debian's chromium) on the real practice course, as a trainee.

JupyterLab is started as `osintlab course open` starts it (the practice server's own config: no
nbgrader course tools). At 1366x768, the size of a common classroom laptop, a trainee:

- opens the start page: no nbgrader error, no trainer tools, a page that says where to begin;
- does a whole lab (w1-03) by clicking only: reads the brief, searches, opens a result in
  place, answers every part with the answer forms (saving and reloading the page half way, as
  trainees do: the kernel keeps running), checks, and saves; the saved notebook is then
  graded by real nbgrader, which proves the forms wrote the answer cells it grades;
- does a whole lesson (lesson 1): runs it, types each exercise's answer, checks it.

Nothing may reach past 127.0.0.1 (every other request is refused and reported), and no output may
hold a link out. The screenshots are kept in test-artifacts/ for people to look at.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import nbformat
import pytest

from labs import catalogue, runtime
from osintlab import course, i18n

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAB = "w1-03-search-operators"
LESSON = "lesson-1-how-criminals-use-the-internet"
TOKEN = "browser-test-token"
VIEWPORT = {"width": 1366, "height": 768}
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


@contextlib.contextmanager
def practice_server(root: Path, lang: str | None = None) -> Iterator[str]:
    """The practice course prepared in `root`/course (in `lang`) and served by JupyterLab as
    `osintlab course open` serves it, on a free port; yields its base URL. The server's log is
    kept in test-artifacts/."""
    cache = root / "cache"
    old_cache = os.environ.get(runtime.ENV_CACHE)
    os.environ[runtime.ENV_CACHE] = str(cache)  # this process computes the practice key in the same place
    course.prepare(root / "course", lang=lang)
    env = {**course.practice_env(root / "course"), runtime.ENV_CACHE: str(cache),
           "JUPYTER_CONFIG_DIR": str(root / "jupyter-config")}
    if lang:
        env[i18n.ENV_LANG] = lang
    port = _free_port()
    log = (root / "jupyter.log").open("wb")
    proc = subprocess.Popen(course.lab_command(root / "course", port, TOKEN), env=env, stdout=log, stderr=log)
    try:
        course.wait_for_server(port, TOKEN, proc, root / "jupyter.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(root / "jupyter.log", ARTIFACTS / f"jupyter{'-' + lang if lang else ''}.log")
        if old_cache is None:
            os.environ.pop(runtime.ENV_CACHE, None)
        else:
            os.environ[runtime.ENV_CACHE] = old_cache


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("course")
    with practice_server(root) as base:
        yield base, root


class Trainee:
    """One browser page, refusing every request that leaves 127.0.0.1, with screenshots."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.outside: list[str] = []
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)

    def _route(self, route: Any) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, path: str) -> None:
        """Open one notebook in a fresh workspace (JupyterLab would reopen the last one's tabs)."""
        self.page.goto(f"{self.base}/lab/tree/{path}?reset&token={TOKEN}")
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)

    def reload(self) -> None:
        """Reload the page, as a trainee does when the browser misbehaves; the kernel keeps running
        and the notebook's widgets come back from it."""
        self.page.reload()
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
        self.page.wait_for_selector(".osintlab-answer-form", timeout=120_000)

    @property
    def notebook(self) -> Any:
        """The notebook on screen (other tabs stay in the page, hidden)."""
        return self.page.locator(".jp-NotebookPanel:visible")

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    def run_all(self, attempts: int = 4) -> None:
        """Run > Run All Cells once the kernel is really connected, and wait until every cell ran.
        Under load JupyterLab can show the notebook before its kernel session answers, and a run
        request sent then is dropped, so wait for 'Idle' first and check that the first cell ran;
        the status bar says Idle between cells too, so the end is the last cell's prompt."""
        from playwright.sync_api import expect

        expect(self.page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=120_000)
        first_prompt = self.notebook.locator(".jp-CodeCell .jp-InputPrompt").first
        for _ in range(attempts):
            self.page.get_by_role("menuitem", name="Run", exact=True).click()
            self.page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            try:
                expect(first_prompt).not_to_have_text("[ ]:", timeout=30_000)
                break
            except AssertionError:
                continue
        else:
            raise AssertionError("JupyterLab never ran the notebook's cells")
        self.page.wait_for_function("""() => {
            const panel = [...document.querySelectorAll('.jp-NotebookPanel')].find(p => p.offsetParent !== null);
            const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                .map(e => e.textContent.trim());
            const failed = panel.querySelectorAll('.jp-RenderedText[data-mime-type$="stderr"]').length > 0;
            return prompts.length > 0 && !prompts.some(t => t.includes('*'))
                && (failed || prompts[prompts.length - 1] !== '[ ]:');
        }""", timeout=300_000)

    def cell(self, text: str) -> Any:
        """The code cell whose source contains `text`."""
        return self.notebook.locator(".jp-CodeCell").filter(
            has=self.page.locator(".jp-InputArea-editor", has_text=text)).first

    def top(self, locator: Any) -> None:
        """Scroll `locator` to the top of the notebook's view (and let the notebook draw around it)."""
        locator.evaluate("e => e.scrollIntoView({block: 'start'})")
        time.sleep(1.5)

    def save(self) -> None:
        from playwright.sync_api import expect

        self.page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
        self.page.keyboard.press("Control+s")
        expect(self.page.locator(".lm-TabBar-tab.jp-mod-dirty")).to_have_count(0, timeout=30_000)

    def links_out(self) -> list[str]:
        """Anchors in the notebook's outputs that point anywhere but inside the page."""
        hrefs = self.page.eval_on_selector_all(".jp-OutputArea a[href]", "els => els.map(e => e.getAttribute('href'))")
        return [h for h in hrefs if not h.startswith("#")]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def trainee(server: tuple[str, Path], request: pytest.FixtureRequest) -> Iterator[Trainee]:
    from playwright.sync_api import sync_playwright

    failed_before = request.session.testsfailed
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        person = Trainee(browser, server[0])
        try:
            yield person
            if request.session.testsfailed > failed_before:
                person.shot(f"failure-{request.node.name}")
        finally:
            person.close()
            browser.close()
        assert person.outside == [], person.outside


def _key_answers(root: Path) -> dict[str, Any]:
    spec = catalogue.get(LAB)
    base = runtime.practice_dir(spec)
    lab = runtime.Lab(spec, base / "case", base / "key")
    return {part: lab.reference_answer(part) for part in lab.module.PARTS}


def test_start_page_shows_where_to_begin_and_no_nbgrader_error(trainee: Trainee) -> None:
    from playwright.sync_api import expect

    trainee.open(course.START_PAGE)
    page = trainee.page
    expect(page.get_by_role("heading", name="Start here")).to_be_visible()
    expect(page.get_by_role("link", name="Lesson 1. How traffickers and smugglers")).to_be_visible()
    time.sleep(3)  # nbgrader's extensions report their errors a moment after the page loads
    trainee.shot("start-page")
    for text in ("Error fetching courses", "Formgrader", "Nbgrader", "Validate", "exchange", "official Jupyter news"):
        expect(page.get_by_text(text)).to_have_count(0)
    expect(page.locator(".jp-Dialog")).to_have_count(0)


def test_a_whole_lab_by_clicking_then_graded_by_nbgrader(trainee: Trainee, server: tuple[str, Path],
                                                        tmp_path: Path) -> None:
    from playwright.sync_api import expect

    _base, root = server
    answers = _key_answers(root)
    page = trainee.page
    trainee.open(f"labs/{LAB}/{LAB}.ipynb")
    trainee.run_all()
    brief = page.locator(".osintlab-brief").first
    expect(brief).to_be_visible()
    trainee.top(brief)
    trainee.shot("lab-1-brief")

    # Search by clicking (step 1's search box), then read a result in place.
    search = trainee.cell("lab.sandbox.widgets.search()")
    search.locator(".widget-text input").fill("visa OR ticket")
    search.get_by_role("button", name="Search").click()
    expect(search.get_by_text("results (")).to_be_visible()
    first = search.get_by_role("button", name="Read").first
    first.click()
    reader = search.locator(".osintlab-reader").first
    expect(reader).to_be_visible()
    expect(reader).to_contain_text("pg-")
    reader.scroll_into_view_if_needed()
    trainee.shot("lab-2-read-in-place")
    # The printed results of lab.search open in place too.
    printed = trainee.cell('lab.search("visa")')
    printed.locator("details summary").first.click()
    expect(printed.locator("details[open] .osintlab-reader")).to_be_visible()

    # Answer the query by typing it in its form's search box, and see what it finds.
    query_form = trainee.cell('lab.answer("query")')
    box = query_form.locator(".widget-text input").first
    box.fill(answers["query"])
    box.press("Enter")
    expect(query_form.get_by_text("Your answer is in the answer cell below")).to_be_visible()
    expect(trainee.cell("query = ")).to_contain_text(answers["query"][:20])
    query_form.get_by_role("button", name="Check my answer").click()
    expect(query_form.get_by_text("Well done").first).to_be_visible()
    trainee.top(query_form.locator(".osintlab-answer-form"))
    trainee.shot("lab-3-query-form")

    # Save and reload the page (the kernel keeps running): the forms must still write their cells.
    trainee.save()
    trainee.reload()

    # Answer the pages from the pages form's own search: "Add to answer" on each page the brief asks for.
    pages_form = trainee.cell('lab.answer("pages")')
    _add_from_results(pages_form, answers["query"], answers["pages"])
    trainee.top(pages_form.locator(".osintlab-answer-form"))
    trainee.shot("lab-4-pages-form")

    # Task 2: search the social site in the case's language, word* for the endings, and add the posts.
    posts_form = trainee.cell('lab.answer("posts")')
    _add_from_results(posts_form, _task2_query(), answers["posts"])
    trainee.top(posts_form.locator(".osintlab-answer-form"))
    trainee.shot("lab-5-posts-form")

    assert trainee.links_out() == []
    trainee.save()
    saved = root / "course" / "labs" / LAB / f"{LAB}.ipynb"
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in nbformat.read(saved, 4).cells}
    assert "answer" in cells["answer-query"] and json.dumps(answers["query"]) in cells["answer-query"]
    assert all(page_id in cells["answer-pages"] for page_id in answers["pages"])
    assert all(page_id in cells["answer-posts"] for page_id in answers["posts"])

    score, top = _graded_by_nbgrader(saved, tmp_path)
    assert score == top == catalogue.get(LAB).points


def _add_from_results(form: Any, query: str, page_ids: list[str]) -> None:
    """Search in a pages form, press "Add to answer" on each of `page_ids` (paging on), then check."""
    from playwright.sync_api import expect

    form.locator(".widget-text input").nth(1).fill(query)
    form.get_by_role("button", name="Search").click()
    wanted = set(page_ids)
    while True:
        expect(form.locator(".osintlab-result").first).to_be_visible()
        for page_id in sorted(wanted):
            row = form.locator(".osintlab-result").filter(has_text=page_id)
            if row.count():
                row.first.get_by_role("button", name="Add to answer").click()
                wanted.discard(page_id)
        following = form.get_by_role("button", name="Next >")
        if not wanted or following.is_disabled():
            break
        following.click()
    assert not wanted, f"the results of {query!r} did not show {wanted}"
    expect(form.get_by_text("Your answer is in the answer cell below")).to_be_visible()
    form.get_by_role("button", name="Check my answer").click()
    expect(form.get_by_text("Well done").first).to_be_visible()


def _task2_query() -> str:
    """What an officer who reads the language types for task 2: the site, and the flag's words in
    that language with * for their endings (the language bank's search words)."""
    from synthetic_data.generator.language import load_language, search_terms

    posts = runtime.Lab(catalogue.get(LAB), runtime.practice_dir(catalogue.get(LAB)) / "case").exercise["posts"]
    words = search_terms(load_language(posts["language"]), posts["flag"])
    return f"site:{posts['site']} ({' OR '.join(words)})"


def _graded_by_nbgrader(notebook: Path, work: Path) -> tuple[float, float]:
    """`nbgrader autograde` of the saved notebook, as `osintlab lab check` grades a submission."""
    from nbgrader.api import Gradebook

    from labs import check

    spec = catalogue.get(LAB)
    nbcourse = work / "nbcourse"
    (nbcourse / "source" / LAB).mkdir(parents=True)
    (nbcourse / "nbgrader_config.py").write_text(check.CONFIG.format(root=str(nbcourse)), encoding="utf-8")
    shutil.copy(spec.notebook, nbcourse / "source" / LAB / notebook.name)
    base = runtime.practice_dir(spec)
    env = {**os.environ, runtime.ENV_CASE: str(base / "case"), runtime.ENV_KEY: str(base / "key"),
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}  # its alembic
    check._nbgrader(nbcourse, env, "generate_assignment", LAB, "--force")
    submitted = nbcourse / "submitted" / "trainee" / LAB
    submitted.mkdir(parents=True)
    shutil.copy(notebook, submitted / notebook.name)
    check._nbgrader(nbcourse, env, "autograde", LAB, "--force")
    with Gradebook(f"sqlite:///{nbcourse}/gradebook.db") as gb:
        score = float(gb.find_submission_notebook(notebook.stem, LAB, "trainee").code_score)
        top = float(gb.find_notebook(notebook.stem, LAB).max_code_score)
    return score, top


def test_a_whole_lesson_typed_and_checked(trainee: Trainee) -> None:
    from playwright.sync_api import expect

    from coursekit import exercise

    page = trainee.page
    trainee.open(f"lessons/w1/{LESSON}.ipynb")
    trainee.run_all()
    expect(page.locator(".osintlab-search").first).to_be_visible()
    trainee.cell('sb.search(\'"customer service"\')').locator("details summary").first.click()
    expect(page.locator("details[open] .osintlab-reader").first).to_be_visible()
    page.locator("details[open] .osintlab-reader").first.scroll_into_view_if_needed()
    trainee.shot("lesson-1-read-in-place")
    checks = page.locator(".jp-CodeCell").filter(has=page.locator(".jp-InputArea-editor", has_text=").check("))
    for i in range(checks.count()):
        checks.nth(i).scroll_into_view_if_needed()
        source = checks.nth(i).locator(".jp-InputArea-editor").text_content() or ""
        ex_id, name = source.split('"')[1], source.split("(")[-1].rstrip(")\n ")
        ex = exercise(ex_id)
        right: Any = ({it.id: it.answer for it in ex.items} if ex.kind == "sort" else
                      [it.id for it in ex.items if it.correct] if ex.kind == "pick" else
                      next(it.id for it in ex.items if it.correct))
        answer_cell = trainee.cell(f"{name} = ")
        answer_cell.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(f"{name} = {json.dumps(right)}")
        page.keyboard.press("Shift+Enter")  # runs the answer, moves to the check
        page.keyboard.press("Shift+Enter")
        expect(checks.nth(i).get_by_text("Well done")).to_be_visible()
        if i == 0:
            checks.nth(i).scroll_into_view_if_needed()
            trainee.shot("lesson-2-exercise-checked")
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.all_inner_texts()
    assert trainee.links_out() == []
    trainee.save()


def test_every_other_lab_draws_its_brief_and_a_form_per_part(trainee: Trainee) -> None:
    """Briefs and forms of the other labs, readable at 1366x768 (screenshots), nothing linking out."""
    from playwright.sync_api import expect

    for spec in catalogue.discover():
        if spec.id == LAB or spec.data["workshop"] != 1:  # the labs with answer forms
            continue
        trainee.open(f"labs/{spec.id}/{spec.id}.ipynb")
        trainee.run_all()
        brief = trainee.notebook.locator(".osintlab-brief").first
        expect(brief).to_be_visible()
        trainee.top(brief)
        trainee.shot(f"other-{spec.id}-brief")
        parts = runtime.lab_module(spec).PARTS
        forms = trainee.notebook.locator(".osintlab-answer-form")
        expect(forms).to_have_count(len(parts))
        trainee.top(forms.first)
        trainee.shot(f"other-{spec.id}-form")
        errors = trainee.notebook.locator(".jp-RenderedText[data-mime-type$='stderr']")
        assert errors.count() == 0, errors.all_text_contents()
        assert trainee.links_out() == []
