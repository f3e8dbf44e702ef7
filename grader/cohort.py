"""A cohort's course directory: a standard nbgrader course plus the trainer's own state.

    DIR/nbgrader_config.py, DIR/gradebook.db (or a PostgreSQL URL), DIR/source, release,
        submitted, autograded, feedback      nbgrader's layout, so formgrader keeps working
    DIR/.osintlab/secret                     the course secret (0600, in a 0700 folder)
    DIR/.osintlab/course.json                country, roster, database URL, created

Variant seeds are derived from the secret, a trainee id and a lab id
(synthetic_data.variants.variant_seed); trainees never see the secret.
"""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import sqlite3
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from osintlab.errors import UserError
from osintlab.fsutil import atomic_directory

ROSTER_COLUMNS = ("trainee_id", "name", "agency", "email")
TRAINEE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,31}$")  # used as folder names by nbgrader
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
STATE = ".osintlab"
NBGRADER_DIRS = ("source", "release", "submitted", "autograded", "feedback")
KEEP_BACKUPS = 20

CONFIG = """# Written by `osintlab cohort init`. nbgrader's own tools (formgrader, the assignment list)
# read this file; osintlab reads it too.
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = {db_url!r}
c.Exchange.root = {exchange!r}
# Restore edited or deleted test cells from the gradebook instead of trusting the submission.
c.OverwriteCells.add_missing_cells = True
# Seconds per cell; the sandbox also gives each notebook a total budget (SandboxedExecute.notebook_seconds).
c.Execute.timeout = 60
# Inspect each submission, run its kernel in the sandbox, re-score outside it, and keep hidden
# tests out of feedback (grader/nbconfig.py).
from grader.nbconfig import configure
configure(c, {root!r})
"""


@dataclass(frozen=True)
class Trainee:
    trainee_id: str
    name: str
    agency: str
    email: str


def read_roster(path: Path) -> list[Trainee]:
    """Every trainee of the roster, or one UserError listing every bad row."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"roster {path} does not exist: give the path of a CSV file.") from None
    except UnicodeDecodeError:
        raise UserError(f"roster {path} is not UTF-8 text: save it as CSV UTF-8 and try again.") from None
    rows = list(csv.DictReader(text.splitlines()))
    header = [h.strip() for h in (csv.DictReader(text.splitlines()).fieldnames or [])]
    missing = [c for c in ROSTER_COLUMNS if c not in header]
    if missing:
        raise UserError(
            f"roster {path}: missing column(s) {', '.join(missing)}; the first line must be "
            f"{','.join(ROSTER_COLUMNS)}."
        )
    problems: list[str] = []
    trainees: list[Trainee] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        values = {c: (row.get(c) or "").strip() for c in ROSTER_COLUMNS}
        if not any(values.values()):
            continue
        bad = _row_problems(values, seen, line)
        if bad:
            problems.extend(f"  line {line}: {b}" for b in bad)
            continue
        seen[values["trainee_id"]] = line
        trainees.append(Trainee(**values))
    if problems:
        raise UserError(f"roster {path} has {len(problems)} problem(s); fix them and run init again:\n"
                        + "\n".join(problems))
    if not trainees:
        raise UserError(f"roster {path} has no trainees: add one line per officer.")
    return trainees


def _row_problems(values: dict[str, str], seen: dict[str, int], line: int) -> list[str]:
    bad = []
    tid = values["trainee_id"]
    if not TRAINEE_ID.match(tid):
        bad.append(f"trainee_id {tid!r} must be 2-32 lower-case letters, digits, - or _ (it names folders)")
    elif tid in seen:
        bad.append(f"trainee_id {tid!r} is already used on line {seen[tid]}")
    if not values["name"]:
        bad.append("name is empty")
    if values["email"] and not EMAIL.match(values["email"]):
        bad.append(f"email {values['email']!r} is not an e-mail address")
    return bad


def course_state(directory: Path) -> dict[str, object]:
    path = Path(directory) / STATE / "course.json"
    if not path.is_file():
        raise UserError(f"{directory} is not a cohort course: create it with osintlab cohort init.")
    return json.loads(path.read_text(encoding="utf-8"))


def read_secret(directory: Path) -> bytes:
    return (Path(directory) / STATE / "secret").read_bytes()


def exchange_root(directory: Path) -> Path:
    """nbgrader's exchange of the course (DIR/exchange unless init was given --exchange)."""
    state = course_state(directory)
    return Path(str(state.get("exchange") or Path(directory) / "exchange"))


def course_exchange(directory: Path) -> Path:
    """This course's folder in the exchange: inbound/, outbound/, feedback/ and cases/."""
    return exchange_root(directory) / str(course_state(directory)["course_id"])


def init_course(directory: Path, country: str, roster: Path, db_url: str | None = None,
                exchange: Path | None = None) -> Path:
    """Create the course atomically; nothing is created if the country or roster is bad.

    Trainees on the same server may pass through DIR (to reach DIR/exchange) but not list or
    read it: DIR is 0711, and nbgrader's own folders and the gradebook are the trainer's only.
    """
    from synthetic_data.country import load_country

    directory = Path(directory).resolve()
    pack = load_country(country.upper())
    trainees = read_roster(roster)
    if (directory / STATE / "course.json").is_file():
        raise UserError(f"{directory} is already a cohort course: use a new directory for a new cohort.")
    course_id = re.sub(r"[^a-z0-9-]+", "-", directory.name.lower()).strip("-") or "cohort"
    final_db = db_url or f"sqlite:///{directory / 'gradebook.db'}"
    exchange_dir = Path(exchange).resolve() if exchange else directory / "exchange"
    with atomic_directory(directory) as tmp:
        for name in NBGRADER_DIRS:
            (tmp / name).mkdir(mode=0o700)
        if not exchange:
            (tmp / "exchange").mkdir(mode=0o755)
        (tmp / "nbgrader_config.py").write_text(
            CONFIG.format(root=str(directory), course_id=course_id, db_url=final_db,
                          exchange=str(exchange_dir)), encoding="utf-8")
        _add_students(db_url or f"sqlite:///{tmp / 'gradebook.db'}", trainees)
        if not db_url:
            os.chmod(tmp / "gradebook.db", 0o600)
        state = tmp / STATE
        state.mkdir(mode=0o700)
        secret_file = state / "secret"
        secret_file.write_bytes(secrets.token_bytes(32))
        os.chmod(secret_file, 0o600)
        info = {"country": pack.code, "course_id": course_id, "db_url": final_db, "exchange": str(exchange_dir),
                "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "trainees": [asdict(t) for t in trainees]}
        (state / "course.json").write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o711)
    return directory


def _add_students(db_url: str, trainees: list[Trainee]) -> None:
    from nbgrader.api import Gradebook

    from grader.nbconfig import put_venv_on_path

    put_venv_on_path()
    with Gradebook(db_url) as gradebook:
        for t in trainees:
            first, _, last = t.name.partition(" ")
            gradebook.update_or_create_student(t.trainee_id, first_name=first, last_name=last,
                                               email=t.email or None)


def backup_gradebook(course: Path, reason: str) -> Path | None:
    """A consistent copy of a SQLite gradebook in .osintlab/backups/ (the newest 20 are kept)."""
    url = str(course_state(course)["db_url"])
    if not url.startswith("sqlite:///"):
        return None
    source = Path(url.removeprefix("sqlite:///"))
    if not source.is_file():
        return None
    folder = Path(course) / STATE / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"gradebook-{stamp}-{reason}.db"
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    for old in sorted(folder.glob("gradebook-*.db"))[:-KEEP_BACKUPS]:
        old.unlink()
    return target
