"""`osintlab cohort add`: officers who join a running course get everything the others have."""

from __future__ import annotations

from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader.cohort import gradebook_url, trainees_of
from grader.variants import trainee_case, variant_dir
from osintlab.cli import main
from tests.grader.cohortkit import make_cohort

LAB = "w1-01-passive-active"


def test_a_late_officer_gets_a_case_of_every_released_lab(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    course = make_cohort(tmp_path, ["mn-001", "mn-002"], [LAB])
    late = tmp_path / "late.csv"
    late.write_text("trainee_id;name;agency;email\ng.ganbold;G. Ganbold;Border;\n", encoding="utf-8")
    assert main(["cohort", "add", str(course), "--roster", str(late), "--workers", "1"]) == 0
    captured = capsys.readouterr()
    assert f"{LAB}: 1 new case variant." in captured.out and "Added 1 officer to" in captured.out
    assert "g.ganbold has no e-mail address" in captured.out
    assert [t.trainee_id for t in trainees_of(course)] == ["mn-001", "mn-002", "g.ganbold"]
    assert (variant_dir(course, LAB, "g.ganbold") / "key" / "lab.json").is_file()
    assert (trainee_case(course, LAB, "g.ganbold") / "lab.json").is_file()
    with Gradebook(gradebook_url(course)) as gb:
        assert {s.id for s in gb.students} == {"mn-001", "mn-002", "g.ganbold"}

    # the same officer twice, or a colleague's e-mail: refused with the line, nothing changed
    again = tmp_path / "again.csv"
    again.write_text("trainee_id,name,agency,email\ng.ganbold,G. Ganbold,Border,\nmn-009,X,Police,"
                     "MN-001@training.example\n", encoding="utf-8")
    assert main(["cohort", "add", str(course), "--roster", str(again)]) == 2
    err = capsys.readouterr().err
    assert "line 2: trainee_id 'g.ganbold' is already used on the course" in err
    assert "line 3: email 'MN-001@training.example' is already used on the course" in err
    assert len(trainees_of(course)) == 3
