"""`osintlab cohort init`: the nbgrader course, its gradebook, trainees and the course secret."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader.cohort import course_state, read_roster, read_secret
from osintlab.cli import main

GOOD = """trainee_id,name,agency,email
mn-001,Officer A. Enkhjargal,Police,a.enkhjargal@training.example
mn-002,Officer B. Tuvshin,Immigration,b.tuvshin@training.example
mn-003,Officer C. Saraa,Cybercrime,
"""


def roster(tmp_path: Path, text: str = GOOD) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_init_creates_a_standard_nbgrader_course(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    course = tmp_path / "mn-2026-cohort1"
    assert main(["cohort", "init", str(course), "--country", "mn", "--roster", str(roster(tmp_path))]) == 0
    assert "3 trainees" in capsys.readouterr().out
    for name in ("source", "release", "submitted", "autograded", "feedback", "nbgrader_config.py", "gradebook.db"):
        assert (course / name).exists(), name
    config = (course / "nbgrader_config.py").read_text()
    assert "add_missing_cells = True" in config and str(course) not in config  # found relative to the file
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        students = {s.id: s for s in gradebook.students}
    assert set(students) == {"mn-001", "mn-002", "mn-003"}
    assert students["mn-002"].email == "b.tuvshin@training.example"
    state = course_state(course)
    assert state["country"] == "MN" and len(state["trainees"]) == 3


def test_secret_is_random_and_readable_only_by_the_trainer(tmp_path: Path) -> None:
    for name in ("a", "b"):
        main(["cohort", "init", str(tmp_path / name), "--country", "MN", "--roster", str(roster(tmp_path))])
    secret = tmp_path / "a" / ".osintlab" / "secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(secret.parent.stat().st_mode) == 0o700
    assert len(read_secret(tmp_path / "a")) == 32
    assert read_secret(tmp_path / "a") != read_secret(tmp_path / "b")


def test_bad_roster_lists_every_bad_row_and_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = roster(tmp_path, GOOD + "MN 004,Officer D,Police,d@training.example\nmn-001,,Police,not-an-email\n")
    course = tmp_path / "course"
    assert main(["cohort", "init", str(course), "--country", "MN", "--roster", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 5: trainee_id 'MN 004'" in err
    assert "line 6: trainee_id 'mn-001' is already used on line 2" in err
    assert "line 6: name is empty" in err and "line 6: email 'not-an-email'" in err
    assert "Traceback" not in err
    assert not course.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["roster.csv"]


def test_missing_column_and_unknown_country(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(Exception, match=r"missing columns agency, email"):
        read_roster(roster(tmp_path, "trainee_id,name\nmn-001,A\n"))
    assert main(["cohort", "init", str(tmp_path / "c"), "--country", "XX", "--roster", str(roster(tmp_path))]) == 2
    assert "valid codes are" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_init_twice_is_refused_and_keeps_the_first_course(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    course = tmp_path / "course"
    main(["cohort", "init", str(course), "--country", "MN", "--roster", str(roster(tmp_path))])
    secret = read_secret(course)
    assert main(["cohort", "init", str(course), "--country", "MN", "--roster", str(roster(tmp_path))]) == 2
    assert "already a cohort course" in capsys.readouterr().err
    assert read_secret(course) == secret


def test_trainees_can_pass_through_the_course_but_not_read_it(tmp_path: Path) -> None:
    course = tmp_path / "course"
    main(["cohort", "init", str(course), "--country", "MN", "--roster", str(roster(tmp_path))])
    assert stat.S_IMODE(course.stat().st_mode) == 0o711
    for name in ("source", "release", "submitted", "autograded", "feedback"):
        assert stat.S_IMODE((course / name).stat().st_mode) == 0o700, name
    assert stat.S_IMODE((course / "gradebook.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((course / "exchange").stat().st_mode) == 0o755


def test_a_shared_exchange_folder(tmp_path: Path) -> None:
    from grader.variants import cases_root

    exchange = tmp_path / "srv" / "exchange"
    course = tmp_path / "course"
    main(["cohort", "init", str(course), "--country", "MN", "--roster", str(roster(tmp_path)),
          "--exchange", str(exchange)])
    assert f"c.Exchange.root = {str(exchange)!r}" in (course / "nbgrader_config.py").read_text()
    assert not (course / "exchange").exists()
    assert cases_root(course, "w1-01-passive-active") == exchange / "course" / "cases" / "w1-01-passive-active"


def test_a_cohorts_cases_come_from_its_own_country(tmp_path: Path) -> None:
    import json

    from grader.variants import trainee_case
    from tests.grader.cohortkit import make_cohort

    course = make_cohort(tmp_path, ["bd-001", "bd-002"], ["w1-04-job-ad-triage"], country="BD", hints=True)
    for trainee in ("bd-001", "bd-002"):
        case = trainee_case(course, "w1-04-job-ad-triage", trainee)
        assert json.loads((case / "manifest.json").read_text())["countries"]["origin"] == "BD"
        assert (case / "hints.json").is_file()  # --hints keeps the answer checks
