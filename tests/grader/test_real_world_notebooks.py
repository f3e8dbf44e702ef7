"""Notebooks as officers' editors really save them (issue 12's table): each a minimal input, graded for real.

- VS Code turns a code cell into markdown and keeps its `outputs` (invalid nbformat): graded as
  nbgrader grades it, with a note;
- an answer cell pasted twice keeps its grade_id in both copies (nbgrader 0.9 stops with
  KeyError 'grade_id'): the last copy is graded and the duplicate flagged;
- a syntax error in an answer: flagged, not a silent 0;
- a submission whose grading fails is never exported as 0.
"""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_output

from grader.autograde import autograde
from grader.collect import find_submission
from grader.export import export_grades
from grader.results import load_results
from grader.simulate import answered, place_submission
from labs import catalogue
from tests.grader.cohortkit import flag_kinds, make_cohort, scores

LAB = "w1-01-passive-active"
TRAINEES = ["mn-001", "mn-002", "mn-003", "mn-004", "mn-005"]


def _answer_index(nb: nbformat.NotebookNode) -> int:
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code")


def _vscode_retyped(course: Path) -> str:
    """The officer ran a scratch search, then VS Code turned that cell into markdown, keeping its outputs."""
    nb = answered(course, LAB, answers_of="mn-001")
    scratch = _answer_index(nb)
    nb.cells.insert(scratch, new_code_cell("lab.search('visa')", execution_count=3,
                                           outputs=[new_output("stream", text="3 results\n")]))
    raw = json.loads(nbformat.writes(nb))
    raw["cells"][scratch]["cell_type"] = "markdown"  # what VS Code writes: outputs and execution_count stay
    return json.dumps(raw)


def _pasted_twice(course: Path, trainee: str) -> nbformat.NotebookNode:
    """The answer cell copied below itself (the copy keeps its grade_id); the copy holds the answer."""
    nb = answered(course, LAB, answers_of=trainee)
    index = _answer_index(nb)
    first = copy.deepcopy(nbformat.read(course / "release" / LAB / f"{LAB}.ipynb", 4).cells[index])
    first.id = "pasted-first"
    nb.cells.insert(index, first)  # the blank original stays above, the answered copy is the last one
    return nb


def _syntax_error(course: Path) -> nbformat.NotebookNode:
    nb = answered(course, LAB, answers_of="mn-003")
    nb.cells[_answer_index(nb)].source += "\nif answer = 3:\n    pass\n"
    return nb


def _breaks_nbgrader(course: Path) -> nbformat.NotebookNode:
    """A cell with nbgrader metadata but no grade_id: nbgrader itself cannot grade the notebook."""
    nb = answered(course, LAB, answers_of="mn-004")
    nb.cells.append(new_code_cell("x = 1", metadata={"nbgrader": {"solution": True, "grade": False}}))
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = make_cohort(tmp_path_factory.mktemp("real-world"), TRAINEES, [LAB])
    place_submission(course, LAB, "mn-001", _vscode_retyped(course))
    place_submission(course, LAB, "mn-002", _pasted_twice(course, "mn-002"))
    place_submission(course, LAB, "mn-003", _syntax_error(course))
    place_submission(course, LAB, "mn-004", _breaks_nbgrader(course))
    place_submission(course, LAB, "mn-005", answered(course, LAB, answers_of="mn-005"))
    autograde(course, LAB, workers=2)
    return course


def test_a_vscode_notebook_is_graded_with_a_note(course: Path) -> None:
    sub = find_submission(course, catalogue.get(LAB), "mn-001")
    assert sub is not None and sub.gradable
    assert scores(course, LAB)["mn-001"]["total"] == 6.0
    assert flag_kinds(course, LAB, "mn-001") == {"format-note"}
    graded = nbformat.read(course / "autograded" / "mn-001" / LAB / f"{LAB}.ipynb", 4)
    nbformat.validate(graded)  # the graded copy is a valid notebook again


def test_a_pasted_answer_cell_grades_the_last_copy(course: Path) -> None:
    assert scores(course, LAB)["mn-002"]["total"] == 6.0  # the answered (last) copy counted
    assert flag_kinds(course, LAB, "mn-002") == {"duplicate-cell"}
    detail = json.loads((course / ".osintlab" / "flags" / LAB / "mn-002.json").read_text())["stages"]["inspect"][0]
    assert "appears 2 times" in detail["detail"] and "last copy was graded" in detail["detail"]


def test_a_syntax_error_in_an_answer_is_flagged(course: Path) -> None:
    assert scores(course, LAB)["mn-003"]["total"] == 0.0
    flags = json.loads((course / ".osintlab" / "flags" / LAB / "mn-003.json").read_text())["stages"]["inspect"]
    assert [f["kind"] for f in flags] == ["syntax-error"]
    # the line of the broken `if answer = 3:` in the cell as the officer left it
    submitted = nbformat.read(course / "submitted" / "mn-003" / LAB / f"{LAB}.ipynb", 4)
    source = submitted.cells[_answer_index(submitted)].source
    line = source.splitlines().index("if answer = 3:") + 1
    assert f"line {line}: invalid syntax" in flags[0]["detail"] and flags[0]["cell"] == "answer-actions"


def test_a_failed_grading_is_never_exported_as_zero(course: Path, tmp_path: Path) -> None:
    assert "grading-failed" in flag_kinds(course, LAB, "mn-004")
    result = load_results(course).result("mn-004", LAB)
    assert result.failed and result.provisional
    rows = {r["trainee_id"]: r for r in csv.DictReader(
        export_grades(course, "csv", tmp_path / "grades.csv", provisional=True).open(encoding="utf-8"))}
    assert rows["mn-004"][LAB] == "" and "grading failed" in rows["mn-004"]["notes"]
    assert rows["mn-005"][LAB] == "6"
    moodle = list(csv.reader(export_grades(course, "moodle", tmp_path / "m.csv", provisional=True).open()))
    assert [row[1] for row in moodle if row[0] == "mn-004@training.example"] == [""]
