"""Helpers for hub tests: a real hub in a temporary folder, real accounts with unique names, the CLI
exactly as the README runs it, and clean-up that removes every account the hub made."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.realaccounts import require_accounts

REPO = Path(__file__).resolve().parents[2]
OSINTLAB = str(Path(sys.executable).parent / "osintlab")
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"]
SLIP = re.compile(r"User name: <code>([^<]+)</code><br>Password: <code>([^<]+)</code>")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def unique(prefix: str = "t") -> str:
    """A short name no other test run uses (login names and course ids are machine-wide)."""
    return prefix + secrets.token_hex(3)


def osintlab(*args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([OSINTLAB, *args], capture_output=True, text=True, timeout=timeout, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"osintlab {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def write_roster(path: Path, officers: list[str]) -> Path:
    rows = ["trainee_id,name,agency,email"]
    rows += [f"{o},Officer {o.upper()},Police,{o}@training.example" for o in officers]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def passwords(hub: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for slip in sorted((hub / "slips").glob("*.html")):
        found.update(SLIP.findall(slip.read_text(encoding="utf-8")))
    return found


def run_as(account: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["runuser", "-u", account, "--", *argv], capture_output=True, text=True, check=False)


@dataclass
class Hub:
    root: Path
    port: int
    courses: dict[str, Path] = field(default_factory=dict)  # course id -> folder

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.port}"


@contextmanager
def temporary_hub() -> Iterator[Hub]:
    """A hub folder others may enter (pytest's tmp folders are 0700), torn down with its accounts.
    Skips (or fails in CI) when real accounts cannot be used here (tests/realaccounts.py)."""
    require_accounts()  # officers' servers run this venv's Python as their own accounts
    root = Path(tempfile.mkdtemp(prefix="osintlab-hub-test-", dir="/tmp"))
    os.chmod(root, 0o755)
    hub = Hub(root, free_port())
    try:
        yield hub
    finally:
        if (root / "logs" / "hub.log").is_file():  # for people to read when a hub test fails
            ARTIFACTS.mkdir(exist_ok=True)
            shutil.copy(root / "logs" / "hub.log", ARTIFACTS / f"hub-test-{root.name}.log")
        if (root / "hub.yml").is_file():
            osintlab("hub", "stop", str(root), check=False, timeout=180)
            osintlab("hub", "remove-accounts", str(root), "--delete-homes", check=False)
        shutil.rmtree(root, ignore_errors=True)


def setup_course(hub: Hub, name: str, officers: list[str], trainer: str, country: str = "MN",
                 extra: tuple[str, ...] = ()) -> Path:
    """The README's set-up command for one cohort, on loopback and a free port."""
    roster = write_roster(hub.root / f"{name}-roster.csv", officers)
    course = hub.root / "courses" / name
    osintlab("hub", "setup", str(hub.root), "--course", str(course), "--country", country, "--roster", str(roster),
             "--trainer", trainer, "--ip", "127.0.0.1", "--port", str(hub.port), "--host", "localhost", *extra)
    hub.courses[name] = course
    return course
