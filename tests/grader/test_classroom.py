"""The trainer's whole workflow in a real classroom: officers are real local accounts (issue 12).

init with --exchange; release; officers fetch and submit with nbgrader's plain commands as their
own accounts (no flags); collect; autograde; the formgrader started from a relative path, its token
absent from what another account sees in `ps`; manual grading through the formgrader's REST API;
feedback (fetched by the officer); report; export; a late officer added mid-course; the course
copied and the copy graded without touching the original. Needs root (useradd, runuser).
"""

from __future__ import annotations

import csv
import json
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from grader.cohort import course_state
from tests.grader.classroom import SYSTEM_PYTHON, Classroom, classroom, fingerprint
from tests.grader.cohortkit import flag_kinds, scores
from tests.realaccounts import require_accounts

LAB = "w1-01-passive-active"

pytestmark = [pytest.mark.slow]


def test_a_classroom_of_real_accounts(capsys: pytest.CaptureFixture[str]) -> None:
    require_accounts(str(SYSTEM_PYTHON))  # skips, or fails in CI (OSINTLAB_REQUIRE_ACCOUNTS=1), with the reason
    with classroom(3, LAB, late=1) as (room, late):
        full, half, absent = room.officers  # absent has a dotted login name and never submits
        _init_and_release(room)
        _officers_fetch_and_submit(room, {full: 1.0, half: 0.5})
        _collect_and_grade(room, absent)
        _formgrader_and_manual_grading(room, full, half)
        _feedback_report_export(room, full, half)
        _a_late_officer_joins(room, late[0])
        _a_copy_is_graded_alone(room, full)
        with capsys.disabled():
            print("\nclassroom step timings (s):", json.dumps({k: round(v, 2) for k, v in room.timings.items()}))


def _init_and_release(room: Classroom) -> None:
    roster = room.roster("roster.csv", room.officers)
    with room.step("init"):
        out = room.trainer("cohort", "init", str(room.course_rel), "--country", "MN", "--roster", roster.name,
                           "--exchange", str(room.exchange),
                           "--trainee-config", str(room.config_dir / "nbgrader_config.py")).stdout
    assert "Officers' accounts now fetch and submit" in out
    config = (room.config_dir / "nbgrader_config.py").read_text()
    assert f"c.Exchange.root = {str(room.exchange)!r}" in config and "mn-cohort" in config
    assert oct((room.config_dir / "nbgrader_config.py").stat().st_mode & 0o777) == "0o644"
    assert oct((room.course / "nbgrader_config.py").stat().st_mode & 0o777) == "0o600"
    due = (datetime.now() - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")  # everyone will be a little late
    with room.step("release"):
        out = room.trainer("cohort", "release", str(room.course_rel), LAB, "--workers", "2", "--due", due).stdout
    assert f"released to {len(room.officers)} trainees" in out


def _officers_fetch_and_submit(room: Classroom, fractions: dict[str, float]) -> None:
    for officer in room.officers:
        with room.step("officers fetch"):
            notebook = room.fetch(officer)
        assert notebook.stat().st_uid != 0, "the fetched lab belongs to the officer"
    # The fetched notebook opens the officer's own case, as the officer's account.
    code = f"import labs; print(labs.open_lab({LAB!r}).case_dir)"
    first = room.officers[0]
    found = room.as_officer(first, "sh", "-c", f"cd {LAB} && python -c {code!r}").stdout.strip()
    assert found.endswith(f"/{first}/case"), found
    for officer, fraction in fractions.items():
        room.work(officer, fraction)
        with room.step("officers submit"):
            room.submit(officer)
    listing = room.as_officer(first, "nbgrader", "list").stdout + room.as_officer(first, "nbgrader", "list").stderr
    assert LAB in listing


def _collect_and_grade(room: Classroom, absent: str) -> None:
    with room.step("collect"):
        out = room.trainer("cohort", "collect", str(room.course_rel), LAB).stdout
    assert f"2 of 3 trainees submitted, 0 flagged. Not submitted: {absent}." in out
    with room.step("autograde"):
        room.trainer("cohort", "autograde", str(room.course_rel), LAB, "--workers", "2")
    got = scores(room.course, LAB)
    full, half = room.officers[:2]
    assert got[full]["total"] == 6.0 and 0 < got[half]["total"] < 6 and absent not in got
    assert not flag_kinds(room.course, LAB, full) and not flag_kinds(room.course, LAB, half)


def _formgrader_and_manual_grading(room: Classroom, full: str, half: str) -> None:
    started = time.perf_counter()
    with room.formgrader() as (port, token, _):
        room.timings["formgrader start"] = time.perf_counter() - started
        seen_by_officer = room.as_officer(half, "ps", "-eo", "args").stdout
        assert "jupyter" in seen_by_officer and token not in seen_by_officer
        with room.step("manual grading (REST API)"):
            assert room.grade_written_answers(port, token, full, 3.0) == 1


def _feedback_report_export(room: Classroom, full: str, half: str) -> None:
    with room.step("feedback"):
        out = room.trainer("cohort", "feedback", str(room.course_rel), LAB).stdout
    assert "feedback released to 1 trainee." in out and f"(not graded yet): {half};" in out
    room.as_officer(full, "nbgrader", "fetch_feedback", LAB)
    feedback = sorted((room.home(full) / LAB / "feedback").glob(f"*/{LAB}.html"))
    assert feedback and "9.0 / 10.0" in feedback[0].read_text(encoding="utf-8")
    with room.step("report"):
        room.trainer("cohort", "report", str(room.course_rel))
    html = (room.course / "reports" / "cohort-report.html").read_text(encoding="utf-8")
    assert "late by" in html and "not graded yet" in html and "Late submissions (2)" in html
    refused = room.trainer("cohort", "export", str(room.course_rel), "--format", "csv", ok=False)
    assert refused.returncode == 2 and "provisional" in refused.stderr and "Traceback" not in refused.stderr
    with room.step("export"):
        room.trainer("cohort", "export", str(room.course_rel), "--format", "moodle", "--provisional", "--excel")
    rows = list(csv.reader((room.course / "reports" / "grades-moodle.csv").open(encoding="utf-8-sig")))
    assert rows[0] == ["Email address", "Passive or active? (max 10)", "Provisional"]
    assert rows[1][:2] == [f"{full}@training.example", "9"] and "provisional" in rows[2][2]


def _a_late_officer_joins(room: Classroom, late: str) -> None:
    roster = room.roster("late.csv", [late])
    with room.step("add a late officer"):
        out = room.trainer("cohort", "add", str(room.course_rel), "--roster", roster.name).stdout
    assert f"{LAB}: 1 new case variant." in out and late in out
    assert late in [t["trainee_id"] for t in course_state(room.course)["trainees"]]  # type: ignore[union-attr]
    room.fetch(late)
    room.work(late, 1.0)
    room.submit(late)
    room.trainer("cohort", "collect", str(room.course_rel), LAB)
    room.trainer("cohort", "autograde", str(room.course_rel), LAB)
    assert scores(room.course, LAB)[late]["total"] == 6.0


def _a_copy_is_graded_alone(room: Classroom, full: str) -> None:
    copy_rel = Path("courses") / "mn-cohort-copy"
    subprocess.run(["cp", "-a", str(room.course_rel), str(copy_rel)], cwd=room.base, check=True)
    before = fingerprint(room.course)
    with room.step("grade the copy"):
        room.trainer("cohort", "autograde", str(copy_rel), LAB, "--force")
        room.trainer("cohort", "report", str(copy_rel))
        room.trainer("cohort", "export", str(copy_rel), "--format", "csv", "--provisional")
    assert fingerprint(room.course) == before, "grading the copy touched the original"
    assert scores(room.base / copy_rel, LAB)[full]["total"] == 6.0
