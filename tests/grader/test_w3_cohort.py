"""Workshop 3 in a real cohort: `osintlab cohort release DIR W3` releases all seven labs with a case
per officer; the cooperation request and the capstone are autograded in the sandbox (the answers
scored outside the kernel); the report shows each officer's progress from W1 to W3 per skill."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from grader.autograde import autograde
from grader.results import load_results
from grader.simulate import answered, place_submission
from grader.variants import trainee_case
from labs import catalogue
from osintlab.cli import main
from tests.grader.cohortkit import make_cohort, scores

pytestmark = pytest.mark.slow

W1_LAB = "w1-01-passive-active"
GRADED = ["w3-06-cooperation-request", "w3-07-case-report"]
TRAINEES = ["mn-101", "mn-102"]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = make_cohort(tmp_path_factory.mktemp("w3cohort"), TRAINEES, [W1_LAB])
    assert main(["cohort", "release", str(course), "W3", "--workers", "2"]) == 0
    for lab in [W1_LAB, *GRADED]:
        place_submission(course, lab, "mn-101", answered(course, lab, answers_of="mn-101"))
        place_submission(course, lab, "mn-102", answered(course, lab, answers_of="mn-102", fraction=0.5))
        autograde(course, lab, workers=2)
    assert main(["cohort", "report", str(course)]) == 0
    return course


def test_release_w3_gives_every_officer_a_case_in_all_seven_labs(course: Path) -> None:
    w3 = sorted(s.id for s in catalogue.discover() if int(s.data["workshop"]) == 3)
    assert len(w3) == 7 and sorted(p.name for p in (course / "release").iterdir() if p.name.startswith("w3-")) == w3
    for lab in w3:
        cases = [trainee_case(course, lab, t) / "lab.json" for t in TRAINEES]
        assert all(c.is_file() for c in cases) and cases[0].read_bytes() != cases[1].read_bytes(), lab


def test_the_request_and_the_capstone_are_graded_outside_the_kernel(course: Path) -> None:
    request, report = scores(course, GRADED[0]), scores(course, GRADED[1])
    assert request["mn-101"]["total"] == 12.0 and report["mn-101"]["total"] == 16.0
    assert 0 < request["mn-102"]["total"] < 12 and 0 < report["mn-102"]["total"] < 16
    results = load_results(course)
    assert results.result("mn-101", GRADED[1]).pending_manual  # the analysis waits for a trainer


def test_the_report_shows_progress_from_w1_to_w3_per_officer_and_skill(course: Path) -> None:
    results = load_results(course)
    assert results.workshop_percent("mn-101", 1) is not None and results.workshop_percent("mn-101", 3) is not None
    assert results.workshop_percent("mn-101", 2) is None
    w1, w3 = (results.skill_workshop_percent("mn-101", "law-ethics", w) for w in (1, 3))
    assert w1 is not None and w3 is not None
    html = (course / "reports" / "cohort-report.html").read_text(encoding="utf-8")
    assert "Progress per officer and skill" in html and "W1 " in html and " → W3 " in html
    with (course / "reports" / "skills-progress.csv").open(encoding="utf-8") as handle:
        rows = {(r["trainee_id"], r["skill"]): r for r in csv.DictReader(handle)}
    assert float(rows["mn-101", "law-ethics"]["W1"]) == pytest.approx(w1, abs=0.05)
    assert rows["mn-101", "law-ethics"]["W2"] == ""
    assert float(rows["mn-101", "law-ethics"]["W3"]) == pytest.approx(w3, abs=0.05)
