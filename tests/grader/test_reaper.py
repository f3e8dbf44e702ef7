"""The grader's watchdog: a grader killed outright (kill -9) leaves no process of its run behind,
and a grader that ends normally sweeps nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from grader import reaper

pytestmark = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="Linux /proc")

# A grader: a watched run that starts a stand-in "sandbox" named after the run, in a session of
# its own (as bubblewrap's --new-session does), then waits to be killed or told to finish.
GRADER = textwrap.dedent("""
    import subprocess, sys, time
    from grader import reaper
    with reaper.watched_run() as marker:
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", marker + "sandbox"],
                                 start_new_session=True)
        print(child.pid, flush=True)
        if sys.argv[1] == "finish":
            time.sleep(1)
            child.terminate(); child.wait()
        else:
            time.sleep(120)
""")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _start(mode: str) -> tuple[subprocess.Popen[str], int]:
    grader = subprocess.Popen([sys.executable, "-c", GRADER, mode], stdout=subprocess.PIPE, text=True)
    assert grader.stdout is not None
    return grader, int(grader.stdout.readline())


def test_kill_9_of_a_grader_kills_what_its_run_left() -> None:
    grader, sandbox = _start("kill")
    assert _alive(sandbox)
    os.kill(grader.pid, signal.SIGKILL)
    grader.wait()
    deadline = time.monotonic() + 30
    while _alive(sandbox) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(sandbox), "the run's sandbox outlived its killed grader"


def test_a_grader_that_finishes_stops_its_watchdog_and_sweeps_nothing() -> None:
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", f"{reaper.PREFIX}other-run-x"])
    try:
        grader, _sandbox = _start("finish")
        assert grader.wait(timeout=60) == 0
        time.sleep(reaper.SWEEP_GAP * 2)
        assert bystander.poll() is None, "another run's process was killed"
        watchdogs = subprocess.run(["pgrep", "-f", f"grader.reaper {grader.pid} "], capture_output=True, text=True)
        assert watchdogs.stdout.strip() == "", "the watchdog outlived a grader that finished"
    finally:
        bystander.kill()
        bystander.wait()


def test_the_watchdog_refuses_a_marker_that_would_match_every_run() -> None:
    assert reaper.main([str(os.getpid()), reaper.PREFIX]) == 2
    assert reaper.main([str(os.getpid()), "python"]) == 2
