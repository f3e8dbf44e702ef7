"""A cohort's course directory: a standard nbgrader course plus the trainer's own state.

    DIR/nbgrader_config.py, DIR/gradebook.db (or a PostgreSQL URL), DIR/source, release,
        submitted, autograded, feedback      nbgrader's layout, so formgrader keeps working
    DIR/.osintlab/secret                     the course secret (0600, in a 0700 folder)
    DIR/.osintlab/course.json                country, roster, database URL, exchange, created, and
                                             the course's language (no "lang": English; grader.language)

Self-contained and relocatable: no file in DIR names DIR itself. nbgrader_config.py finds the
course, its SQLite gradebook and (by default) its exchange relative to itself, and course.json
stores only what lies outside (a PostgreSQL URL, a shared exchange given with --exchange). So a
moved course keeps working, and a `cp -a` copy is a separate course that never writes into its
original. (Released notebooks carry the exchange's absolute path in osintlab-lab.json: trainees'
notebooks need it to find their case; `refresh_pointers` rewrites it after a move.)

Variant seeds are derived from the secret, a trainee id and a lab id
(synthetic_data.variants.variant_seed); trainees never see the secret.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from osintlab.errors import UserError
from osintlab.fsutil import atomic_directory, atomic_write_text
from osintlab.i18n import _, ngettext

ROSTER_COLUMNS = ("trainee_id", "name", "agency", "email")
# Login names, used as folder names by nbgrader: lower-case letters, digits, "-", "_" and "." (as in
# g.ganbold), never "..", never ending in ".".
TRAINEE_ID = re.compile(r"^(?!.*\.\.)[a-z0-9][a-z0-9._-]{0,30}[a-z0-9_-]$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DELIMITERS = (",", ";", "\t")  # Excel saves "CSV" with ";" where "," is the decimal separator
STATE = ".osintlab"
NBGRADER_DIRS = ("source", "release", "submitted", "autograded", "feedback")
KEEP_BACKUPS = 20

CONFIG = """# Written by `osintlab cohort init`. nbgrader's own tools (formgrader, the assignment list)
# read this file; osintlab reads it too. Paths are found relative to this file, so the course
# folder can be moved, and a copy of it is a separate course.
import os
_course = os.path.dirname(os.path.abspath(__file__))
c = get_config()
c.CourseDirectory.root = _course
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = {db_url}
c.Exchange.root = {exchange}
# Restore edited or deleted test cells from the gradebook instead of trusting the submission.
c.OverwriteCells.add_missing_cells = True
# Seconds per cell; the sandbox also gives each notebook a total budget (SandboxedExecute.notebook_seconds).
c.Execute.timeout = 60
# Inspect each submission, run its kernel in the sandbox, re-score outside it, and keep hidden
# tests out of feedback (grader/nbconfig.py).
from grader.nbconfig import configure
configure(c, _course)
"""
LOCAL_DB = '"sqlite:///" + os.path.join(_course, "gradebook.db")'
LOCAL_EXCHANGE = 'os.path.join(_course, {!r})'


@dataclass(frozen=True)
class Trainee:
    trainee_id: str
    name: str
    agency: str
    email: str


@dataclass(frozen=True)
class Roster:
    """The trainees of a roster file, and what init should warn about (one line each)."""

    trainees: list[Trainee]
    warnings: list[str]


def read_roster(path: Path) -> list[Trainee]:
    """Every trainee of the roster, or one UserError listing every bad row (see `load_roster`)."""
    return load_roster(path).trainees


def load_roster(path: Path, existing: list[Trainee] | None = None) -> Roster:
    """Read a roster CSV as spreadsheets save it, or raise one UserError listing every problem.

    Accepted: UTF-8 with or without a BOM; `,`, `;` or tab between fields; spaces around column
    names and values; any case in column names; extra columns (ignored); blank lines. Line numbers
    in messages are the file's own (blank lines and quoted line breaks counted). Refused: a bad or
    repeated trainee_id, an empty name, a malformed e-mail, and an e-mail used twice (compared
    ignoring case: Moodle would merge two officers). `existing` are the course's trainees when
    officers are added later: their ids and e-mails count as used. A blank e-mail is a warning.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(_("roster {path} does not exist: give the path of a CSV file.").format(path=path)) from None
    except UnicodeDecodeError:
        raise UserError(_("roster {path} is not UTF-8 text: save it as CSV UTF-8 and try again.").format(
            path=path)) from None
    rows = _csv_rows(text, _delimiter(text))
    if not rows:
        raise UserError(_("roster {path} is empty: the first line must be {columns}.").format(
            path=path, columns=",".join(ROSTER_COLUMNS)))
    header_line, header = rows[0]
    columns = [h.strip().casefold() for h in header]
    missing = [c for c in ROSTER_COLUMNS if c not in columns]
    if missing:
        raise UserError(ngettext(
            "roster {path}: missing column {missing} on line {line}; the first line must be {columns} "
            "(separated by commas, semicolons or tabs).",
            "roster {path}: missing columns {missing} on line {line}; the first line must be {columns} "
            "(separated by commas, semicolons or tabs).", len(missing)).format(
            path=path, missing=", ".join(missing), line=header_line, columns=",".join(ROSTER_COLUMNS)))
    in_course = _("the course")
    seen_ids = {t.trainee_id: in_course for t in existing or []}
    seen_emails = {t.email.casefold(): in_course for t in existing or [] if t.email}
    problems: list[str] = []
    warnings: list[str] = []
    trainees: list[Trainee] = []
    for line, cells in rows[1:]:
        values = {c: (cells[columns.index(c)] if columns.index(c) < len(cells) else "").strip()
                  for c in ROSTER_COLUMNS}
        if not any(values.values()):
            continue
        bad = _row_problems(values, seen_ids, seen_emails)
        if bad:
            problems.extend("  " + _("line {line}: {problem}").format(line=line, problem=b) for b in bad)
            continue
        seen_ids[values["trainee_id"]] = _("line {line}").format(line=line)
        if values["email"]:
            seen_emails[values["email"].casefold()] = _("line {line}").format(line=line)
        else:
            warnings.append(_("roster {path}, line {line}: {trainee} has no e-mail address; the Moodle export needs "
                              "one (the CSV export does not).").format(path=path, line=line,
                                                                        trainee=values["trainee_id"]))
        trainees.append(Trainee(**values))
    if problems:
        raise UserError(ngettext("roster {path} has {count} problem; fix it and run the command again:",
                                 "roster {path} has {count} problems; fix them and run the command again:",
                                 len(problems)).format(path=path, count=len(problems)) + "\n" + "\n".join(problems))
    if not trainees:
        raise UserError(_("roster {path} has no trainees: add one line per officer.").format(path=path))
    return Roster(trainees, warnings)


def _delimiter(text: str) -> str:
    """The separator of the header line: the one that splits it into the most roster columns."""
    first = next((line for line in text.splitlines() if line.strip()), "")

    def found(delimiter: str) -> int:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        return sum(cell.strip().casefold() in ROSTER_COLUMNS for cell in cells)

    return max(DELIMITERS, key=found)


def _csv_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(line number where the record starts, cells) for every non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, line = [], 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows.append((line, cells))
        line = reader.line_num + 1
    return rows


def _row_problems(values: dict[str, str], seen_ids: dict[str, str], seen_emails: dict[str, str]) -> list[str]:
    bad = []
    tid, email = values["trainee_id"], values["email"]
    if not TRAINEE_ID.match(tid):
        bad.append(_("trainee_id {value} must be the officer's login name: 2-32 lower-case letters, digits, "
                     "'.', '-' or '_' (it names folders)").format(value=repr(tid)))
    elif tid in seen_ids:
        bad.append(_("trainee_id {value} is already used on {where}").format(value=repr(tid), where=seen_ids[tid]))
    if not values["name"]:
        bad.append(_("name is empty"))
    if email and not EMAIL.match(email):
        bad.append(_("email {value} is not an e-mail address").format(value=repr(email)))
    elif email and email.casefold() in seen_emails:
        bad.append(_("email {value} is already used on {where} (e-mails are compared ignoring case): give each "
                     "officer their own address, or leave one empty").format(
            value=repr(email), where=seen_emails[email.casefold()]))
    return bad


def course_state(directory: Path) -> dict[str, object]:
    """The course's .osintlab/course.json, or one UserError if it is missing or damaged."""
    path = Path(directory) / STATE / "course.json"
    if not path.is_file():
        raise UserError(_("{directory} is not a cohort course: create it with osintlab cohort init.").format(
            directory=directory))
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(state, dict) or not isinstance(state.get("trainees"), list):
            raise ValueError(_("no list of trainees"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(_("{path} is damaged ({problem}): undo the last hand edit, or add officers with "
                          "osintlab cohort add instead of editing it.").format(path=path, problem=exc)) from None
    return state


def trainees_of(directory: Path) -> list[Trainee]:
    return [Trainee(**{c: str(t.get(c) or "") for c in ROSTER_COLUMNS})  # type: ignore[union-attr]
            for t in course_state(directory)["trainees"]]  # type: ignore[union-attr]


def gradebook_url(directory: Path) -> str:
    """The gradebook's SQLAlchemy URL: the course's own SQLite file unless init was given --db-url."""
    url = course_state(directory).get("db_url")
    return str(url) if url else f"sqlite:///{Path(directory).resolve() / 'gradebook.db'}"


def read_secret(directory: Path) -> bytes:
    return (Path(directory) / STATE / "secret").read_bytes()


def exchange_root(directory: Path) -> Path:
    """nbgrader's exchange of the course (DIR/exchange unless init was given --exchange)."""
    stored = Path(str(course_state(directory).get("exchange") or "exchange"))
    return stored if stored.is_absolute() else Path(directory).resolve() / stored


def course_exchange(directory: Path) -> Path:
    """This course's folder in the exchange: inbound/, outbound/, feedback/ and cases/."""
    return exchange_root(directory) / str(course_state(directory)["course_id"])


def init_course(directory: Path, country: str, roster: Path, db_url: str | None = None,
                exchange: Path | None = None, lang: str | None = None) -> Path:
    """Create the course atomically; nothing is created if the country, roster, database or language
    (`lang`: "mn", "bn", ... with catalogues, None or "en" for English) is bad.

    Trainees on the same server may pass through DIR (to reach DIR/exchange) but not list or
    read it: DIR is 0711, and nbgrader's own folders, its config and the gradebook are the
    trainer's only (0700/0600).
    """
    from grader.language import ENGLISH, checked
    from synthetic_data.country import load_country

    directory = Path(directory).resolve()
    lang = checked(lang)
    pack = load_country(country.upper())
    trainees = read_roster(roster)
    if db_url:
        check_db_url(db_url)
    if (directory / STATE / "course.json").is_file():
        raise UserError(_("{directory} is already a cohort course: use a new directory for a new cohort.").format(
            directory=directory))
    course_id = re.sub(r"[^a-z0-9-]+", "-", directory.name.lower()).strip("-") or "cohort"
    # An exchange inside the course is stored relative to it (it moves with the course).
    exchange_dir = Path(exchange).resolve() if exchange else directory / "exchange"
    inside = exchange_dir.is_relative_to(directory)
    stored = exchange_dir.relative_to(directory).as_posix() if inside else str(exchange_dir)
    with atomic_directory(directory) as tmp:
        for name in NBGRADER_DIRS:
            (tmp / name).mkdir(mode=0o700)
        if inside:
            (tmp / stored).mkdir(mode=0o755, parents=True)
        config = tmp / "nbgrader_config.py"
        config.write_text(CONFIG.format(course_id=course_id, db_url=repr(db_url) if db_url else LOCAL_DB,
                                        exchange=LOCAL_EXCHANGE.format(stored) if inside else repr(stored)),
                          encoding="utf-8")
        os.chmod(config, 0o600)  # it names the database (and its user): the trainer's only
        add_students(db_url or f"sqlite:///{tmp / 'gradebook.db'}", trainees)
        if not db_url:
            os.chmod(tmp / "gradebook.db", 0o600)
        state = tmp / STATE
        state.mkdir(mode=0o700)
        secret_file = state / "secret"
        secret_file.write_bytes(secrets.token_bytes(32))
        os.chmod(secret_file, 0o600)
        info = {"country": pack.code, "course_id": course_id, "db_url": db_url,
                "exchange": stored,
                "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                **({"lang": lang} if lang != ENGLISH else {}),  # an English course.json stays as it was
                "trainees": [asdict(t) for t in trainees]}
        (state / "course.json").write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o711)
    return directory


def save_trainees(directory: Path, trainees: list[Trainee]) -> None:
    """Replace the roster in course.json (atomically)."""
    state = course_state(directory)
    state["trainees"] = [asdict(t) for t in trainees]
    save_state(directory, state)


def save_state(directory: Path, state: dict[str, object]) -> None:
    """Write course.json (atomically), as init writes it."""
    atomic_write_text(Path(directory) / STATE / "course.json", json.dumps(state, ensure_ascii=False, indent=2) + "\n")


def check_db_url(url: str) -> None:
    """Refuse a database URL that carries a password: it would show in `ps` and in config files."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UserError(_("--db-url {url} is not a database URL: write it like "
                          "postgresql+psycopg2://trainer@db-host/gradebook.").format(url=repr(url))) from None
    if parsed.password:
        raise UserError(_("--db-url {url} holds a password, which any account could read in the process list: "
                          "remove it from the URL and put it in the trainer's ~/.pgpass file (mode 0600) or the "
                          "PGPASSWORD variable instead.").format(url=parsed.render_as_string(hide_password=True)))


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: show nothing of it
        return _("the --db-url given")


@contextmanager
def open_gradebook(url: str) -> Iterator[Any]:
    """nbgrader's Gradebook at `url`; a database that cannot be reached is one UserError, not a traceback."""
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    from grader.nbconfig import put_venv_on_path

    put_venv_on_path()
    try:
        gradebook = Gradebook(url)
    except (OperationalError, ArgumentError, NoSuchModuleError, ModuleNotFoundError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        raise UserError(_("cannot open the gradebook database {url} ({reason}): check that the server is running "
                          "and reachable, and the URL, user and database name.").format(url=_safe_url(url),
                                                                                          reason=reason)) from None
    with gradebook:
        yield gradebook


def add_students(db_url: str, trainees: list[Trainee]) -> None:
    with open_gradebook(db_url) as gradebook:
        for t in trainees:
            first, _, last = t.name.partition(" ")
            gradebook.update_or_create_student(t.trainee_id, first_name=first, last_name=last,
                                               email=t.email or None)


def backup_gradebook(course: Path, reason: str) -> Path | None:
    """A consistent copy of a SQLite gradebook in .osintlab/backups/ (the newest 20 are kept)."""
    url = gradebook_url(course)
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
