"""Workshop 2 through the trainer's workflow with real nbgrader and the grading sandbox: release
W2 (every lab, own cases), simulated submissions, autograde, and a report that shows the W2
skills and the progress from W1 to W2."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from grader.simulate import answered, place_submission
from grader.variants import trainee_case, variant_dir
from labs import catalogue
from osintlab.cli import main
from tests.grader.cohortkit import scores

W2 = [s.id for s in catalogue.discover() if int(s.data["workshop"]) == 2]
W1_LAB = "w1-01-passive-active"
TRAINEES = ["mn-101", "mn-102", "mn-103"]


def _run(*args: str) -> None:
    assert main(list(args)) == 0, args


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("w2cohort")
    roster = root / "roster.csv"
    roster.write_text("trainee_id,name,agency,email\n" + "".join(
        f"{t},Officer {t},Police,{t}@training.example\n" for t in TRAINEES), encoding="utf-8")
    course = root / "course"
    _run("cohort", "init", str(course), "--country", "MN", "--roster", str(roster))
    _run("cohort", "release", str(course), W1_LAB, "--workers", "2")
    _run("cohort", "release", str(course), "W2", "--workers", "2")
    for lab in [W1_LAB, *W2]:
        place_submission(course, lab, "mn-101", answered(course, lab, answers_of="mn-101"))
        place_submission(course, lab, "mn-102", answered(course, lab, answers_of="mn-102", fraction=0.5))
    place_submission(course, W1_LAB, "mn-103", answered(course, W1_LAB, answers_of="mn-103"))
    _run("cohort", "autograde", str(course), W1_LAB, "--workers", "2")
    _run("cohort", "autograde", str(course), "W2", "--workers", "2")
    _run("cohort", "report", str(course))
    return course


@pytest.mark.slow
def test_release_w2_gives_each_trainee_a_case_of_every_lab(course: Path) -> None:
    assert len(W2) >= 5
    seeds = set()
    for lab in W2:
        for trainee in TRAINEES:
            assert (variant_dir(course, lab, trainee) / "case" / "lab.json").is_file(), (lab, trainee)
            assert (trainee_case(course, lab, trainee) / "lab.json").is_file(), (lab, trainee)
            assert not (trainee_case(course, lab, trainee).parent / "key").exists()
            seeds.add(json.loads((variant_dir(course, lab, trainee) / "variant.json").read_text())["seed"])
    assert len(seeds) == len(W2) * len(TRAINEES)  # every trainee, every lab: a case of its own


@pytest.mark.slow
def test_w2_grades_follow_the_work(course: Path) -> None:
    for lab in W2:
        got = scores(course, lab)
        top = catalogue.get(lab).points
        assert got["mn-101"]["total"] == pytest.approx(top), (lab, got["mn-101"])
        assert 0 < got["mn-102"]["total"] < top, (lab, got["mn-102"])


@pytest.mark.slow
def test_report_shows_w2_skills_and_progress(course: Path) -> None:
    reports = course / "reports"
    skills = list(csv.DictReader((reports / "skills.csv").open(encoding="utf-8")))
    header = set(skills[0])
    assert {"digital-footprint", "images", "social-media"} <= header
    by_trainee = {row["trainee_id"]: row for row in skills}
    assert float(by_trainee["mn-101"]["digital-footprint"]) > 80  # written answers wait for the trainer
    assert by_trainee["mn-103"]["digital-footprint"] in ("", "0.0")
    html = (reports / "cohort-report.html").read_text(encoding="utf-8")
    assert "Digital footprint" in html and (reports / "progress.png").is_file()
