"""A course folder is self-contained: no file names the folder, a copy is a separate course, a moved
course keeps working (issue 12, problem 4)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from grader.autograde import autograde
from grader.cohort import gradebook_url
from grader.export import export_grades
from grader.release import release
from grader.report import write_report
from grader.simulate import answered, place_submission
from grader.variants import cases_root
from labs.runtime import POINTER_FILE
from tests.grader.cohortkit import make_cohort, scores

LAB = "w1-01-passive-active"
TRAINEES = ["mn-001", "mn-002"]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = make_cohort(tmp_path_factory.mktemp("folder"), TRAINEES, [LAB])
    place_submission(course, LAB, "mn-001", answered(course, LAB, answers_of="mn-001", fraction=0.5))
    autograde(course, LAB, workers=1)
    return course


def _fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_no_file_names_the_course_folder(course: Path) -> None:
    named = [p for p in course.rglob("*") if p.is_file() and str(course).encode() in p.read_bytes()]
    # Only the released labs' pointers do: trainees' notebooks find their case in the exchange by it.
    assert named and {p.name for p in named} == {POINTER_FILE}
    assert gradebook_url(course) == f"sqlite:///{course / 'gradebook.db'}"


def test_a_copy_is_a_separate_course(course: Path) -> None:
    copy = course.parent / "copy"
    subprocess.run(["cp", "-a", str(course), str(copy)], check=True)
    before = _fingerprint(course)
    place_submission(copy, LAB, "mn-001", answered(copy, LAB, answers_of="mn-001"))  # the full answer, in the copy
    autograde(copy, LAB, workers=2)
    write_report(copy)
    export_grades(copy, "csv", provisional=True)
    release(copy, LAB, workers=1)  # rewrites the copy's pointers to its own exchange
    assert _fingerprint(course) == before, "grading the copy changed the original"
    assert scores(copy, LAB)["mn-001"]["total"] == 6.0 and scores(course, LAB)["mn-001"]["total"] < 6.0
    pointer = json.loads((copy / "release" / LAB / POINTER_FILE).read_text())
    assert pointer["cohort_cases"] == str(cases_root(copy, LAB)) and str(copy) in pointer["cohort_cases"]
    shutil.rmtree(copy)


def test_a_moved_course_keeps_working(course: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere" / "course"
    moved.parent.mkdir()
    shutil.copytree(course, moved, symlinks=True)  # as `mv` to another disk does: the old folder is gone
    hidden = course.parent / "gone"
    course.rename(hidden)
    try:
        assert write_report(moved).is_file()
        assert "6 to grade" not in autograde(moved, LAB, workers=1)[0]  # its grades were found where it is now
        place_submission(moved, LAB, "mn-002", answered(moved, LAB, answers_of="mn-002"))
        autograde(moved, LAB, workers=1)
        assert scores(moved, LAB)["mn-002"]["total"] == 6.0
    finally:
        hidden.rename(course)
