"""Scripted run: the time of each step of the trainer's workflow for a classroom of real accounts.

The same classroom as tests/grader/test_classroom.py (officers are local accounts made with
useradd and removed afterwards; their commands are nbgrader's own, run as them), at the size of a
real cohort (30 officers by default) on one lab: init with --exchange, release, every officer
fetches, works and submits, collect, autograde, the formgrader starts and the trainer grades every
written answer through its REST API, feedback, report, export, a late officer joins, and a copy of
the course is graded again. Prints seconds per step and per officer. Needs root.

    sudo .venv/bin/python benchmarks/bench_classroom.py [--officers 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.grader.classroom

from tests.grader.classroom import can_make_accounts, classroom

LAB = "w1-01-passive-active"


def run(officers: int, workers: int) -> dict[str, float]:
    with classroom(officers, LAB, late=1) as (room, late):
        course = str(room.course_rel)
        roster = room.roster("roster.csv", room.officers)
        with room.step("init --exchange"):
            room.trainer("cohort", "init", course, "--country", "MN", "--roster", roster.name, "--exchange",
                         str(room.exchange), "--trainee-config", str(room.config_dir / "nbgrader_config.py"))
        due = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
        with room.step("release"):
            room.trainer("cohort", "release", course, LAB, "--workers", str(workers), "--due", due)
        for i, officer in enumerate(room.officers):
            with room.step("officers fetch (all)"):
                room.fetch(officer)
            room.work(officer, (1.0, 0.5, 1.0, 0.0)[i % 4])
            with room.step("officers submit (all)"):
                room.submit(officer)
        with room.step("collect"):
            room.trainer("cohort", "collect", course, LAB)
        with room.step("autograde"):
            room.trainer("cohort", "autograde", course, LAB, "--workers", str(workers))
        started = time.perf_counter()
        with room.formgrader() as (port, token, _):
            room.timings["formgrader start"] = time.perf_counter() - started
            with room.step("manual grading via REST (all)"):
                for officer in room.officers:
                    room.grade_written_answers(port, token, officer, 3.0)
        with room.step("feedback"):
            room.trainer("cohort", "feedback", course, LAB)
        with room.step("report"):
            room.trainer("cohort", "report", course)
        with room.step("export moodle"):
            room.trainer("cohort", "export", course, "--format", "moodle")
        late_roster = room.roster("late.csv", late)
        with room.step("add a late officer"):
            room.trainer("cohort", "add", course, "--roster", late_roster.name, "--workers", str(workers))
        copy = "courses/copy"
        subprocess.run(["cp", "-a", course, copy], cwd=room.base, check=True)
        with room.step("autograde the copy (--force)"):
            room.trainer("cohort", "autograde", copy, LAB, "--force", "--workers", str(workers))
        return room.timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--officers", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not can_make_accounts():
        print("bench_classroom: needs root with useradd, runuser and Debian's python3 (it makes real accounts).")
        return 2
    started = time.perf_counter()
    timings = run(args.officers, args.workers)
    print(f"Classroom of {args.officers} officers, lab {LAB}, {args.workers} workers (scripted run, real accounts):")
    for step, seconds in timings.items():
        per = f"  ({seconds / args.officers:.2f} s per officer)" if "(all)" in step or step in (
            "release", "collect", "autograde", "autograde the copy (--force)", "feedback") else ""
        print(f"  {step:34s} {seconds:7.1f} s{per}")
    print(f"  {'whole run (with accounts, drafts)':34s} {time.perf_counter() - started:7.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
