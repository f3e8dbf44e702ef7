"""The cohort report and grade exports, on a really graded cohort (nbgrader gradebook, SQLite)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from grader.autograde import autograde
from grader.cohort import gradebook_url
from grader.export import export_grades
from grader.report import PARTS_COLUMNS, write_report
from grader.results import load_results
from grader.simulate import answered, place_submission
from osintlab.errors import UserError
from tests.grader.cohortkit import make_cohort, scores

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

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


def _parts_rows(folder: Path) -> dict[tuple[str, str, str], dict[str, str]]:
    with (folder / "parts.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == list(PARTS_COLUMNS)  # the header names every column, in the rows' order
        rows = list(reader)
    assert all(None not in row and len(row) == len(PARTS_COLUMNS) for row in rows)  # no row longer or shorter
    return {(row["trainee_id"], row["lab"], row["part"]): row for row in rows}


def test_parts_csv_pending_written_answers_are_not_zero(course: Path, tmp_path: Path) -> None:
    write_report(course, tmp_path / "r.html")
    rows = _parts_rows(tmp_path)
    assert len(rows) == len(TRAINEES) * 2  # w1-01: one hidden test and one written answer per officer
    actions, written = rows[("mn-001", LAB, "actions")], rows[("mn-001", LAB, "justification")]
    assert (actions["points"], actions["max"], actions["kind"], actions["manual_pending"]) == ("6", "6", "auto", "no")
    assert actions["step"] == "Step 2: check your answer"  # the notebook step the part is in
    assert (written["points"], written["max"], written["kind"], written["manual_pending"]) == ("", "4", "manual", "yes")
    # mn-002's points are the gradebook's own for that grade cell, and its parts add up to the lab's auto points
    half = rows[("mn-002", LAB, "actions")]
    assert float(half["points"]) == scores(course, LAB)["mn-002"]["test-actions"] < 6
    assert float(half["points"]) == load_results(course).result("mn-002", LAB).auto
    assert rows[("mn-002", LAB, "justification")]["points"] == ""
    # broken and missing submissions: not submitted, counting 0 as in scores.csv, never pending
    for trainee in ("mn-003", "mn-004"):
        for part in ("actions", "justification"):
            row = rows[(trainee, LAB, part)]
            assert (row["submitted"], row["points"], row["manual_pending"]) == ("no", "0", "no")


def test_report_parts_section_marks_pending(course: Path, tmp_path: Path) -> None:
    html = write_report(course, tmp_path / "r.html").read_text(encoding="utf-8")
    section = html[html.index("Scores per part"):html.index("Skills heatmap")]
    assert 'id="parts-w1-01-passive-active"' in section and "Step 3: explain two decisions" in section
    assert "2 not graded yet" in section  # the justification of mn-001 and mn-002
    assert "not graded: see flags" in section and "not submitted" in section  # mn-003 (broken), mn-004
    justification_column = section.count('<span class="warn">not graded yet</span>')
    assert justification_column == 2  # one per officer who submitted, never a 0
    # the hidden test: median and mean over mn-001 (6) and mn-002 (fewer), 1 of 2 below half
    half = scores(course, LAB)["mn-002"]["test-actions"]
    assert f"{(6 + half) / 2:g}" in section
    assert "1 of 2" in section if half < 3 else "0 of 2" in section


def test_parts_csv_is_written_atomically(course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    write_report(course, tmp_path / "r.html", excel=True)
    before = (tmp_path / "parts.csv").read_bytes()
    assert before.startswith(b"\xef\xbb\xbf") and b"\r\n" in before  # Excel's BOM, as scores.csv
    real_replace = os.replace

    def crash_on_parts(src: object, dst: object) -> None:
        if Path(str(dst)).name == "parts.csv":
            raise OSError("disk full")  # the moment a non-atomic write would have left half a file
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_parts)
    with pytest.raises(OSError, match="disk full"):
        write_report(course, tmp_path / "r.html")  # without --excel: every byte of parts.csv would differ
    assert (tmp_path / "parts.csv").read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".parts.csv")]  # no temporary left


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


def test_graded_written_part_has_its_points(course: Path, tmp_path: Path) -> None:
    # after test_manual_points_count_and_clear_the_pending_list gave mn-001 3 of 4 in the formgrader's way
    write_report(course, tmp_path / "r.html")
    rows = _parts_rows(tmp_path)
    written = rows[("mn-001", LAB, "justification")]
    assert (written["points"], written["manual_pending"]) == ("3", "no")
    assert rows[("mn-002", LAB, "justification")]["manual_pending"] == "yes"


def test_html_report_is_complete_and_escaped(course: Path) -> None:
    path = write_report(course)
    html = path.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "Батбаярын Сарангэрэл" in html
    assert "not submitted" in html and "not graded: see flags" in html and "manual grading pending" in html
    assert "corrupted" in html and "Flags to review (1)" in html
    assert "data:image/png;base64," in html and "Workshop 2" in html and "not yet" in html
    for name in ("scores.csv", "skills.csv", "flags.csv", "parts.csv"):
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


W103 = "w1-03-search-operators"


@pytest.fixture(scope="module")
def search_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """W1-03, three hidden tests of different points (query 3, pages 5, posts 2): a wrong part's points show."""
    course = make_cohort(tmp_path_factory.mktemp("parts"), ["mn-001", "mn-002"], [W103])
    place_submission(course, W103, "mn-001", answered(course, W103, answers_of="mn-001"))
    notebook = answered(course, W103, answers_of="mn-002")
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer-posts":
            cell.source = "posts = []"  # task 2 left out: the other parts stay right
    place_submission(course, W103, "mn-002", notebook)
    autograde(course, W103, workers=1)
    return course


def test_each_part_has_its_own_points(search_course: Path, tmp_path: Path) -> None:
    write_report(search_course, tmp_path / "r.html")
    rows = _parts_rows(tmp_path)
    got = {(t, part): (row["points"], row["max"]) for (t, _lab, part), row in rows.items()}
    assert got == {("mn-001", "query"): ("3", "3"), ("mn-001", "pages"): ("5", "5"), ("mn-001", "posts"): ("2", "2"),
                   ("mn-002", "query"): ("3", "3"), ("mn-002", "pages"): ("5", "5"), ("mn-002", "posts"): ("0", "2")}
    # the parts in the notebook's order, each with its step, as the gradebook's own grade cells score them
    assert [part for (t, _lab, part) in rows if t == "mn-001"] == ["query", "pages", "posts"]
    assert rows[("mn-001", W103, "pages")]["step"] == "Step 3: the pages"
    cells = scores(search_course, W103)
    for (trainee, _lab, part), row in rows.items():
        assert float(row["points"]) == cells[trainee][f"test-{part}"]
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "The cohort loses most points in <strong>posts</strong>: 50 % of its points on average." in html


def _thirty_officers() -> tuple[object, object]:
    """A Workshop 1 cohort of 30 officers with every part's points drawn at random, some written answers
    not graded yet, one failed grading and one officer who did not submit."""
    import random

    import nbformat

    from grader.report import LabParts, Part, PartScore, _part_id
    from grader.results import CohortResults, LabResult
    from labs import catalogue

    labs = [s for s in catalogue.discover() if int(s.data["workshop"]) == 1]
    trainees = [{"trainee_id": f"mn-{i:03d}", "name": f"Officer {i}", "agency": "Police", "email": ""}
                for i in range(1, 31)]
    rng = random.Random(30)
    parts: dict[str, list[Part]] = {}
    for spec in labs:
        cells = [c.metadata["nbgrader"] for c in nbformat.read(spec.notebook, as_version=4).cells
                 if c.metadata.get("nbgrader", {}).get("grade")]
        parts[spec.id] = [Part(_part_id(m["grade_id"], bool(m["solution"])), m["grade_id"], "Step: a heading",
                               float(m["points"]), bool(m["solution"])) for m in cells]
    grades, results = {}, {}
    for t in trainees[:-1]:
        for spec in labs:
            auto = manual = pending = 0.0
            for part in parts[spec.id]:
                if part.manual and rng.random() < 0.3:
                    grades[(t["trainee_id"], spec.id, part.grade_id)] = PartScore(None, pending=True)
                    pending += part.max_score
                    continue
                points = float(rng.randint(0, int(part.max_score)))
                grades[(t["trainee_id"], spec.id, part.grade_id)] = PartScore(points)
                manual, auto = (manual + points, auto) if part.manual else (manual, auto + points)
            total = sum(p.max_score for p in parts[spec.id])
            results[(t["trainee_id"], spec.id)] = LabResult(True, auto=auto, manual=manual, max_score=total,
                                                            pending_manual=pending > 0, pending_points=pending,
                                                            failed=t["trainee_id"] == "mn-007")
    max_score = {s.id: sum(p.max_score for p in parts[s.id]) for s in labs}
    return CohortResults("mn-2026-cohort1", "MN", trainees, labs, max_score, results), LabParts(parts, grades)


def test_thirty_officers_render(tmp_path: Path) -> None:
    import re
    import statistics

    from grader.report import render

    r, parts = _thirty_officers()
    html = render(r, None, None, parts)  # type: ignore[arg-type]
    for spec in r.labs:  # type: ignore[attr-defined]
        start = html.index(f'id="parts-{spec.id}"')
        block = html[start:html.index("</details>", start)]
        assert len(re.findall(r"<tr><td>mn-\d{3}</td>", block)) == 30
        assert "grading failed: see flags" in block and "not submitted" in block
        first = parts.parts[spec.id][0]  # type: ignore[attr-defined]
        known = [g.points for (t, lab, part), g in parts.grades.items()  # type: ignore[attr-defined]
                 if lab == spec.id and part == first.grade_id and t != "mn-007" and g.points is not None]
        median_row = block[block.index("Median"):block.index("</tr>", block.index("Median"))]
        assert re.findall(r"<td[^>]*>([^<]*)</td>", median_row)[0] == f"{statistics.median(known):g}"
        mean_row = block[block.index("Mean"):block.index("</tr>", block.index("Mean"))]
        assert re.findall(r"<td[^>]*>([^<]*)</td>", mean_row)[0] == f"{round(statistics.fmean(known), 1):g}"
    (tmp_path / "cohort-report.html").write_text(html, encoding="utf-8")


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by scripts/setup.sh")
def test_thirty_officers_in_a_browser(tmp_path: Path) -> None:
    """The parts section at 1366x768 in Debian's chromium: every lab's tables fit the width, a lab's
    officer list opens (screenshots in test-artifacts/)."""
    from playwright.sync_api import sync_playwright

    from grader.report import render

    r, parts = _thirty_officers()
    page_file = tmp_path / "cohort-report.html"
    page_file.write_text(render(r, None, None, parts), encoding="utf-8")  # type: ignore[arg-type]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else route.abort())
        page.goto(page_file.as_uri())
        lab = page.locator("#parts-w1-03-search-operators")
        lab.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "report-parts-stats.png"))
        widths = page.eval_on_selector_all("table.parts", "tables => tables.map(t => t.getBoundingClientRect().right)")
        assert widths and max(widths) <= 1366
        summary = page.get_by_text("Each officer's points in w1-03-search-operators")
        summary.click()
        rows = page.locator("details[open] table.parts tr")
        assert rows.count() == 31 and rows.nth(5).is_visible()
        summary.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "report-parts-officers.png"))
        browser.close()
