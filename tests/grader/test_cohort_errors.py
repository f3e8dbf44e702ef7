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


def test_a_busy_formgrader_port_is_refused_not_moved(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["cohort", "formgrader", str(course), "--port", str(port)]) == 2
    assert f"port {port} on 127.0.0.1 is in use: choose another with --port" in capsys.readouterr().err


def test_a_damaged_course_file_is_one_sentence(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = course / ".osintlab" / "course.json"
    state.write_text(state.read_text(encoding="utf-8").replace('"trainees": [', '"trainees": [,'), encoding="utf-8")
    assert main(["cohort", "report", str(course)]) == 2
    err = capsys.readouterr().err
    assert "course.json is damaged (Expecting value: line" in err and "osintlab cohort add" in err
    assert "Traceback" not in err


def test_an_unreachable_postgresql_server_is_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    url = f"postgresql+psycopg2://trainer@/gradebook?host={tmp_path / 'no-server'}"  # a socket nobody listens on
    assert main(["cohort", "init", str(tmp_path / "pg"), "--country", "MN", "--roster", str(roster),
                 "--db-url", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("osintlab: error: cannot open the gradebook database postgresql+psycopg2://trainer@/")
    assert "check that the server is running" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "pg").exists()


def test_a_password_on_the_command_line_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert main(["cohort", "init", str(tmp_path / "pg"), "--country", "MN", "--roster", str(roster),
                 "--db-url", "postgresql+psycopg2://trainer:s3cret@db.example/gradebook"]) == 2
    err = capsys.readouterr().err
    assert "holds a password" in err and "~/.pgpass" in err and "s3cret" not in err
