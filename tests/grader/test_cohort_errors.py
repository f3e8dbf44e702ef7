"""Bad input to the cohort commands: one sentence naming what is wrong, exit 2, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from osintlab.cli import main

ROSTER = "trainee_id,name,agency,email\nmn-001,Officer A,Police,\n"


@pytest.fixture()
def course(tmp_path: Path) -> Path:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert main(["cohort", "init", str(tmp_path / "c"), "--country", "MN", "--roster", str(roster)]) == 0
    return tmp_path / "c"


@pytest.mark.parametrize(("args", "message"), [
    (["release", "{c}", "w9-99-nothing"], "unknown lab 'w9-99-nothing'"),
    (["release", "{c}", "W4"], "unknown lab 'W4'"),
    (["collect", "{c}", "w9-99-nothing"], "unknown lab"),
    (["feedback", "{c}", "w1-01-passive-active"], "no graded submissions of w1-01-passive-active yet"),
    (["release", "{c}/../nowhere", "W1"], "is not a cohort course"),
])
def test_bad_input_is_one_clear_sentence(course: Path, args: list[str], message: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.relative_to(course) for p in course.rglob("*"))
    assert main(["cohort", *[a.format(c=course) for a in args]]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.relative_to(course) for p in course.rglob("*")) == before


def test_workers_must_be_a_sane_number(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["cohort", "autograde", str(course), "W1", "--workers", "0"])
    assert exit_info.value.code == 2
    assert "--workers 0 must be between 1 and 64" in capsys.readouterr().err


def test_a_workshop_without_labs_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    from grader import release
    from osintlab.errors import UserError

    monkeypatch.setattr(release.catalogue, "discover", lambda: [])
    with pytest.raises(UserError, match="workshop W2 has no labs yet"):
        release.resolve_labs("w2")
