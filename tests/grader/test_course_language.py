"""A cohort course's language (grader.language): stored by `cohort init --lang`, checked, changed,
and the officers' feedback page made by our copy of nbgrader's feedback template.

These tests need no world. The Mongolian cohort end to end (release, autograde, feedback, report)
is tests/grader/test_mongolian_cohort.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader import feedback_html
from grader.language import course_language, lab_language
from grader.report import _SKILL_MESSAGES, SKILL_NAMES, late_text
from osintlab.cli import main
from osintlab.i18n import language, set_language


@pytest.fixture(autouse=True)
def _english_after() -> object:
    yield
    set_language(None)


def _roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("trainee_id,name,agency,email\nmn-001,Б. Болд,Police,\n", encoding="utf-8")
    return path


def _init(tmp_path: Path, *extra: str) -> int:
    return main(["cohort", "init", str(tmp_path / "course"), "--country", "MN", "--roster", str(_roster(tmp_path)),
                 *extra])


def test_an_unknown_language_is_one_sentence_naming_the_choices(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert _init(tmp_path, "--lang", "xx") == 2
    err = capsys.readouterr().err.strip()
    assert "--lang 'xx'" in err and "choose en or one of bn, mn" in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "course").exists()  # nothing half-made


def test_the_course_language_is_stored_and_spoken(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _init(tmp_path, "--lang", "mn") == 0
    course = tmp_path / "course"
    state = json.loads((course / ".osintlab" / "course.json").read_text(encoding="utf-8"))
    assert state["lang"] == "mn" and course_language(course) == "mn" and lab_language(course, "w1-01") == "mn"
    assert "(mn)" in capsys.readouterr().out and language() == "en"  # the command's language ends with it
    assert main(["cohort", "language", str(course)]) == 0
    assert "Монгол (mn)" in capsys.readouterr().out  # the language's own name, from CLDR
    assert main(["cohort", "language", str(course), "bn"]) == 0
    assert course_language(course) == "bn" and "বাংলা (bn)" in capsys.readouterr().out
    assert main(["cohort", "language", str(course), "klingon"]) == 2
    assert course_language(course) == "bn"


def test_an_english_course_is_as_before(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _init(tmp_path) == 0
    state = json.loads((tmp_path / "course" / ".osintlab" / "course.json").read_text(encoding="utf-8"))
    assert "lang" not in state and course_language(tmp_path / "course") == "en"
    out = capsys.readouterr().out
    assert out.startswith("Created cohort course ") and "Officers get" not in out


def test_report_words_in_english_stay_as_they_were() -> None:
    assert tuple(SKILL_NAMES.values()) == _SKILL_MESSAGES  # every name is extracted for translators
    assert SKILL_NAMES["passive-active"] == "Passive active"
    assert [late_text(s) for s in (45 * 60, 2 * 3600 + 5 * 60, 3 * 86400 + 4 * 3600)] == [
        "45 min", "2 h 05 min", "3 days 4 h"]


# ---------------------------------------------------------------- the feedback page


def _graded_notebook() -> tuple[nbformat.NotebookNode, dict[str, object]]:
    """A notebook as nbgrader's GetGrades leaves it: scores on the graded cells, a comment, a penalty."""
    def meta(grade_id: str, **flags: object) -> dict[str, object]:
        return {"nbgrader": {"grade_id": grade_id, "schema_version": 3, "locked": False, "task": False,
                             "solution": False, "grade": False, **flags}}

    cells = [new_markdown_cell("Brief"),
             new_code_cell("answer = 1", metadata=meta("answer", solution=True)),
             new_code_cell("lab.grade('p1', answer)", metadata=meta("test-p1", grade=True, points=6.0, score=2.5)),
             new_markdown_cell("Because.", metadata=meta("why", solution=True, grade=True, points=4.0,
                                                         score=3.3333, comment="Name the law.")),
             new_code_cell("x = 1", metadata=meta("free", solution=True, grade=True, points=1.0, score=1.0)),
             new_markdown_cell("Do it.", metadata=meta("job", task=True, points=2.0, score=0.0,
                                                       comment="Not done."))]
    resources = {"nbgrader": {"notebook": "w1-01-passive-active", "score": 6.8333, "max_score": 13.0,
                              "late_penalty": 1.5}}
    return new_notebook(cells=cells), resources


def _formgrader_dir() -> Path:
    import nbgrader

    return Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"


# What nbgrader's GenerateFeedback gives its exporter besides the template: bootstrap's CSS folder.
CSS = ["static/node_modules/bootstrap/dist/css"]


def _nbgraders_page(nb: nbformat.NotebookNode, resources: dict[str, object]) -> str:
    """The page nbgrader's own generate_feedback makes (its template, its exporter settings)."""
    exporter = HTMLExporter(template_name="feedback", extra_template_basedirs=[str(_formgrader_dir() / "templates")],
                            extra_template_paths=[str(_formgrader_dir() / CSS[0])])
    return exporter.from_notebook_node(nb, resources=dict(resources))[0]


def _our_page(nb: nbformat.NotebookNode, resources: dict[str, object]) -> str:
    """The page our configuration (grader.nbconfig) makes."""
    exporter = feedback_html.FeedbackExporter(template_name=feedback_html.TEMPLATE_NAME,
                                              extra_template_basedirs=[str(feedback_html.TEMPLATES)],
                                              extra_template_paths=[str(_formgrader_dir() / CSS[0])])
    return exporter.from_notebook_node(nb, resources=dict(resources))[0]


def test_english_feedback_is_nbgraders_own_page_byte_for_byte() -> None:
    nb, resources = _graded_notebook()
    set_language("en")
    ours = _our_page(nb, resources)
    assert ours == _nbgraders_page(nb, resources)
    assert "Score: 3.33 / 4.0" in ours and "Late submission penalty (Score: -1.5)" in ours


def test_every_word_of_the_feedback_page_goes_through_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    nb, resources = _graded_notebook()
    set_language("mn")  # Babel writes the numbers; the words below come from `_`
    monkeypatch.setattr(feedback_html, "_", lambda message: f"«{message}»")
    page = _our_page(nb, resources)
    outside = re.sub(r"«[^»]*»", "", page)
    for label in ("Score", "Test cell", "Written response", "Coding free-response", "Student's answer",
                  "Student's task", "Comments:", "(Top)", "Late submission penalty", "Grade cell"):
        assert label not in outside, label
    assert "«Score: 2.5 / 6.0»" in page and "«Grade cell: <code>test-p1</code>»" in page
    assert "«Comments:»" in page and "«Late submission penalty (Score: -1.5)»" in page
