"""The grading sandbox: a trainee's kernel runs inside bubblewrap, the grader stays outside.

Only the kernel (the untrusted part) is sandboxed. nbclient, nbgrader and the answer key stay
in the grader's process and talk to the kernel over ZeroMQ `ipc` sockets (Unix socket files in
a shared folder), which work across the sandbox's empty network namespace.

What the kernel sees:
    /usr (read-only), Python and the virtualenv (read-only), the osintlab packages (read-only,
    lab solution notebooks hidden), its own lab case (read-only, no key), a private copy of its
    submission folder (writable), a tmpfs /tmp, and nothing else: no course folder, no gradebook,
    no other trainee, no keys, no secret, no network (only a loopback device), its own PID
    namespace, no capabilities, uid "nobody".
Limits (util-linux `prlimit`, inherited by every process in the sandbox): address space,
CPU seconds, file size, no core files. bubblewrap's --die-with-parent kills the sandbox if the
grader dies; the run's watchdog (grader.reaper) kills one that started too late to arm it.
"""

from __future__ import annotations

import shutil
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

from osintlab.errors import UserError
from osintlab.i18n import _

PROJECT_PACKAGES = ("osintlab", "labs", "sandbox", "synthetic_data", "coursekit")
# Files in the packages a trainee's code must not read: solution notebooks, their Markdown
# sources (labs/<id>/<id>.md) and trainer notes.
HIDDEN_PATTERNS = ("*.ipynb", "*.md", "partial.yml")
INSIDE_HOME = Path("/home/trainee")
INSIDE_CASE = Path("/lab/case")


@dataclass(frozen=True)
class Limits:
    """Per-process limits inside the sandbox (time per cell and per notebook: grader.execute)."""

    memory_mb: int = 2048  # address space per process; ipykernel itself needs ~600 MB of it
    cpu_seconds: int = 600
    file_mb: int = 64


@dataclass(frozen=True)
class SandboxSpec:
    case_dir: Path | None  # the trainee's lab case, bound read-only at /lab/case
    work_dir: Path  # a private copy of the submission folder: the kernel's home and cwd
    ipc_dir: Path  # connection file and ipc sockets, bound at the same path
    limits: Limits = field(default_factory=Limits)


def require_tools() -> None:
    missing = [tool for tool in ("bwrap", "prlimit") if shutil.which(tool) is None]
    if missing:
        tools = missing[0] if len(missing) == 1 else _("{first} and {second}").format(first=missing[0],
                                                                                      second=missing[1])
        raise UserError(_("{tools} not found: install the Debian packages bubblewrap and util-linux (make setup does "
                          "it) before grading.").format(tools=tools))


def _runtime_dirs() -> list[Path]:
    """Read-only folders the kernel needs: the interpreter, its standard library, the venv."""
    dirs = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(),
            Path(sysconfig.get_paths()["purelib"]).resolve(), Path(sys.executable).resolve().parent}
    return sorted(d for d in dirs if not str(d).startswith("/usr/"))


def _package_dirs() -> list[Path]:
    import importlib.util

    found = []
    for name in PROJECT_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            found.extend(Path(p).resolve() for p in spec.submodule_search_locations)
    return found


def _hidden_files(package_dirs: list[Path]) -> list[Path]:
    return sorted({p for d in package_dirs for pattern in HIDDEN_PATTERNS for p in d.rglob(pattern)})


def check_course_outside(course: Path) -> None:
    """Refuse a course folder the sandbox would expose (e.g. one made inside the virtualenv)."""
    course = Path(course).resolve()
    for exposed in [Path("/usr"), *_runtime_dirs(), *_package_dirs()]:
        if course.is_relative_to(exposed):
            raise UserError(_("the course {course} is inside {folder}, which graded code can read: move the course "
                              "to its own folder.").format(course=course, folder=exposed))


def bwrap_command(spec: SandboxSpec, argv: list[str], env: dict[str, str]) -> list[str]:
    """`prlimit ... bwrap ... -- argv` for one kernel."""
    lim = spec.limits
    cmd = ["prlimit", f"--as={lim.memory_mb * 2**20}", f"--cpu={lim.cpu_seconds}",
           f"--fsize={lim.file_mb * 2**20}", "--core=0", "--",
           "bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
           "--unshare-user", "--uid", "65534", "--gid", "65534",
           "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
           "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    packages = _package_dirs()
    for path in [*_runtime_dirs(), *packages]:
        cmd += ["--ro-bind", str(path), str(path)]
    for path in _hidden_files(packages):
        cmd += ["--ro-bind", "/dev/null", str(path)]
    if spec.case_dir is not None:
        cmd += ["--ro-bind", str(spec.case_dir), str(INSIDE_CASE)]
    cmd += ["--bind", str(spec.work_dir), str(INSIDE_HOME), "--bind", str(spec.ipc_dir), str(spec.ipc_dir),
            "--chdir", str(INSIDE_HOME), "--clearenv"]
    for name, value in sorted(env.items()):
        cmd += ["--setenv", name, value]
    return [*cmd, "--", *argv]


def kernel_env(spec: SandboxSpec, extra: dict[str, str]) -> dict[str, str]:
    """The kernel's whole environment: nothing of the grader's leaks in."""
    env = {"HOME": str(INSIDE_HOME), "USER": "trainee", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin",
           "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1", "MPLBACKEND": "Agg",
           "MPLCONFIGDIR": "/tmp/matplotlib", "IPYTHONDIR": "/tmp/ipython", "JUPYTER_RUNTIME_DIR": "/tmp/jupyter",
           "JUPYTER_PLATFORM_DIRS": "1"}
    if spec.case_dir is not None:
        env["OSINTLAB_CASE_DIR"] = str(INSIDE_CASE)
    return {**env, **extra}
