"""A watchdog that outlives the grader and kills the sandboxes a killed grader leaves behind.

Each grading worker dies with the grader (PR_SET_PDEATHSIG) and each sandbox with its worker
(bubblewrap --die-with-parent). But bubblewrap arms that only once it runs, and so does every
process it starts: a worker killed in the instant a sandbox starts leaves that sandbox running,
owned by nobody. Nothing in the grader can act after `kill -9`, so a small process in a session
of its own watches it (Linux pidfd: woken when the grader exits, never fooled by a reused pid)
and, if the grader dies without stopping it, kills every process of that run: their command
lines hold the run's marker (the sandboxes' folders are named after it, grader.execute).
A grader that ends normally stops the watchdog first, and nothing is swept.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ENV_RUN = "OSINTLAB_GRADE_RUN"
PREFIX = "osintlab-grade-"
SWEEPS, SWEEP_GAP = 10, 0.3  # seconds: a process forked during one sweep is caught by the next


def folder_prefix() -> str:
    """The prefix of a sandbox's temporary folder: `osintlab-grade-<run>-` inside a watched run
    (the run id comes from the environment, so pool workers inherit it), else `osintlab-grade-`."""
    run = os.environ.get(ENV_RUN, "")
    return f"{PREFIX}{run}-" if run else PREFIX


@contextlib.contextmanager
def watched_run() -> Iterator[str]:
    """Give this grading run an id and a watchdog; yields the run's marker. On a normal exit (or
    an exception) the watchdog is stopped; if this process is killed, it sweeps."""
    run = secrets.token_hex(6)
    before = os.environ.get(ENV_RUN)
    os.environ[ENV_RUN] = run
    marker = folder_prefix()
    watchdog = subprocess.Popen([sys.executable, "-m", "grader.reaper", str(os.getpid()), marker],
                                start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, close_fds=True)
    try:
        yield marker
    finally:
        watchdog.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            watchdog.wait(timeout=10)
        if before is None:
            os.environ.pop(ENV_RUN, None)
        else:
            os.environ[ENV_RUN] = before


def sweep(marker: str) -> int:
    """SIGKILL every process (but this one) whose command line contains `marker`; how many."""
    killed = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if marker in cmdline:
                os.kill(int(entry.name), signal.SIGKILL)
                killed += 1
        except (OSError, ProcessLookupError):  # gone meanwhile, or not ours to read
            continue
    return killed


def wait_for_exit(pid: int) -> None:
    """Return once process `pid` has exited."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    except OSError:  # a kernel without pidfd (before Linux 5.3): poll instead
        while Path(f"/proc/{pid}").exists():
            time.sleep(0.5)
        return
    try:
        select.select([fd], [], [])
    finally:
        os.close(fd)


def main(argv: list[str]) -> int:
    pid, marker = int(argv[0]), argv[1]
    if not marker.startswith(PREFIX) or marker == PREFIX:  # never sweep every run on the machine
        return 2
    wait_for_exit(pid)
    for _ in range(SWEEPS):
        sweep(marker)
        time.sleep(SWEEP_GAP)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
