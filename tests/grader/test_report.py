"""The cohort report and grade exports, on a really graded cohort (nbgrader gradebook, SQLite)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from grader.autograde import autograde
from grader.cohort import gradebook_url
from grader.export import export_grades
from grader.report import write_report
from grader.results import load_results
from grader.simulate import answered, place_submission
from osintlab.errors import UserError
from tests.grader.cohortkit import make_cohort

LAB = "w1-01-passive-active"
TRAINEES = ["mn-001", "mn-002", "mn-003", "mn-004"]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = make_cohort(tmp_path_factory.mktemp("report"), TRAINEES, [LAB])
    state = course / ".osintlab" / "course.json"
    # a roster name with markup and one in Cyrillic, as a real roster may have
    text = state.read_text(encoding="utf-8").replace("Officer MN-001", "<script>alert(1)</script>")
    state.write_text(text.replace("Officer MN-002", "Батбаярын Сарангэрэл"), encoding="utf-8")
    place_submission(course, LAB, "mn-001", answered(course, LAB, answers_of="mn-001"))
    place_submission(course, LAB, "mn-002", answered(course, LAB, answers_of="mn-002", fraction=0.5))
    place_submission(course, LAB, "mn-003", '{"cells": [')  # broken: flagged, not graded
    autograde(course, LAB, workers=1)
    return course


def _give_manual_points(course: Path, trainee: str, points: float) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(gradebook_url(course)) as gb:
        grade = gb.find_grade("justification", LAB, LAB, trainee)
        grade.manual_score = points
        grade.needs_manual_grade = False  # what the formgrader does when a trainer saves a grade
        gb.db.commit()


def test_results_follow_the_stated_rules(course: Path) -> None:
    r = load_results(course)
    assert [s.id for s in r.labs] == [LAB] and r.max_score[LAB] == 10.0
    full, half = r.result("mn-001", LAB), r.result("mn-002", LAB)
    assert (full.submitted, full.auto, full.pending_manual, full.pending_points) == (True, 6.0, True, 4.0)
    assert half.submitted and 0 < half.auto < 6
    assert not r.result("mn-003", LAB).submitted and not r.result("mn-004", LAB).submitted
    # the 4 points of the written answer nobody has graded yet are not a 0: they are left out, provisionally
    assert r.skill_percent("mn-001", "passive-active") == pytest.approx(100.0)
    assert r.provisional("mn-001", r.labs) and not r.provisional("mn-004", r.labs)
    assert r.skill_percent("mn-004", "passive-active") == 0.0  # released, not submitted: counts 0
    assert r.workshop_percent("mn-001", 2) is None  # nothing released in W2 yet
    assert r.lab_average(LAB) == pytest.approx(100 * (6 + half.auto) / 12)
    assert set(r.pending) == {("mn-001", LAB), ("mn-002", LAB)}
    assert ("mn-003" in {t for _, t, f in r.flags if f.kind == "corrupted"})


def test_pending_grading_is_never_a_zero(course: Path, tmp_path: Path) -> None:
    html = write_report(course, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "6* / 10" in html and "not graded yet" in html
    skills = {row["trainee_id"]: row for row in csv.DictReader((tmp_path / "skills.csv").open(encoding="utf-8"))}
    assert skills["mn-001"]["passive-active"] == "100.0" and skills["mn-001"]["provisional"] == "yes"
    refused = r"2 lab totals are provisional.*mn-001 \(w1-01-passive-active\).*--provisional"
    with pytest.raises(UserError, match=refused):
        export_grades(course, "csv", tmp_path / "refused.csv")
    assert not (tmp_path / "refused.csv").exists()
    rows = list(csv.DictReader(export_grades(course, "csv", tmp_path / "p.csv", provisional=True).open()))
    assert rows[0][LAB] == "6" and "provisional, written answers not graded yet" in rows[0]["notes"]
    moodle = list(csv.reader(export_grades(course, "moodle", tmp_path / "m.csv", provisional=True).open()))
    assert moodle[0][-1] == "Provisional" and "provisional" in moodle[1][-1]


def test_feedback_waits_for_manual_grading(course: Path) -> None:
    from grader.feedback import feedback

    line = feedback(course, LAB)[0]
    assert "released to 0 trainees" in line and "Waiting for manual grading (not graded yet): mn-001, mn-002" in line
    assert not list((course / "feedback").glob(f"*/{LAB}/*.html"))


def test_manual_points_count_and_clear_the_pending_list(course: Path) -> None:
    from grader.feedback import feedback

    _give_manual_points(course, "mn-001", 3.0)
    r = load_results(course)
    assert r.result("mn-001", LAB).total == 9.0 and ("mn-001", LAB) not in r.pending
    assert not r.provisional("mn-001", r.labs)
    line = feedback(course, LAB)[0]
    assert "not graded yet): mn-002;" in line and "feedback over from" in line and "feedback: mn-001." in line
    html = next((course / "feedback" / "mn-001" / LAB).glob("*.html")).read_text(encoding="utf-8")
    assert "9.0 / 10.0" in html or "9 / 10" in html


def test_html_report_is_complete_and_escaped(course: Path) -> None:
    path = write_report(course)
    html = path.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "Батбаярын Сарангэрэл" in html
    assert "not submitted" in html and "not graded: see flags" in html and "manual grading pending" in html
    assert "corrupted" in html and "Flags to review (1)" in html
    assert "data:image/png;base64," in html and "Workshop 2" in html and "not yet" in html
    for name in ("scores.csv", "skills.csv", "flags.csv"):
        assert (path.parent / name).is_file()
    assert (path.parent / "skills-heatmap.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    skills = list(csv.DictReader((path.parent / "skills.csv").open(encoding="utf-8")))
    assert [row["trainee_id"] for row in skills] == TRAINEES


def test_report_to_a_chosen_path(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "w1.html"
    assert write_report(course, out) == out and (out.parent / "flags.csv").is_file()


def test_csv_export(course: Path) -> None:
    rows = list(csv.DictReader(export_grades(course, "csv", provisional=True).open(encoding="utf-8")))
    assert [r["trainee_id"] for r in rows] == TRAINEES
    assert rows[0][LAB] == "9" and rows[0]["percent"] == "90.0" and rows[1]["name"] == "Батбаярын Сарангэрэл"
    assert rows[0]["notes"] == "" and rows[1]["notes"]
    assert rows[2][LAB] == "" and rows[3][LAB] == ""


def test_excel_friendly_csv(course: Path, tmp_path: Path) -> None:
    data = export_grades(course, "csv", tmp_path / "excel.csv", provisional=True, excel=True).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # a UTF-8 BOM: Excel on Windows reads UTF-8
    assert "Батбаярын Сарангэрэл".encode() in data
    assert not export_grades(course, "csv", tmp_path / "plain.csv", provisional=True).read_bytes().startswith(b"\xef")
    write_report(course, tmp_path / "r" / "report.html", excel=True)
    assert (tmp_path / "r" / "scores.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_moodle_export_and_missing_email(course: Path, tmp_path: Path) -> None:
    path = export_grades(course, "moodle", tmp_path / "moodle.csv", provisional=True)
    header, first = list(csv.reader(path.open(encoding="utf-8")))[:2]
    assert header[:2] == ["Email address", "Passive or active? (max 10)"]  # the grade item and its maximum
    assert first[:2] == ["mn-001@training.example", "9"]
    state = course / ".osintlab" / "course.json"
    saved = state.read_text(encoding="utf-8")
    try:
        state.write_text(saved.replace("mn-004@training.example", ""), encoding="utf-8")
        with pytest.raises(UserError, match="these have none in the roster: mn-004"):
            export_grades(course, "moodle", tmp_path / "moodle2.csv", provisional=True)
        assert not (tmp_path / "moodle2.csv").exists()
    finally:
        state.write_text(saved, encoding="utf-8")


def test_not_a_course(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="is not a cohort course"):
        write_report(tmp_path)
    with pytest.raises(UserError, match="is not a cohort course"):
        export_grades(tmp_path, "csv")


def test_the_progress_plot_is_readable_at_30_officers() -> None:
    import random
    import struct

    from grader.report import _progress_png
    from grader.results import CohortResults, LabResult
    from labs import catalogue

    labs = [s for s in catalogue.discover() if int(s.data["workshop"]) == 1]
    trainees = [{"trainee_id": f"mn-{i:03d}", "name": "", "agency": "", "email": ""} for i in range(1, 31)]
    rng = random.Random(1)
    results = {(t["trainee_id"], s.id): LabResult(True, auto=rng.uniform(0, 10), max_score=10.0)
               for t in trainees for s in labs}
    import matplotlib

    fonts_before = list(matplotlib.rcParams["font.family"])
    png = _progress_png(CohortResults("c", "MN", trainees, labs, {s.id: 10.0 for s in labs}, results))
    assert png is not None
    assert matplotlib.rcParams["font.family"] == fonts_before  # the report's fonts stay in its own figures
    width, height = struct.unpack(">II", png[16:24])
    assert height >= 30 * 28 and width >= 700  # one labelled row per officer, not a column of dots
