"""Parallel grading equals serial grading, and a killed run resumes with nothing lost or doubled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.autograde import autograde
from grader.simulate import answered, place_submission
from tests.grader.cohortkit import flag_kinds, make_cohort, scores

LAB = "w1-01-passive-active"
TRAINEES = [f"t{i:02d}" for i in range(1, 11)]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = make_cohort(tmp_path_factory.mktemp("resume"), TRAINEES, [LAB])
    for i, trainee in enumerate(TRAINEES):
        place_submission(course, LAB, trainee, answered(course, LAB, answers_of=trainee, fraction=(i % 4) / 3))
    return course


def _done(course: Path) -> int:
    return len(list((course / ".osintlab" / "graded" / LAB).glob("*.json")))


def _sandboxes(course: Path) -> int:
    """Sandboxes grading this course (other worktrees may be grading their own at the same time)."""
    out = subprocess.run(["pgrep", "-f", f"bwrap .*{course}/"], capture_output=True, text=True)
    return len(out.stdout.split())


def test_a_killed_run_resumes_and_parallel_equals_serial(course: Path) -> None:
    cli = str(Path(sys.executable).parent / "osintlab")
    proc = subprocess.Popen([cli, "cohort", "autograde", str(course), LAB, "--workers", "2"],
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _done(course) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = _done(course)
    assert 2 <= killed_at < len(TRAINEES), "the run should have been killed half-way"
    time.sleep(1)
    assert _sandboxes(course) == 0, "killing the grader must kill its sandboxed kernels"

    lines = autograde(course, LAB, workers=2)
    assert f"{len(TRAINEES) - killed_at} to grade, {killed_at} already graded" in lines[0]
    parallel = scores(course, LAB)
    assert sorted(parallel) == TRAINEES  # every trainee once: nothing lost, nothing doubled

    autograde(course, LAB, workers=1, force=True)
    assert scores(course, LAB) == parallel
    assert len({p["total"] for p in parallel.values()}) >= 3  # the cohort's scores differ: a real comparison
    assert len(list((course / ".osintlab" / "backups").glob("gradebook-*.db"))) >= 2


def test_a_changed_submission_is_graded_again(course: Path) -> None:
    autograde(course, LAB, workers=1)
    place_submission(course, LAB, "t01", answered(course, LAB, answers_of="t01"))
    lines = autograde(course, LAB, workers=1)
    assert "1 to grade" in lines[0]
    assert scores(course, LAB)["t01"]["total"] == 6.0


def test_a_fixed_notebook_clears_its_corrupted_flag(course: Path) -> None:
    place_submission(course, LAB, "t02", '{"cells": [')
    assert "1 not gradable" in autograde(course, LAB, workers=1)[0]
    assert "corrupted" in flag_kinds(course, LAB, "t02")
    place_submission(course, LAB, "t02", answered(course, LAB, answers_of="t02"))
    autograde(course, LAB, workers=1)
    assert "corrupted" not in flag_kinds(course, LAB, "t02")
    assert scores(course, LAB)["t02"]["total"] == 6.0


def test_no_sandbox_outlives_its_grading(course: Path) -> None:
    autograde(course, LAB, workers=1, force=True)  # in this process: nothing dies with a parent here
    time.sleep(0.5)
    assert _sandboxes(course) == 0


def _session(sid: int) -> list[str]:
    out = subprocess.run(["ps", "-o", "pid=,args=", "-s", str(sid)], capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line.strip()]


def test_kill_9_of_the_grader_alone_leaves_no_worker_running(course: Path) -> None:
    cli = str(Path(sys.executable).parent / "osintlab")
    proc = subprocess.Popen([cli, "cohort", "autograde", str(course), LAB, "--workers", "2", "--force"],
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (len(_session(proc.pid)) >= 3 and _sandboxes(course)) and time.monotonic() < deadline:
        time.sleep(0.05)  # the grader and its 2 workers (kernels run in sessions of their own), a sandbox
    assert len(_session(proc.pid)) >= 3 and _sandboxes(course), "the workers should be grading"
    # Kill in the instant a sandbox starts, before bubblewrap arms --die-with-parent: the run's
    # watchdog (grader.reaper) kills what the dying workers could not take with them.
    os.kill(proc.pid, signal.SIGKILL)  # the grader only, as `kill -9 PID` does: no process-group kill
    proc.wait()
    deadline = time.monotonic() + 60  # workers notice within a second; a loaded 2-core machine (CI) is slower
    while (_session(proc.pid) or _sandboxes(course)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session(proc.pid) == [], f"grading workers outlived the grader: {_session(proc.pid)}"
    assert _sandboxes(course) == 0, "sandboxed kernels outlived the grader"
    autograde(course, LAB, workers=2)  # the next run finishes the job
    assert sorted(scores(course, LAB)) == TRAINEES
