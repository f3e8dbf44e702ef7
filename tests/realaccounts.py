"""What tests that run things as other local accounts need, and what they do when it is missing.

The classroom tests (tests/hub/, tests/grader/test_classroom.py) make real officers' accounts
(useradd) and run this checkout's Python as them (runuser). That needs root, the account tools,
and a checkout and virtual environment that other accounts may enter: on a machine where the
checkout sits in a folder only root may enter (/root/...), every officer's server would fail.

On a developer's machine those tests skip with the reason. In CI (.ci/run sets
OSINTLAB_REQUIRE_ACCOUNTS=1) they fail with one sentence instead, so a CI machine that cannot run
them never passes by skipping them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REQUIRE = "OSINTLAB_REQUIRE_ACCOUNTS"
REPO = Path(__file__).resolve().parents[1]
TOOLS = ("useradd", "userdel", "groupadd", "gpasswd", "runuser")
PROBE = "import site, sys; site.addsitedir(sys.argv[1]); import grader.cohort, hub.layout"


def _closed_folder(path: Path) -> Path | None:
    """The first folder on the way to `path` that other accounts may not pass (no o+x), if any."""
    for folder in [*reversed(path.parents), path]:
        if folder.is_dir() and not folder.stat().st_mode & 0o001:
            return folder
    return None


def missing(python: str = sys.executable) -> str | None:
    """Why real-account tests cannot run on this machine, as one clause; None if they can.
    python: the interpreter the other accounts will run (it reads this checkout's installed packages)."""
    if os.geteuid() != 0:
        return "they make real local accounts (useradd), which needs root"
    absent = [tool for tool in TOOLS if shutil.which(tool) is None]
    if absent:
        return f"{', '.join(absent)} {'is' if len(absent) == 1 else 'are'} not installed"
    if not Path(python).exists():
        return f"{python} is not installed"
    probe = subprocess.run(["runuser", "-u", "nobody", "--", python, "-c", PROBE, sysconfig.get_paths()["purelib"]],
                           capture_output=True, text=True, check=False, cwd="/")
    if probe.returncode == 0:
        return None
    closed = _closed_folder(REPO) or _closed_folder(Path(python).resolve().parent)
    reason = (f"{closed} is closed to them (chmod o+x it, as .ci/run does)" if closed
              else (probe.stderr.strip().splitlines() or ["no error message"])[-1])
    return f"other accounts cannot run {python} with this checkout: {reason}"


def require_accounts(python: str = sys.executable) -> None:
    """Skip the calling test with the reason when real accounts cannot be used here, or fail with it when
    OSINTLAB_REQUIRE_ACCOUNTS=1 (CI)."""
    why = missing(python)
    if why is None:
        return
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"this real-account test cannot run: {why} ({REQUIRE}=1 says it must).", pytrace=False)
    pytest.skip(f"real-account test skipped: {why}")
