"""`osintlab cohort ...`: the trainer's workflow on an nbgrader course directory."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

TARGET_HELP = "a lab id (osintlab lab list), or W1, W2 or W3 for every lab of a workshop"


def _workers(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"--workers {text} must be between 1 and 64")
    return value


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cohort = sub.add_parser("cohort", help="run a cohort: create the course, then release and grade labs",
                            description="The trainer's cohort workflow on a standard nbgrader course.")
    cmds = cohort.add_subparsers(dest="cohort_command", required=True, metavar="SUBCOMMAND")
    default_workers = max(1, min(os.cpu_count() or 1, 8))

    p = cmds.add_parser("init", help="create the course, its gradebook, the trainees and the course secret")
    p.add_argument("dir", type=Path, help="the new course directory")
    p.add_argument("--country", required=True, help="country pack of the cohort's cases, e.g. MN")
    p.add_argument("--roster", type=Path, required=True, help="CSV: trainee_id,name,agency,email")
    p.add_argument("--db-url", help="SQLAlchemy URL of the gradebook (default: SQLite in DIR)")
    p.add_argument("--exchange", type=Path, help="nbgrader exchange folder shared with trainees, "
                   "e.g. /srv/nbgrader/exchange (default DIR/exchange)")
    p.set_defaults(func=cmd_init)

    p = cmds.add_parser("release", help="release labs: each trainee gets their own case variant")
    p.add_argument("dir", type=Path, help="the course directory")
    p.add_argument("target", help=TARGET_HELP)
    p.add_argument("--workers", type=_workers, default=default_workers, help="processes making case variants")
    p.add_argument("--hints", action="store_true",
                   help="let lab.check() say how many answers are right (off by default: it helps guessing)")
    p.set_defaults(func=cmd_release)

    p = cmds.add_parser("collect", help="collect submissions from the exchange and check each one")
    p.add_argument("dir", type=Path, help="the course directory")
    p.add_argument("target", help=TARGET_HELP)
    p.set_defaults(func=cmd_collect)

    p = cmds.add_parser("autograde", help="grade submissions in parallel, each in its own sandbox")
    p.add_argument("dir", type=Path, help="the course directory")
    p.add_argument("target", help=TARGET_HELP)
    p.add_argument("--workers", type=_workers, default=default_workers, help="submissions graded at once")
    p.add_argument("--force", action="store_true", help="grade again submissions that are already graded")
    p.set_defaults(func=cmd_autograde)

    p = cmds.add_parser("feedback", help="make feedback for trainees (no hidden tests, no keys) and release it")
    p.add_argument("dir", type=Path, help="the course directory")
    p.add_argument("target", help=TARGET_HELP)
    p.set_defaults(func=cmd_feedback)

    p = cmds.add_parser("formgrader", help="open nbgrader's formgrader on the course for manual grading")
    p.add_argument("dir", type=Path, help="the course directory")
    p.add_argument("--port", type=int, default=8890, help="local port (default 8890)")
    p.set_defaults(func=cmd_formgrader)

    p = cmds.add_parser("report", help="the cohort report: scores, skills heatmap, progress, flags (HTML + CSV)")
    p.add_argument("dir", type=Path, help="the course directory")
    p.add_argument("--out", type=Path, help="the HTML file to write (default DIR/reports/cohort-report.html)")
    p.set_defaults(func=cmd_report)

    p = cmds.add_parser("export", help="export grades as CSV, or as a CSV for Moodle's grade import")
    p.add_argument("dir", type=Path, help="the course directory")
    p.add_argument("--format", choices=("csv", "moodle"), required=True, help="csv or moodle")
    p.add_argument("--out", type=Path, help="the CSV file to write (default DIR/reports/grades-FORMAT.csv)")
    p.set_defaults(func=cmd_export)


def _print(lines: list[str]) -> int:
    print("\n".join(lines))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from grader.cohort import course_state, init_course

    directory = init_course(args.dir, args.country, args.roster, args.db_url, args.exchange)
    state = course_state(directory)
    print(f"Created cohort course {directory} ({state['country']}, {len(state['trainees'])} trainees). "
          f"The course secret is in {directory / '.osintlab' / 'secret'}: never share it with trainees.")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from grader.release import release

    return _print(release(args.dir, args.target, workers=args.workers, hints=args.hints))


def cmd_collect(args: argparse.Namespace) -> int:
    from grader.collect import collect

    return _print(collect(args.dir, args.target))


def cmd_autograde(args: argparse.Namespace) -> int:
    from grader.autograde import autograde

    return _print(autograde(args.dir, args.target, workers=args.workers, force=args.force))


def cmd_feedback(args: argparse.Namespace) -> int:
    from grader.feedback import feedback

    return _print(feedback(args.dir, args.target))


def cmd_report(args: argparse.Namespace) -> int:
    from grader.report import write_report

    path = write_report(args.dir, args.out)
    return _print([f"Cohort report: {path} (CSV files beside it)."])


def cmd_export(args: argparse.Namespace) -> int:
    from grader.export import export_grades

    path = export_grades(args.dir, args.format, args.out)
    return _print([f"Grades ({args.format}): {path}"])


def cmd_formgrader(args: argparse.Namespace) -> int:
    import secrets
    import sys

    from grader.cohort import course_state
    from osintlab.course import lab_command
    from osintlab.errors import UserError

    course_state(args.dir)
    if not 1024 <= args.port <= 65535:
        raise UserError(f"--port {args.port} is not between 1024 and 65535; choose a free port such as 8890.")
    token = secrets.token_hex(16)
    print(f"Open http://127.0.0.1:{args.port}/formgrader?token={token} to grade written answers "
          "(Ctrl+C stops it).")
    os.chdir(args.dir)  # nbgrader reads nbgrader_config.py from the folder it starts in
    os.execv(sys.executable, lab_command(args.dir, args.port, token))
    return 0  # not reached
