"""`osintlab cohort ...`: the trainer's workflow on an nbgrader course directory."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cohort = sub.add_parser("cohort", help="run a cohort: create the course, then release and grade labs",
                            description="The trainer's cohort workflow on a standard nbgrader course.")
    cmds = cohort.add_subparsers(dest="cohort_command", required=True, metavar="SUBCOMMAND")
    p = cmds.add_parser("init", help="create the course, its gradebook, the trainees and the course secret")
    p.add_argument("dir", type=Path, help="the new course directory")
    p.add_argument("--country", required=True, help="country pack of the cohort's cases, e.g. MN")
    p.add_argument("--roster", type=Path, required=True, help="CSV: trainee_id,name,agency,email")
    p.add_argument("--db-url", help="SQLAlchemy URL of the gradebook (default: SQLite in DIR)")
    p.set_defaults(func=cmd_init)


def cmd_init(args: argparse.Namespace) -> int:
    from grader.cohort import course_state, init_course

    directory = init_course(args.dir, args.country, args.roster, args.db_url)
    state = course_state(directory)
    print(f"Created cohort course {directory} ({state['country']}, {len(state['trainees'])} trainees). "
          f"The course secret is in {directory / '.osintlab' / 'secret'}: never share it with trainees.")
    return 0
