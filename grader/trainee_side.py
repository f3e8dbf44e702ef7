"""The trainees' side of a course's nbgrader exchange, on a shared server.

nbgrader's own commands (`nbgrader fetch_assignment LAB`, `nbgrader submit LAB`, `nbgrader
fetch_feedback LAB`) and the JupyterLab assignment list find the exchange and the course in
nbgrader's config. An officer's account reads the system-wide config (/etc/jupyter/nbgrader_config.py,
the last folder of `jupyter --paths`); `configure_trainee_side` writes it, so officers type no flags.

What nbgrader needs, and this function makes sure of:
- the exchange root exists and every account may write into it (nbgrader insists on mode 777;
  we add the sticky bit, so nobody can delete another's entries);
- every folder above the exchange lets other accounts pass (the x bit), or nbgrader says
  "Unwritable directory" to them;
- the course's own folders exist as nbgrader's release step makes them: the course and outbound/
  0755, inbound/ 2733 (officers can drop a submission but not list others'), feedback/ 0711.
"""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

from grader.cohort import course_state, exchange_root
from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_text
from osintlab.i18n import _

SYSTEM_CONFIG = Path("/etc/jupyter/nbgrader_config.py")
MARKER = "# Written by osintlab: the trainee side of course "
TEMPLATE = """{marker}{course_id}.
# nbgrader on every account of this server reads this file, so officers fetch and submit labs with
# `nbgrader fetch_assignment LAB` and `nbgrader submit LAB` (or JupyterLab's Assignments tab), no flags.
# It holds no secret. The trainer's own config is in the course folder and overrides this one there.
c = get_config()
c.Exchange.root = {exchange!r}
c.CourseDirectory.course_id = {course_id!r}
"""
EXCHANGE_MODE = 0o1777
COURSE_FOLDERS = {"": 0o755, "outbound": 0o755, "inbound": 0o2733, "feedback": 0o711}


def configure_trainee_side(course: Path, exchange: Path, config_path: Path = SYSTEM_CONFIG) -> Path:
    """Make `exchange` usable by officers' accounts and write the nbgrader config they read.

    course: the course folder (made by `osintlab cohort init`); its exchange must be `exchange`.
    exchange: the exchange root, e.g. /srv/nbgrader/exchange (created if missing).
    config_path: where officers' nbgrader reads its config: /etc/jupyter/nbgrader_config.py on a
        shared server, or a file in a folder listed in JUPYTER_CONFIG_PATH (tests, a hub image).
    Returns config_path, written atomically with mode 0644 (world-readable; it holds no secret).
    Run by root (e.g. a hub's set-up), the course's exchange folders are given to the course's owner.
    Raises UserError if the exchange is not the course's, a folder above it is closed to other
    accounts, or config_path belongs to another course or was not written by osintlab.
    Running it again is safe.
    """
    course_id = prepare_exchange(course, exchange)
    _check_ours(Path(config_path), course_id)
    config_path = Path(config_path)
    config_path.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    text = TEMPLATE.format(marker=MARKER, course_id=course_id, exchange=str(Path(exchange).resolve()))
    atomic_write_text(config_path, text)
    os.chmod(config_path, 0o644)
    return config_path


def prepare_exchange(course: Path, exchange: Path, *, members: str | None = None) -> str:
    """The exchange side alone (for a hub that writes its own nbgrader config, e.g. several courses with
    `Exchange.path_includes_course`): check the folders above, create the exchange root (1777) and the
    course's folders with nbgrader's modes (given to the course's owner when run by root). Returns the
    course id. Raises UserError as `configure_trainee_side` does.

    members: on a server shared by several courses, the Unix group of this course's officers and
    trainers; the course's folder then belongs to that group and is closed to everyone else (0750), so
    another course's officers cannot list its labs. Needs root; UserError if the group does not exist."""
    course = Path(course).resolve()
    exchange = Path(exchange).resolve()
    course_id = str(course_state(course)["course_id"])
    if exchange_root(course).resolve() != exchange:
        raise UserError(_("{exchange} is not the exchange of {course} ({expected}): give the --exchange the course "
                          "was created with.").format(exchange=exchange, course=course, expected=exchange_root(course)))
    _check_passable(exchange)
    try:
        gid = None if members is None else grp.getgrnam(members).gr_gid
    except KeyError:
        raise UserError(f"the group {members!r} does not exist: create it (groupadd) first.") from None
    exchange.mkdir(parents=True, exist_ok=True)
    os.chmod(exchange, EXCHANGE_MODE)
    owner = course.stat()  # nbgrader's release refuses course folders its trainer does not own
    for name, mode in COURSE_FOLDERS.items():
        folder = exchange / course_id / name
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            os.chown(folder, owner.st_uid, owner.st_gid)
        os.chmod(folder, mode)
    if gid is not None:
        os.chown(exchange / course_id, -1, gid)
        os.chmod(exchange / course_id, 0o750)
    return course_id


def _check_passable(exchange: Path) -> None:
    """Every existing folder above the exchange must let other accounts pass (o+x)."""
    for folder in reversed(exchange.parents):
        if folder.exists() and not folder.stat().st_mode & stat.S_IXOTH:
            raise UserError(_("officers' accounts cannot reach the exchange {exchange}: {folder} is closed to them; "
                              "run {command}, or choose an exchange outside it (e.g. /srv/nbgrader/exchange).").format(
                exchange=exchange, folder=folder, command=f"chmod o+x {folder}"))


def _check_ours(config_path: Path, course_id: str) -> None:
    if not config_path.exists():
        return
    first = config_path.read_text(encoding="utf-8", errors="replace").splitlines()[:1]
    if not first or not first[0].startswith(MARKER):
        raise UserError(_("{config} exists and was not written by osintlab: move it away (or merge it by hand with the "
                          "two lines osintlab writes, see the trainer guide) and run init again.").format(
            config=config_path))
    other = first[0].removeprefix(MARKER).rstrip(".")
    if other != course_id:
        raise UserError(_("{config} configures course {other} for the officers; one server serves one course at a "
                          "time: remove that file to switch officers to {course}.").format(
            config=config_path, other=other, course=course_id))
