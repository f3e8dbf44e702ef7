from __future__ import annotations

import pytest

from labs import catalogue, check
from osintlab.cli import main


@pytest.mark.parametrize("spec", catalogue.discover(), ids=lambda s: s.id)
def test_lab_is_consistent(spec: catalogue.LabSpec) -> None:
    assert check.consistency(spec) == []


def test_judge_flags_each_failure() -> None:
    assert check._judge({"solution": 6, "blank": 0, "partial": 3}, 6, 6) == []
    problems = check._judge({"solution": 5, "blank": 1, "partial": 6}, 6, 6)
    assert len(problems) == 3


def test_lab_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "list"]) == 0
    out = capsys.readouterr().out
    assert "w1-01-passive-active" in out and "w1-02-opsec-audit" in out


@pytest.mark.slow
def test_lab_check_every_lab_with_real_nbgrader(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "check"]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert out.count(" ok") == len(catalogue.discover())


def test_leaks_in_a_release_are_reported(tmp_path) -> None:
    release = tmp_path / "r.ipynb"
    release.write_text('{"cells": [{"source": "answer = lab.reference_answer(\\"x\\")"}]}', encoding="utf-8")
    assert check.leaks(release) == ["the released notebook contains 'reference_answer'"]
    release.write_text('{"cells": [{"source": "raise NotImplementedError()"}]}', encoding="utf-8")
    assert check.leaks(release) == []
