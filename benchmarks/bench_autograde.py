"""Benchmark: grading a simulated cohort on every Workshop 1 lab (target: at least 1.7x plain nbgrader).

Both runs grade the same number of submissions of the same notebooks on the same machine, in
the same run:

- baseline: plain `nbgrader autograde LAB` (one command per lab, serial, no sandbox), on a
  plain nbgrader course where every kernel finds the practice case through OSINTLAB_CASE_DIR;
- ours: `osintlab cohort autograde DIR W1 --workers 2` on a cohort course, each submission on
  its own trainee's case, with the bubblewrap sandbox, the trusted re-score and the copy check.

Submissions are a realistic mix: a quarter blank, the rest answered fully or in part.
Pinned to 2 cores where the OS allows.

    .venv/bin/python benchmarks/bench_autograde.py [--trainees 30] [--serial]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from grader.autograde import autograde
from grader.cohort import init_course
from grader.release import release
from grader.simulate import answer_notebook, answered, place_submission
from labs import catalogue, runtime

TARGET_RATIO = 1.7
BASELINE_CONFIG = """c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "baseline"
c.CourseDirectory.db_url = "sqlite:///{root}/gradebook.db"
c.Execute.timeout = 60
"""


def fraction(i: int) -> float:
    return (0.0, 1.0, 0.5, 1.0)[i % 4]


def cohort_course(work: Path, trainees: list[str], labs: list[str]) -> Path:
    roster = work / "roster.csv"
    roster.write_text("trainee_id,name,agency,email\n" + "".join(f"{t},Officer {t},Police,\n" for t in trainees))
    course = init_course(work / "cohort", "MN", roster)
    for lab in labs:
        release(course, lab, workers=2)
        for i, trainee in enumerate(trainees):
            place_submission(course, lab, trainee, answered(course, lab, answers_of=trainee, fraction=fraction(i)))
    return course


def nbgrader(course: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def baseline_course(work: Path, trainees: list[str], labs: list[str]) -> tuple[Path, dict[str, dict[str, str]]]:
    course = work / "baseline"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(BASELINE_CONFIG.format(root=str(course)))
    envs = {}
    for lab in labs:
        spec = catalogue.get(lab)
        lab_dir = runtime.practice_dir(spec)
        env = {**os.environ, runtime.ENV_CASE: str(lab_dir / "case"), runtime.ENV_KEY: str(lab_dir / "key"),
               "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
        envs[lab] = env
        (course / "source" / lab).mkdir(parents=True)
        shutil.copy(spec.notebook, course / "source" / lab)
        nbgrader(course, env, "generate_assignment", lab, "--force")
        released = course / "release" / lab / spec.notebook.name
        for i, trainee in enumerate(trainees):
            folder = course / "submitted" / trainee / lab
            folder.mkdir(parents=True)
            nbformat.write(answer_notebook(released, lab, lab_dir, fraction(i)), folder / spec.notebook.name)
    return course, envs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--serial", action="store_true", help="also time our grader with one worker")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > 2:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:2])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    labs = [s.id for s in catalogue.discover() if int(s.data["workshop"]) == 1]
    trainees = [f"mn-{i:03d}" for i in range(1, args.trainees + 1)]
    work = Path(tempfile.mkdtemp(prefix="bench-autograde-"))
    os.environ[runtime.ENV_CACHE] = str(work / "cache")
    n = len(trainees) * len(labs)
    print(f"cores: {cores}; {len(trainees)} trainees x {len(labs)} labs = {n} submissions")
    try:
        started = time.perf_counter()
        base_course, envs = baseline_course(work, trainees, labs)
        course = cohort_course(work, trainees, labs)
        print(f"set-up (cases, releases, submissions): {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        for lab in labs:
            nbgrader(base_course, envs[lab], "autograde", lab, "--force")
        base = time.perf_counter() - started
        print(f"plain nbgrader autograde, serial, no sandbox: {base:7.1f} s  {base / n:.2f} s per submission")

        if args.serial:
            started = time.perf_counter()
            autograde(course, "W1", workers=1)
            serial = time.perf_counter() - started
            print(f"osintlab cohort autograde, 1 worker, sandbox:  {serial:7.1f} s  {serial / n:.2f} s per submission")

        started = time.perf_counter()
        autograde(course, "W1", workers=2, force=True)
        ours = time.perf_counter() - started
        print(f"osintlab cohort autograde, 2 workers, sandbox: {ours:7.1f} s  {ours / n:.2f} s per submission")
        ratio = base / ours
        verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
        print(f"speed-up over plain nbgrader: {ratio:.2f}x ({verdict} the {TARGET_RATIO}x target)")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
