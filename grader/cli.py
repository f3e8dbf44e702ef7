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
    p.add_argument("--db-url", help="SQLAlchemy URL of the gradebook, without a password (put that in ~/.pgpass), "
                   "e.g. postgresql+psycopg2://trainer@db-host/gradebook (default: SQLite in DIR)")
    p.add_argument("--exchange", type=Path, help="nbgrader exchange folder shared with the officers' accounts, "
                   "e.g. /srv/nbgrader/exchange: init then configures nbgrader for them (see --trainee-config); "
                   "default DIR/exchange, for a trainer who moves files by hand")
    p.add_argument("--trainee-config", type=Path, default=None,
                   help="with --exchange: the nbgrader config every officer's account reads "
                   "(default /etc/jupyter/nbgrader_config.py)")
    p.set_defaults(func=cmd_init)

    p = cmds.add_parser("add", help="add officers who join a running course (gradebook, cases of released labs)")
    p.add_argument("dir", type=Path, help="the course directory")
    p.add_argument("--roster", type=Path, required=True, help="CSV of the new officers: trainee_id,name,agency,email")
    p.add_argument("--workers", type=_workers, default=default_workers, help="processes making case variants")
    p.set_defaults(func=cmd_add)

    p = cmds.add_parser("release", help="release labs: each trainee gets their own case variant")
    p.add_argument("dir", type=Path, help="the course directory")
    p.add_argument("target", help=TARGET_HELP)
    p.add_argument("--workers", type=_workers, default=default_workers, help="processes making case variants")
    p.add_argument("--hints", action="store_true",
                   help="let lab.check() say how many answers are right (off by default: it helps guessing)")
    p.add_argument("--due", help="due date, e.g. '2026-11-20 17:00' (server's local time) or "
                   "2026-11-20T17:00+08:00: the report shows who submitted late")
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
    p.add_argument("--port", type=int, default=8890, help="local port on 127.0.0.1 (default 8890)")
    p.set_defaults(func=cmd_formgrader)

    excel_help = "write the CSV files with a UTF-8 byte-order mark, so Excel on Windows shows every script right"
    p = cmds.add_parser("report", help="the cohort report: scores, skills heatmap, progress, flags (HTML + CSV)")
    p.add_argument("dir", type=Path, help="the course directory")
    p.add_argument("--out", type=Path, help="the HTML file to write (default DIR/reports/cohort-report.html)")
    p.add_argument("--excel", action="store_true", help=excel_help)
    p.set_defaults(func=cmd_report)

    p = cmds.add_parser("export", help="export grades as CSV, or as a CSV for Moodle's grade import")
    p.add_argument("dir", type=Path, help="the course directory")
    p.add_argument("--format", choices=("csv", "moodle"), required=True, help="csv or moodle")
    p.add_argument("--out", type=Path, help="the CSV file to write (default DIR/reports/grades-FORMAT.csv)")
    p.add_argument("--provisional", action="store_true",
                   help="export even while written answers wait for grading; such totals are marked provisional")
    p.add_argument("--excel", action="store_true", help=excel_help)
    p.set_defaults(func=cmd_export)


def _print(lines: list[str]) -> int:
    print("\n".join(lines))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    import sys

    from grader.cohort import course_state, init_course, load_roster
    from grader.trainee_side import SYSTEM_CONFIG, configure_trainee_side

    trainee_config = args.trainee_config or SYSTEM_CONFIG
    if args.exchange:
        _check_writable(trainee_config)
    directory = init_course(args.dir, args.country, args.roster, args.db_url, args.exchange)
    for warning in load_roster(args.roster).warnings:
        print(f"osintlab: warning: {warning}", file=sys.stderr)
    state = course_state(directory)
    print(f"Created cohort course {directory} ({state['country']}, {len(state['trainees'])} trainees). "
          f"The course secret is in {directory / '.osintlab' / 'secret'}: never share it with trainees.")
    if args.exchange:
        path = configure_trainee_side(directory, args.exchange, trainee_config)
        print(f"Officers' accounts now fetch and submit through {args.exchange} with nbgrader's plain commands "
              f"(config: {path}).")
    return 0


def _check_writable(path: Path) -> None:
    from osintlab.errors import UserError

    folder = next((p for p in [path.parent, *path.parent.parents] if p.exists()), Path("/"))
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UserError(f"cannot write {path}, the nbgrader config officers' accounts read: run init as root "
                        "(sudo), or give --trainee-config PATH in a folder you may write.")


def cmd_add(args: argparse.Namespace) -> int:
    from grader.add import add_trainees

    return _print(add_trainees(args.dir, args.roster, workers=args.workers))


def cmd_release(args: argparse.Namespace) -> int:
    from grader.release import parse_due, release

    due = parse_due(args.due) if args.due else None
    return _print(release(args.dir, args.target, workers=args.workers, hints=args.hints, due=due))


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

    path = write_report(args.dir, args.out, excel=args.excel)
    return _print([f"Cohort report: {path} (CSV files beside it)."])


def cmd_export(args: argparse.Namespace) -> int:
    from grader.export import export_grades
    from grader.results import load_results

    path = export_grades(args.dir, args.format, args.out, provisional=args.provisional, excel=args.excel)
    lines = [f"Grades ({args.format}): {path}"]
    results = load_results(args.dir)
    if results.failed:
        lines.append(f"Left blank because their grading failed (see the report's flags): "
                     f"{', '.join(f'{t} ({lab})' for t, lab in results.failed)}.")
    if args.provisional and results.pending:
        lines.append(f"{len(results.pending)} total(s) are provisional (written answers not graded yet): "
                     "marked in the file.")
    return _print(lines)


def cmd_formgrader(args: argparse.Namespace) -> int:
    import secrets
    import sys

    from grader.cohort import course_state
    from osintlab.course import OFFLINE_FLAGS
    from osintlab.errors import UserError

    course = Path(args.dir).resolve()  # before changing folder: a relative DIR names it from here
    course_state(course)
    if not 1024 <= args.port <= 65535:
        raise UserError(f"--port {args.port} is not between 1024 and 65535; choose a free port such as 8890.")
    _check_port_free(args.port)
    token = secrets.token_hex(16)
    # The token goes to Jupyter in its environment, which only this account can read: never on the
    # command line, which every account on the server sees in `ps`.
    env = {**os.environ, "JUPYTER_TOKEN": token}
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={course}", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={args.port}", "--ServerApp.port_retries=0", *OFFLINE_FLAGS,
               *(["--allow-root"] if os.geteuid() == 0 else [])]
    print(f"Open http://127.0.0.1:{args.port}/formgrader?token={token} to grade written answers "
          "(Ctrl+C stops it).", flush=True)
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
            raise UserError(f"port {port} on 127.0.0.1 is in use: choose another with --port, "
                            "e.g. --port 8891.") from None
