"""A cohort in Mongolian, end to end with the real nbgrader: `cohort init --lang mn`, release,
officers fetch and submit through the exchange, collect, autograde, a trainer's manual grade,
feedback, report and Moodle export.

The Mongolian strings checked are translations that exist in the shipped catalogues (the lab's
notebook catalogue, the lab's title in osintlab.po) or come from CLDR (Babel): none depends on a
translation of a message added with the course language.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path

import nbformat
import pytest

from grader.cohort import gradebook_url
from grader.simulate import answered
from labs import catalogue
from labs.runtime import POINTER_FILE, _from_pointer
from osintlab.errors import UserError
from osintlab.i18n import ENV_LANG, LOCALE_DIR, set_language
from tests.grader.cohortkit import FAST_LIMITS, fetch, submit

pytestmark = pytest.mark.slow

LAB = "w1-01-passive-active"
TRAINEES = ["mn-001", "mn-002"]
TITLE_MN = "Идэвхгүй юу, идэвхтэй юу?"  # the lab's title, lab.yml -> osintlab/locale/mn/.../osintlab.po


def _translations() -> dict[str, str]:
    """The lab notebook's text that the Mongolian catalogue translates today: {English: Mongolian}
    (the catalogue grows while translators work; the checks hold for whatever it holds)."""
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / "mn" / "LC_MESSAGES" / "notebooks" / f"{LAB}.po").open("rb") as handle:
        catalog = read_po(handle)
    from osintlab.l10n.catalogs import extract_notebook

    current = {m.id for m in extract_notebook(catalogue.get(LAB).source) if m.id}  # not entries left from before
    found = {m.id: m.string for m in catalog
             if isinstance(m.id, str) and m.id in current and m.string and not m.fuzzy}
    assert found, "the Mongolian catalogue of the lab translates nothing: nothing to check"
    return found


def _plain(translations: dict[str, str]) -> list[str]:
    """Translations without Markdown marks, as they read in an HTML page."""
    return [text for text in translations.values() if not re.search(r"[*_`\[\]<>&#\n]", text)]


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    capsys = _Capture()
    root = tmp_path_factory.mktemp("mn")
    roster = root / "roster.csv"
    roster.write_text("trainee_id,name,agency,email\n" + "".join(
        f"{t},Батбаяр {t[-1]},Цагдаа,{t}@training.example\n" for t in TRAINEES), encoding="utf-8")
    course = root / "course"
    out = {"init": capsys.run("cohort", "init", str(course), "--country", "MN", "--roster", str(roster),
                              "--lang", "mn")}
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as handle:
        handle.write(FAST_LIMITS)
    out["release"] = capsys.run("cohort", "release", str(course), LAB, "--workers", "2")
    for trainee, fraction in zip(TRAINEES, (1.0, 0.5), strict=True):
        home = root / "homes" / trainee
        fetch(course, LAB, home)
        submit(course, LAB, trainee, home, answered(course, LAB, answers_of=trainee, fraction=fraction))
    out["collect"] = capsys.run("cohort", "collect", str(course), LAB)
    out["autograde"] = capsys.run("cohort", "autograde", str(course), LAB, "--workers", "2")
    _grade_written_answers(course)
    out["feedback"] = capsys.run("cohort", "feedback", str(course), LAB)
    out["report"] = capsys.run("cohort", "report", str(course))
    out["export"] = capsys.run("cohort", "export", str(course), "--format", "moodle")
    set_language(None)
    return course, out


class _Capture:
    """The CLI's output, per command (a module fixture cannot use capsys)."""

    def run(self, *args: str) -> str:
        import contextlib
        import io

        from osintlab.cli import main

        buffer, errors = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(errors):
            code = main(list(args))
        assert code == 0, (args, errors.getvalue())
        return buffer.getvalue()


def _grade_written_answers(course: Path) -> None:
    """What a trainer does in the formgrader: points and a comment for each written answer."""
    from nbgrader.api import Gradebook

    with Gradebook(gradebook_url(course)) as gb:
        for trainee in TRAINEES:
            grade = gb.find_grade("justification", LAB, LAB, trainee)
            grade.manual_score, grade.needs_manual_grade = 3.0, False
            gb.find_comment("justification", LAB, LAB, trainee).manual_comment = "Сайн."
        gb.db.commit()


def test_the_released_notebook_speaks_mongolian(cohort: tuple[Path, dict[str, str]]) -> None:
    course, out = cohort
    translations = _translations()
    released = course / "release" / LAB / f"{LAB}.ipynb"  # what officers fetch
    cells = nbformat.read(released, as_version=4).cells
    text = "\n".join(c.source for c in cells)
    for english, mongolian in translations.items():
        assert mongolian in text and english not in text
    written = [c.source for c in cells if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade")]
    assert written == ["YOUR ANSWER HERE"]  # nbgrader's own placeholder, never translated (osintlab.l10n.markdown)
    assert "Монгол (mn)" in out["release"]  # the release line names the language officers get
    assert json.loads((course / ".osintlab" / "released.json").read_text())[LAB]["lang"] == "mn"
    # the source keeps nbgrader's metadata: the same graded cells as the English lab
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in cells]
    english = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nbformat.read(catalogue.get(LAB).notebook,
                                                                                       4).cells]
    assert [i for i in ids if i] == [i for i in english if i]


def test_an_officers_lab_runtime_takes_the_course_language(cohort: tuple[Path, dict[str, str]],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    course, _ = cohort
    folder = course.parent / "homes" / TRAINEES[0] / LAB
    assert json.loads((folder / POINTER_FILE).read_text())["lang"] == "mn"
    monkeypatch.setenv(ENV_LANG, "")  # recorded, so the language the pointer sets is undone after the test
    monkeypatch.delenv(ENV_LANG)
    with contextlib.suppress(UserError):  # the test's account has no case: only the language matters here
        _from_pointer(LAB, folder)
    assert os.environ[ENV_LANG] == "mn"
    monkeypatch.setenv(ENV_LANG, "en")  # an explicit choice stays
    with contextlib.suppress(UserError):
        _from_pointer(LAB, folder)
    assert os.environ[ENV_LANG] == "en"


def test_grading_works_on_the_mongolian_notebook(cohort: tuple[Path, dict[str, str]]) -> None:
    from grader.results import load_results

    course, _ = cohort
    r = load_results(course)
    full, half = r.result(TRAINEES[0], LAB), r.result(TRAINEES[1], LAB)
    assert full.auto == 6.0 and 0 < half.auto < 6 and full.total == 9.0
    assert not r.flags, r.flags


def test_feedback_officers_read_is_mongolian(cohort: tuple[Path, dict[str, str]]) -> None:
    course, out = cohort
    pages = sorted((course / "exchange").glob("*/feedback/*.html"))  # what officers fetch
    assert len(pages) == len(TRAINEES), out["feedback"]
    plain = _plain(_translations())
    assert plain
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert all(text in html for text in plain) and "Сайн." in html  # the lab's prose, the trainer's comment
        assert "BEGIN HIDDEN TESTS" not in html and "lab.grade(" not in html


def test_the_report_and_export_are_mongolian(cohort: tuple[Path, dict[str, str]]) -> None:
    course, _ = cohort
    html = (course / "reports" / "cohort-report.html").read_text(encoding="utf-8")
    assert '<html lang="mn">' in html and TITLE_MN in html
    assert " сарын " in html  # the date, written by Babel with Mongolian CLDR data
    assert "Батбаяр 1" in html
    assert re.search(r"\d%", html) and not re.search(r"\d %", html)  # percentages by CLDR's pattern for mn
    moodle = (course / "reports" / "grades-moodle.csv").read_text(encoding="utf-8")
    assert TITLE_MN in moodle.splitlines()[0]
