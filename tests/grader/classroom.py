"""A real classroom on this machine: officers are local accounts (useradd), the trainer is root.

Used by the end-to-end test (tests/grader/test_classroom.py) and the step-timing benchmark
(benchmarks/bench_classroom.py). Every officer command is nbgrader's own, run as the officer's
account (`runuser -u NAME --`) with no flags: the course's trainee-side config tells nbgrader where
the exchange and the course are. The system-wide config lives in this classroom's own folder and
officers' accounts find it through JUPYTER_CONFIG_PATH, as they would find /etc/jupyter.

Officers' Python: the trainer's virtual environment may sit where other accounts cannot read (on
this machine its interpreter is under /root). As on a shared server, where officers use the
system's Python, officers get a virtual environment on Debian's /usr/bin/python3 that reads the
project's installed packages (same Python minor version, so the same compiled wheels).

Accounts get names unique to the run and are removed (with their homes) when the classroom closes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat

from grader.simulate import answered

VENV_BIN = Path(sys.executable).parent
OSINTLAB = str(VENV_BIN / "osintlab")
SYSTEM_PYTHON = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")


def can_make_accounts() -> bool:
    tools = all(shutil.which(tool) for tool in ("useradd", "userdel", "runuser"))
    return os.geteuid() == 0 and tools and SYSTEM_PYTHON.is_file()


def officers_python(base: Path) -> Path:
    """A virtual environment on the system's Python that every account may run, reading this project's
    installed packages; returns its bin folder (python, nbgrader)."""
    import sysconfig

    venv = base / "officers-python"
    subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    site = next(venv.glob("lib/python*/site-packages"))
    (site / "osintlab-project.pth").write_text(f"import site; site.addsitedir({sysconfig.get_paths()['purelib']!r})\n")
    script = venv / "bin" / "nbgrader"
    script.write_text(f"#!{venv / 'bin' / 'python'}\nimport sys\nfrom nbgrader.apps.nbgraderapp import main\n"
                      "sys.exit(main())\n")
    for path in [venv, *venv.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or path == script else 0o644)
    return venv / "bin"


class Classroom:
    """One course, its officers' accounts and a stopwatch over the trainer's and officers' steps."""

    def __init__(self, base: Path, officers: list[str], lab: str) -> None:
        self.base, self.officers, self.lab = base, officers, lab
        self.course_rel = Path("courses") / "mn-cohort"
        self.exchange = base / "srv" / "exchange"
        self.config_dir = base / "etc" / "jupyter"
        self.timings: dict[str, float] = {}
        self.officer_bin = officers_python(base)

    @property
    def course(self) -> Path:
        return self.base / self.course_rel

    # ------------------------------------------------------------ timing and commands

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started

    def trainer(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        """`osintlab ARGS` as the trainer, from the classroom folder (course paths are relative)."""
        done = subprocess.run([OSINTLAB, *args], cwd=self.base, capture_output=True, text=True)
        if ok and done.returncode != 0:
            raise AssertionError(f"osintlab {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def home(self, officer: str) -> Path:
        return Path(f"/home/{officer}")

    def officer_env(self, officer: str) -> list[str]:
        return ["env", "-i", f"HOME={self.home(officer)}", f"USER={officer}", f"LOGNAME={officer}",
                f"PATH={self.officer_bin}:/usr/bin:/bin", "LANG=C.UTF-8", f"JUPYTER_CONFIG_PATH={self.config_dir}"]

    def as_officer(self, officer: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        """ARGS as the officer's own account, in their home folder."""
        done = subprocess.run(["runuser", "-u", officer, "--", *self.officer_env(officer), *args],
                              cwd=self.home(officer), capture_output=True, text=True)
        if ok and done.returncode != 0:
            raise AssertionError(f"{officer}: {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    # ------------------------------------------------------------ the officers' side

    def roster(self, name: str, officers: list[str]) -> Path:
        path = self.base / name
        path.write_text("trainee_id,name,agency,email\n" + "".join(
            f"{o},Officer {o.upper()},Police,{o}@training.example\n" for o in officers), encoding="utf-8")
        return path

    def fetch(self, officer: str) -> Path:
        self.as_officer(officer, "nbgrader", "fetch_assignment", self.lab)
        return self.home(officer) / self.lab / f"{self.lab}.ipynb"

    def work(self, officer: str, fraction: float, course: Path | None = None) -> None:
        """The officer's answers (from their own case), written into their fetched notebook by their account."""
        notebook = answered(course or self.course, self.lab, answers_of=officer, fraction=fraction)
        draft = self.base / "drafts" / f"{officer}.ipynb"
        draft.parent.mkdir(exist_ok=True, mode=0o755)
        nbformat.write(notebook, draft)
        os.chmod(draft, 0o644)
        self.as_officer(officer, "cp", str(draft), str(self.home(officer) / self.lab / f"{self.lab}.ipynb"))

    def submit(self, officer: str) -> None:
        self.as_officer(officer, "nbgrader", "submit", self.lab)

    # ------------------------------------------------------------ the formgrader

    @contextmanager
    def formgrader(self) -> Iterator[tuple[int, str, subprocess.Popen[str]]]:
        """The formgrader started as the README shows (relative course path); yields (port, token, process)."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        proc = subprocess.Popen([OSINTLAB, "cohort", "formgrader", str(self.course_rel), "--port", str(port)],
                                cwd=self.base, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                start_new_session=True)
        try:
            assert proc.stdout is not None
            found = re.search(rf"http://127\.0\.0\.1:{port}/formgrader\?token=(\w+)", proc.stdout.readline())
            assert found, "the formgrader did not print its address"
            token = found.group(1)
            deadline = time.monotonic() + 120
            while True:
                try:
                    self.api(port, token, "GET", "/formgrader/api/status")
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise AssertionError("the formgrader did not answer on the port it printed") from None
                    time.sleep(0.3)
            yield port, token, proc
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=30)

    @staticmethod
    def api(port: int, token: str, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def grade_written_answers(self, port: int, token: str, officer: str, points: float) -> int:
        """Give `points` to every written answer of the officer's submission, through the formgrader's REST API."""
        notebooks = self.api(port, token, "GET", f"/formgrader/api/submitted_notebooks/{self.lab}/{self.lab}")
        submission = next(n for n in notebooks if n["student"] == officer)
        graded = 0
        for grade in self.api(port, token, "GET", f"/formgrader/api/grades?submission_id={submission['id']}"):
            if grade["needs_manual_grade"]:
                self.api(port, token, "PUT", f"/formgrader/api/grade/{grade['id']}", {"manual_score": points})
                graded += 1
        return graded


def fingerprint(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path (to prove a folder was not touched)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@contextmanager
def classroom(count: int, lab: str, *, late: int = 0) -> Iterator[tuple[Classroom, list[str]]]:
    """A classroom folder (0711, under /tmp) and `count` officer accounts (+ `late` accounts kept apart for
    officers who join later); yields (classroom, late officers). Everything is removed afterwards."""
    run = secrets.token_hex(2)
    names = [f"ox{run}-{i:02d}" for i in range(1, count + 1)]
    if count >= 3:
        names[2] = f"g.ox{run}"  # a dotted login name, as many agencies give
    late_names = [f"ox{run}-late{i}" for i in range(1, late + 1)]
    base = Path(tempfile.mkdtemp(prefix="osintlab-classroom-", dir="/tmp"))
    os.chmod(base, 0o711)
    made: list[str] = []
    try:
        for name in [*names, *late_names]:
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True,
                           capture_output=True)
            made.append(name)
        yield Classroom(base, names, lab), late_names
    finally:
        for name in made:
            subprocess.run(["userdel", "--remove", "--force", name], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
