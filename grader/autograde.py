"""`osintlab cohort autograde DIR LAB|W1 [--workers N]`: grade every submission, in parallel.

Each worker process keeps one in-process nbgrader API and grades one submission at a time
with nbgrader's own autograde (configured by grader.nbconfig: inspection, sandboxed kernel,
trusted re-score). Workers share the gradebook under one lock that is released while kernels
run (grader.locking), so grading runs in parallel and gradebook writes never overlap.

Never lose work:
- the gradebook is backed up before grading (SQLite; a server database is the trainer's to dump);
- a submission is marked done (.osintlab/graded/<lab>/<trainee>.json, with its sha256) only after
  nbgrader recorded its grades, so a killed run re-grades exactly the unfinished ones;
- a submission that changed since it was graded is graded again; --force re-grades all;
- a missing or corrupted notebook is flagged and skipped, and the rest of the cohort is graded.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader import flags as flagstore
from grader import locking, reaper
from grader.cohort import STATE, backup_gradebook, course_state
from grader.collect import Submission, find_submission
from grader.flags import Flag
from grader.progress import bar
from grader.release import resolve_labs
from grader.sandbox import check_course_outside, require_tools
from grader.variants import variant_dir
from osintlab.fsutil import atomic_write_text
from osintlab.i18n import _, language, ngettext, set_language


@dataclass(frozen=True)
class Task:
    course: str
    lab: str
    trainee: str
    sha256: str


@dataclass(frozen=True)
class Outcome:
    task: Task
    ok: bool
    seconds: float
    error: str = ""


def done_marker(course: Path, lab: str, trainee: str) -> Path:
    return Path(course) / STATE / "graded" / lab / f"{trainee}.json"


def is_done(course: Path, sub: Submission) -> bool:
    marker = done_marker(course, sub.lab, sub.trainee)
    autograded = Path(course) / "autograded" / sub.trainee / sub.lab / sub.notebook.name
    if not (marker.is_file() and autograded.is_file()):
        return False
    return bool(json.loads(marker.read_text(encoding="utf-8")).get("sha256") == sub.sha256)


def plan(course: Path, target: str, *, force: bool = False) -> tuple[list[Task], list[str]]:
    """The submissions to grade, and one line per lab on what is skipped and why."""
    state = course_state(course)
    roster = [str(t["trainee_id"]) for t in state["trainees"]]  # type: ignore[union-attr]
    tasks, lines = [], []
    for spec in resolve_labs(target):
        missing = done = bad = 0
        for trainee in roster:
            sub = find_submission(course, spec, trainee)
            if sub is None:
                missing += 1
            elif not sub.gradable:
                bad += 1
                flagstore.write_flags(course, spec.id, trainee, "collect", sub.flags)
            elif not (variant_dir(course, spec.id, trainee) / "key" / "lab.json").is_file():
                bad += 1
                flagstore.write_flags(course, spec.id, trainee, "autograde", [Flag(
                    "grading-failed", _("This trainee has no case for the lab: run osintlab cohort release again."))])
            elif not force and is_done(course, sub):
                done += 1
            else:
                assert sub.sha256 is not None
                _forget_file_flags(course, spec.id, trainee, sub.flags)
                tasks.append(Task(str(course), spec.id, trainee, sub.sha256))
        lines.append(_("{lab}: {to_grade} to grade, {done} already graded, {bad} not gradable (flagged), "
                       "{missing} not submitted.").format(lab=spec.id, to_grade=sum(t.lab == spec.id for t in tasks),
                                                          done=done, bad=bad, missing=missing))
    return tasks, lines


FILE_KINDS = ("missing", "corrupted", "format-note")


def _forget_file_flags(course: Path, lab: str, trainee: str, found: list[Flag]) -> None:
    """A readable notebook is now in place: earlier findings on the file give way to this file's own."""
    kept = [Flag(**f) for f in flagstore.read_flags(course, lab, trainee)["stages"].get("collect", [])
            if f["kind"] not in FILE_KINDS]
    flagstore.write_flags(course, lab, trainee, "collect", [*kept, *found])


def autograde(course: Path, target: str, *, workers: int = 2, force: bool = False) -> list[str]:
    course = Path(course).resolve()
    require_tools()
    check_course_outside(course)
    tasks, lines = plan(course, target, force=force)
    if not tasks:
        return [*lines, _("Nothing to grade.")]
    backup = backup_gradebook(course, "before-autograde")
    started = time.perf_counter()
    outcomes = _run(tasks, workers)
    failed = [o for o in outcomes if not o.ok]
    for outcome in failed:
        _flag_failure(course, outcome)
    wall = time.perf_counter() - started
    graded = len(outcomes) - len(failed)
    # Translators: {workers} is "1 worker" or "2 workers" (processes grading at once).
    lines.append(ngettext("Graded {graded} submission in {seconds} s with {workers} ({each} s per submission); "
                          "{failed} could not be graded (flagged).",
                          "Graded {graded} submissions in {seconds} s with {workers} ({each} s per submission); "
                          "{failed} could not be graded (flagged).", graded).format(
        graded=graded, seconds=f"{wall:.1f}", each=f"{wall / len(outcomes):.2f}", failed=len(failed),
        workers=ngettext("{count} worker", "{count} workers", workers).format(count=workers)))
    if backup:
        lines.append(_("Gradebook backup from before this run: {path}").format(path=backup))
    return lines


def _run(tasks: list[Task], workers: int) -> list[Outcome]:
    outcomes = []
    with reaper.watched_run(), bar(len(tasks), _("autograde"), _("submission")) as progress:
        if workers <= 1:
            for task in tasks:
                outcomes.append(grade_one(task))
                progress.update()
        else:
            lock = Path(tasks[0].course) / STATE / "gradebook.lock"
            with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                                     initargs=(lock, os.getpid(), language())) as pool:
                futures = {pool.submit(grade_one, t): t for t in tasks}
                for future in as_completed(futures):
                    try:
                        outcomes.append(future.result())
                    except Exception as exc:  # a worker died (e.g. killed by the system): not graded, flagged
                        outcomes.append(Outcome(futures[future], False, 0.0,
                                                _("the grading worker stopped: {error}").format(error=repr(exc))))
                    progress.update()
    return sorted(outcomes, key=lambda o: (o.task.lab, o.task.trainee))


def _start_worker(lock: Path, parent: int, lang: str) -> None:
    die_with_parent(parent)
    locking.use(lock)
    set_language(lang)  # the flags a worker writes are in the course's language


def die_with_parent(parent: int) -> None:
    """Have Linux kill this worker when the grader that started it dies, even by `kill -9`, which
    leaves no chance to clean up (prctl PR_SET_PDEATHSIG). The worker's sandboxed kernel then dies
    with it (bubblewrap --die-with-parent). Elsewhere than Linux this does nothing."""
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the grader died before the signal was armed
        os._exit(1)


_apis: dict[str, Any] = {}


def grade_one(task: Task) -> Outcome:
    """Autograde one submission with nbgrader, in this process (a pool worker or the main one)."""
    from grader.nbconfig import nbgrader_api

    started = time.perf_counter()
    api = _apis.get(task.course) or _apis.setdefault(task.course, nbgrader_api(Path(task.course)))
    with locking.held(), warnings.catch_warnings():
        # nbgrader 0.9.6 with SQLAlchemy 2 warns about its own session use on every submission
        warnings.filterwarnings("ignore", message=".*not in session.*")
        result = api.autograde(task.lab, task.trainee, force=True, create=False)
        if result.get("success"):
            stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            atomic_write_text(done_marker(Path(task.course), task.lab, task.trainee),
                              json.dumps({"sha256": task.sha256, "graded": stamp}) + "\n")
    error = "" if result.get("success") else str(result.get("error") or result.get("log") or "")
    return Outcome(task, bool(result.get("success")), time.perf_counter() - started, error)


def _flag_failure(course: Path, outcome: Outcome) -> None:
    task = outcome.task
    last = [line for line in outcome.error.strip().splitlines() if line.strip()][-1:] or [_("no message")]
    current = flagstore.read_flags(course, task.lab, task.trainee)["stages"].get("autograde", [])
    kept = [Flag(**f) for f in current if f["kind"] != "grading-failed"]
    stopped = _("nbgrader stopped: {message}").format(message=last[0][:200])
    flagstore.write_flags(course, task.lab, task.trainee, "autograde", [*kept, Flag("grading-failed", stopped)])
