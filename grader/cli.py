"""`osintlab cohort ...`: the trainer's workflow on an nbgrader course directory.

Every command speaks the course's language (grader.language): its output and errors, and what it
writes for officers and trainers (notebooks, feedback, report). The help is in the language of
OSINTLAB_LANG (the parser is made before the course is known).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from osintlab.i18n import _


def _workers(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(_("--workers {value} must be between 1 and 64").format(value=text))
    return value


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cohort = sub.add_parser("cohort", help=_("run a cohort: create the course, then release and grade labs"),
                            description=_("The trainer's cohort workflow on a standard nbgrader course."))
    cmds = cohort.add_subparsers(dest="cohort_command", required=True, metavar="SUBCOMMAND")
    default_workers = max(1, min(os.cpu_count() or 1, 8))
    course_help = _("the course directory")
    target_help = _("a lab id (osintlab lab list), or W1, W2 or W3 for every lab of a workshop")
    variant_workers = _("processes making case variants")

    p = cmds.add_parser("init", help=_("create the course, its gradebook, the trainees and the course secret"))
    p.add_argument("dir", type=Path, help=_("the new course directory"))
    p.add_argument("--country", required=True, help=_("country pack of the cohort's cases, e.g. MN"))
    p.add_argument("--roster", type=Path, required=True, help=_("CSV: trainee_id,name,agency,email"))
    p.add_argument("--lang", default="en", help=_(
        "the course's language: officers' notebooks, feedback, the report and these commands' messages "
        "(en, or a language with catalogues: osintlab i18n status; default en)"))
    p.add_argument("--db-url", help=_(
        "SQLAlchemy URL of the gradebook, without a password (put that in ~/.pgpass), e.g. "
        "postgresql+psycopg2://trainer@db-host/gradebook (default: SQLite in DIR)"))
    p.add_argument("--exchange", type=Path, help=_(
        "nbgrader exchange folder shared with the officers' accounts, e.g. /srv/nbgrader/exchange: init then "
        "configures nbgrader for them (see --trainee-config); default DIR/exchange, for a trainer who moves "
        "files by hand"))
    p.add_argument("--trainee-config", type=Path, default=None, help=_(
        "with --exchange: the nbgrader config every officer's account reads (default "
        "/etc/jupyter/nbgrader_config.py)"))
    p.set_defaults(func=_restoring(cmd_init))

    p = cmds.add_parser("language", help=_(
        "show the course's language, or change it for the labs released from now on"))
    p.add_argument("dir", type=Path, help=course_help)
    p.add_argument("lang", nargs="?", help=_("the new language (en, or a language with catalogues); "
                                             "leave out to show the current one"))
    p.set_defaults(func=_restoring(cmd_language))

    p = cmds.add_parser("add", help=_("add officers who join a running course (gradebook, cases of released labs)"))
    p.add_argument("dir", type=Path, help=course_help)
    p.add_argument("--roster", type=Path, required=True,
                   help=_("CSV of the new officers: trainee_id,name,agency,email"))
    p.add_argument("--workers", type=_workers, default=default_workers, help=variant_workers)
    p.set_defaults(func=_restoring(cmd_add))

    p = cmds.add_parser("release", help=_("release labs: each trainee gets their own case variant"))
    p.add_argument("dir", type=Path, help=course_help)
    p.add_argument("target", help=target_help)
    p.add_argument("--workers", type=_workers, default=default_workers, help=variant_workers)
    p.add_argument("--hints", action="store_true", help=_(
        "let lab.check() say how many answers are right (off by default: it helps guessing)"))
    p.add_argument("--due", help=_("due date, e.g. '2026-11-20 17:00' (server's local time) or "
                                   "2026-11-20T17:00+08:00: the report shows who submitted late"))
    p.set_defaults(func=_restoring(cmd_release))

    p = cmds.add_parser("collect", help=_("collect submissions from the exchange and check each one"))
    p.add_argument("dir", type=Path, help=course_help)
    p.add_argument("target", help=target_help)
    p.set_defaults(func=_restoring(cmd_collect))

    p = cmds.add_parser("autograde", help=_("grade submissions in parallel, each in its own sandbox"))
    p.add_argument("dir", type=Path, help=course_help)
    p.add_argument("target", help=target_help)
    p.add_argument("--workers", type=_workers, default=default_workers, help=_("submissions graded at once"))
    p.add_argument("--force", action="store_true", help=_("grade again submissions that are already graded"))
    p.set_defaults(func=_restoring(cmd_autograde))

    p = cmds.add_parser("feedback", help=_("make feedback for trainees (no hidden tests, no keys) and release it"))
    p.add_argument("dir", type=Path, help=course_help)
    p.add_argument("target", help=target_help)
    p.set_defaults(func=_restoring(cmd_feedback))

    p = cmds.add_parser("formgrader", help=_("open nbgrader's formgrader on the course for manual grading"))
    p.add_argument("dir", type=Path, help=course_help)
    p.add_argument("--port", type=int, default=8890, help=_("local port on 127.0.0.1 (default 8890)"))
    p.set_defaults(func=_restoring(cmd_formgrader))

    excel_help = _("write the CSV files with a UTF-8 byte-order mark, so Excel on Windows shows every script right")
    p = cmds.add_parser("report", help=_("the cohort report: scores, scores per part, skills heatmap, progress, "
                                         "flags (HTML + CSV)"))
    p.add_argument("dir", type=Path, help=course_help)
    p.add_argument("--out", type=Path, help=_("the HTML file to write (default DIR/reports/cohort-report.html)"))
    p.add_argument("--excel", action="store_true", help=excel_help)
    p.set_defaults(func=_restoring(cmd_report))

    p = cmds.add_parser("export", help=_("export grades as CSV, or as a CSV for Moodle's grade import"))
    p.add_argument("dir", type=Path, help=course_help)
    p.add_argument("--format", choices=("csv", "moodle"), required=True, help=_("csv or moodle"))
    p.add_argument("--out", type=Path, help=_("the CSV file to write (default DIR/reports/grades-FORMAT.csv)"))
    p.add_argument("--provisional", action="store_true", help=_(
        "export even while written answers wait for grading; such totals are marked provisional"))
    p.add_argument("--excel", action="store_true", help=excel_help)
    p.set_defaults(func=_restoring(cmd_export))


def _print(lines: list[str]) -> int:
    print("\n".join(lines))
    return 0


def _restoring(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """`command`, giving back the language chosen before it once it is done (a command speaks its
    course's language; a process that runs several, such as the tests, must not keep it)."""
    import functools

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        from osintlab import i18n

        before = i18n.chosen_language()
        try:
            return command(args)
        finally:
            i18n.set_language(before)

    return run


def _speak(course: Path) -> str:
    """Speak the course's language from here on (English for a folder that is not a course yet)."""
    from grader.language import use_course_language

    return use_course_language(course)


def cmd_init(args: argparse.Namespace) -> int:
    import sys

    from grader.cohort import course_state, init_course, load_roster
    from grader.language import ENGLISH, checked, language_name
    from grader.trainee_side import SYSTEM_CONFIG, configure_trainee_side
    from osintlab.i18n import set_language

    lang = checked(args.lang)
    set_language(lang)
    trainee_config = args.trainee_config or SYSTEM_CONFIG
    if args.exchange:
        _check_writable(trainee_config)
    directory = init_course(args.dir, args.country, args.roster, args.db_url, args.exchange, lang=lang)
    for warning in load_roster(args.roster).warnings:
        print(f"osintlab: warning: {warning}", file=sys.stderr)
    state = course_state(directory)
    print(_("Created cohort course {directory} ({country}, {count} trainees). The course secret is in {secret}: "
            "never share it with trainees.").format(directory=directory, country=state["country"],
                                                    count=len(state["trainees"]),  # type: ignore[arg-type]
                                                    secret=directory / ".osintlab" / "secret"))
    if lang != ENGLISH:
        print(_("Officers get the labs, feedback and messages in {language} ({code}).").format(
            language=language_name(lang), code=lang))
    if args.exchange:
        path = configure_trainee_side(directory, args.exchange, trainee_config)
        print(_("Officers' accounts now fetch and submit through {exchange} with nbgrader's plain commands "
                "(config: {config}).").format(exchange=args.exchange, config=path))
    return 0


def _check_writable(path: Path) -> None:
    from osintlab.errors import UserError

    folder = next((p for p in [path.parent, *path.parent.parents] if p.exists()), Path("/"))
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UserError(_("cannot write {path}, the nbgrader config officers' accounts read: run init as root "
                          "(sudo), or give --trainee-config PATH in a folder you may write.").format(path=path))


def cmd_language(args: argparse.Namespace) -> int:
    from grader.cohort import course_state
    from grader.language import language_name, set_course_language
    from grader.release import released_labs

    course_state(args.dir)
    current = _speak(args.dir)
    if args.lang is None:
        return _print([_("{course} is in {language} ({code}).").format(
            course=args.dir, language=language_name(current), code=current)])
    lang = set_course_language(args.dir, args.lang)
    _speak(args.dir)
    lines = [_("{course} is now in {language} ({code}): labs released from now on, feedback, the report and "
               "these commands use it.").format(course=args.dir, language=language_name(lang), code=lang)]
    kept = sorted(lab for lab, info in released_labs(args.dir).items() if (info.get("lang") or "en") != lang)
    if kept:
        lines.append(_("Labs already released keep the language officers fetched them in: {labs}.").format(
            labs=", ".join(kept)))
    return _print(lines)


def cmd_add(args: argparse.Namespace) -> int:
    from grader.add import add_trainees

    _speak(args.dir)
    return _print(add_trainees(args.dir, args.roster, workers=args.workers))


def cmd_release(args: argparse.Namespace) -> int:
    from grader.release import parse_due, release

    _speak(args.dir)
    due = parse_due(args.due) if args.due else None
    return _print(release(args.dir, args.target, workers=args.workers, hints=args.hints, due=due))


def cmd_collect(args: argparse.Namespace) -> int:
    from grader.collect import collect

    _speak(args.dir)
    return _print(collect(args.dir, args.target))


def cmd_autograde(args: argparse.Namespace) -> int:
    from grader.autograde import autograde

    _speak(args.dir)
    return _print(autograde(args.dir, args.target, workers=args.workers, force=args.force))


def cmd_feedback(args: argparse.Namespace) -> int:
    from grader.feedback import feedback

    _speak(args.dir)
    return _print(feedback(args.dir, args.target))


def cmd_report(args: argparse.Namespace) -> int:
    from grader.report import write_report

    _speak(args.dir)
    path = write_report(args.dir, args.out, excel=args.excel)
    return _print([_("Cohort report: {path} (CSV files beside it).").format(path=path)])


def cmd_export(args: argparse.Namespace) -> int:
    from grader.export import export_grades
    from grader.results import load_results
    from osintlab.i18n import ngettext

    _speak(args.dir)
    path = export_grades(args.dir, args.format, args.out, provisional=args.provisional, excel=args.excel)
    lines = [_("Grades ({format}): {path}").format(format=args.format, path=path)]
    results = load_results(args.dir)
    if results.failed:
        lines.append(_("Left blank because their grading failed (see the report's flags): {submissions}.").format(
            submissions=", ".join(f"{t} ({lab})" for t, lab in results.failed)))
    if args.provisional and results.pending:
        count = len(results.pending)
        lines.append(ngettext("{count} total is provisional (written answers not graded yet): marked in the file.",
                              "{count} totals are provisional (written answers not graded yet): marked in the file.",
                              count).format(count=count))
    return _print(lines)


def cmd_formgrader(args: argparse.Namespace) -> int:
    import secrets
    import sys

    from grader.cohort import course_state
    from osintlab.course import OFFLINE_FLAGS
    from osintlab.errors import UserError
    from osintlab.i18n import ENV_LANG

    course = Path(args.dir).resolve()  # before changing folder: a relative DIR names it from here
    course_state(course)
    lang = _speak(course)
    if not 1024 <= args.port <= 65535:
        raise UserError(_("--port {port} is not between 1024 and 65535; choose a free port such as 8890.").format(
            port=args.port))
    _check_port_free(args.port)
    token = secrets.token_hex(16)
    # The token goes to Jupyter in its environment, which only this account can read: never on the
    # command line, which every account on the server sees in `ps`. The course's language goes there
    # too: the formgrader's own autograde and feedback write flags and pages in it.
    env = {**os.environ, "JUPYTER_TOKEN": token, ENV_LANG: lang}
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={course}", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={args.port}", "--ServerApp.port_retries=0", *OFFLINE_FLAGS,
               *(["--allow-root"] if os.geteuid() == 0 else [])]
    print(_("Open {address} to grade written answers (Ctrl+C stops it).").format(
        address=f"http://127.0.0.1:{args.port}/formgrader?token={token}"), flush=True)
    os.chdir(course)  # nbgrader reads nbgrader_config.py from the folder it starts in
    os.execve(sys.executable, command, env)
    return 0  # not reached


def _check_port_free(port: int) -> None:
    """Jupyter would move to the next port and the printed address would be wrong: refuse a busy one."""
    import socket

    from osintlab.errors import UserError

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise UserError(_("port {port} on 127.0.0.1 is in use: choose another with --port, "
                              "e.g. --port 8891.").format(port=port)) from None
