"""The trainee side of the exchange: what `configure_trainee_side` makes, and what it refuses."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.cohort import init_course
from grader.trainee_side import configure_trainee_side
from osintlab.errors import UserError

ROSTER = "trainee_id,name,agency,email\nmn-001,Officer A,Police,a@t.example\n"


@pytest.fixture()
def base() -> Iterator[Path]:
    """A folder other accounts may pass through, as a server's /srv is (pytest's own tmp folders are closed)."""
    base = Path(tempfile.mkdtemp(prefix="osintlab-server-", dir="/tmp"))
    os.chmod(base, 0o711)
    (base / "roster.csv").write_text(ROSTER, encoding="utf-8")
    yield base
    shutil.rmtree(base, ignore_errors=True)


def _course(base: Path, name: str = "mn-2026") -> Path:
    return init_course(base / name, "MN", base / "roster.csv", exchange=base / "srv" / "exchange")


def test_the_exchange_and_config_are_what_nbgrader_needs(base: Path) -> None:
    course = _course(base)
    config = configure_trainee_side(course, base / "srv" / "exchange", base / "etc" / "nbgrader_config.py")
    modes = {p: stat.S_IMODE((base / "srv" / "exchange" / p).stat().st_mode)
             for p in ("", "mn-2026", "mn-2026/inbound", "mn-2026/outbound", "mn-2026/feedback")}
    assert modes == {"": 0o1777, "mn-2026": 0o755, "mn-2026/inbound": 0o2733, "mn-2026/outbound": 0o755,
                     "mn-2026/feedback": 0o711}
    assert stat.S_IMODE(config.stat().st_mode) == 0o644
    # nbgrader itself reads it: the exchange and the course, as an officer's `nbgrader` sees them
    code = ("from jupyter_core.paths import jupyter_config_path;"
            "from traitlets.config.loader import PyFileConfigLoader;"
            "c = PyFileConfigLoader('nbgrader_config.py', path=jupyter_config_path()[0]).load_config();"
            "print(c.Exchange.root, c.CourseDirectory.course_id)")
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(config.parent)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == [str(base / "srv" / "exchange"), "mn-2026"]
    assert configure_trainee_side(course, base / "srv" / "exchange", config) == config  # again: safe


def test_what_is_refused(base: Path) -> None:
    course = _course(base)
    exchange = base / "srv" / "exchange"
    with pytest.raises(UserError, match="is not the exchange of"):
        configure_trainee_side(course, base / "elsewhere", base / "etc" / "c.py")
    foreign = base / "etc" / "foreign.py"
    foreign.parent.mkdir()
    foreign.write_text("c = get_config()\nc.Exchange.root = '/srv/x'\n")
    with pytest.raises(UserError, match="was not written by osintlab: move it away"):
        configure_trainee_side(course, exchange, foreign)
    configure_trainee_side(course, exchange, base / "etc" / "ours.py")
    other = init_course(base / "bd-2026", "BD", base / "roster.csv", exchange=exchange)
    with pytest.raises(UserError, match="configures course mn-2026 for the officers"):
        configure_trainee_side(other, exchange, base / "etc" / "ours.py")
    closed = base / "closed"
    closed.mkdir(mode=0o700)
    hidden = init_course(base / "c3", "MN", base / "roster.csv", exchange=closed / "exchange")
    with pytest.raises(UserError, match=f"{closed} is closed to them; run chmod o\\+x"):
        configure_trainee_side(hidden, closed / "exchange", base / "etc" / "c3.py")


def test_init_without_rights_to_the_system_config_is_one_sentence(base: Path, capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from osintlab.cli import main

    monkeypatch.setattr(os, "access", lambda path, mode: False)  # as a trainer without sudo
    assert main(["cohort", "init", str(base / "c"), "--country", "MN", "--roster", str(base / "roster.csv"),
                 "--exchange", str(base / "srv" / "exchange")]) == 2
    err = capsys.readouterr().err
    assert "cannot write /etc/jupyter/nbgrader_config.py" in err and "--trainee-config" in err
    assert not (base / "c").exists()
