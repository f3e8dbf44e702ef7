"""nbgrader's Execute step, with the kernel in the sandbox and the points from a trusted re-score.

Registered in the course's nbgrader_config.py, so `osintlab cohort autograde` and the
formgrader's autograde button grade the same way. For each submission:

1. the kernel starts inside bubblewrap (grader.sandbox) with the trainee's case and no key, and
   speaks the language the lab was released in (OSINTLAB_LANG), so what it prints, which feedback
   shows, is in the officer's language;
2. each hidden test calls `lab.grade`, which in the sandbox only records the plain answer;
   the grader attributes every recorded line to the cell that was running when it appeared;
3. after the run, the grader scores each test cell's answer with the key, in this process,
   and writes the points as the cell's only output; nbgrader's SaveAutoGrades then reads them.
   Nothing the trainee's code prints or returns can become a score.
Anomalies become flags (grader.flags), stage "autograde".
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Enum, Integer, Unicode

from grader import flags as flagstore
from grader import locking, reaper
from grader.flags import Flag
from grader.language import lab_language
from grader.sandbox import Limits, SandboxSpec, bwrap_command, kernel_env
from grader.variants import COPY_MARGIN, variant_dir
from osintlab.i18n import ENV_LANG, _, ngettext

MAX_ANSWER_BYTES = 4 * 2**20  # a recorded-answers file larger than this is not read
# An answer is another trainee's when it is exactly right on their case (full points: an honest
# answer almost never is, by chance, on a case it was not written for) and scores at least
# COPY_MARGIN of the points more there than on the trainee's own case (release keeps variants
# that far apart).


class SandboxedKernelManager(AsyncKernelManager):
    """Starts the kernel inside bubblewrap; talks to it over ipc sockets in `spec.ipc_dir`."""

    def __init__(self, spec: SandboxSpec, extra_env: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sandbox = spec
        self.extra_env = extra_env
        self.transport = "ipc"
        self.ip = str(spec.ipc_dir / "kernel")
        self.connection_file = str(spec.ipc_dir / "kernel.json")

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        argv = super().format_kernel_cmd(extra_arguments)
        return bwrap_command(self.sandbox, argv, kernel_env(self.sandbox, self.extra_env))

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        # The kernel runs in its own session inside the sandbox, out of reach of a process-group
        # signal: interrupt it with a message on its control channel instead.
        self.kernel_spec.interrupt_mode = "message"
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        # the kernel's own output (and bubblewrap's errors) go to a log, not the trainer's terminal
        kw["stdout"] = kw["stderr"] = self.log_file
        return cmd, kw

    def stop_sandbox(self) -> None:
        """Kill the sandbox if it still runs (nbclient shuts kernels down, but not one that failed to
        start). Killing bubblewrap ends everything inside: it is the sandbox's PID 1's parent."""
        process = getattr(self.provisioner, "process", None) if self.provisioner else None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)

    @property
    def log_file(self) -> Any:
        if getattr(self, "_log", None) is None:
            self._log = open(self.sandbox.ipc_dir / "kernel.log", "ab")  # noqa: SIM115 - closed in close_log
        return self._log

    def close_log(self) -> str:
        """Close the kernel's log and return its last lines (for a failed start)."""
        if getattr(self, "_log", None) is not None:
            self._log.close()
        path = self.sandbox.ipc_dir / "kernel.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-5:]) if path.is_file() else ""


class SandboxedExecute(Execute):
    # A cell that produces no output for a while is not an error; the cell time limit handles loops.
    raise_on_iopub_timeout = Bool(False).tag(config=True)
    # The sandbox is thrown away after grading: no need to wait for the trainee's atexit hooks.
    shutdown_kernel = Enum(["graceful", "immediate"], default_value="immediate").tag(config=True)

    course_root = Unicode("", help="The cohort course folder (for variants and flags).").tag(config=True)
    memory_mb = Integer(Limits.memory_mb, help="Address-space limit of the kernel, in MB.").tag(config=True)
    notebook_seconds = Integer(300, help="Time budget of a whole notebook; cells get what is left.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> tuple[NotebookNode, Any]:
        from labs import catalogue, runtime

        trainee, lab_id = resources["nbgrader"]["student"], resources["nbgrader"]["assignment"]
        variant = variant_dir(Path(self.course_root), lab_id, trainee)
        lab = runtime.Lab(catalogue.get(lab_id, check=False), variant / "case", variant / "key")
        self._flags: list[Flag] = []
        with tempfile.TemporaryDirectory(prefix=reaper.folder_prefix()) as tmp:  # the run's watchdog finds it
            home, ipc = Path(tmp) / "home", Path(tmp) / "ipc"
            _copy_submission_files(Path(resources["metadata"]["path"]), home)
            ipc.mkdir()
            self._answers = ipc / "answers.jsonl"
            self._answers.touch()
            limits = Limits(memory_mb=self.memory_mb, cpu_seconds=self.notebook_seconds * 2)
            spec = SandboxSpec(case_dir=lab.case_dir, work_dir=home, ipc_dir=ipc, limits=limits)
            extra = {runtime.ENV_ANSWERS: str(self._answers), ENV_LANG: lab_language(Path(self.course_root), lab_id)}
            manager = SandboxedKernelManager(spec, extra, config=self.config)
            self._run(nb, resources, manager)
        self._score(nb, lab)
        flagstore.write_flags(Path(self.course_root), lab_id, trainee, "autograde", self._flags)
        return nb, resources

    # ------------------------------------------------------------ running, watching each cell

    def _run(self, nb: NotebookNode, resources: Any, manager: SandboxedKernelManager) -> None:
        self._offset = 0
        self._by_cell: dict[int, list[str]] = {}
        self._stray: list[str] = []
        self._current = -1
        self._deadline = time.monotonic() + self.notebook_seconds
        self._manager = manager
        with locking.released():  # other workers may use the gradebook while this kernel runs
            try:
                super().preprocess(nb, resources)  # no km argument: nbclient owns it and shuts it down
            except CellTimeoutError:
                where = _cell_name(nb.cells[self._current], self._current) if self._current >= 0 else None
                self._flags.append(Flag("timeout", _("The kernel stopped answering; the cells after this one "
                                                     "were not run."), where))
            except DeadKernelError:
                where = _cell_name(nb.cells[self._current], self._current) if self._current >= 0 else None
                self._flags.append(Flag("kernel-died", _("The kernel stopped while this cell ran; the cells after it "
                                                         "were not run."), where))
            except RuntimeError as exc:  # the kernel never started: a sandbox problem, not the trainee's
                raise RuntimeError(_("the grading sandbox did not start: {error}").format(error=exc)
                                   + "\n" + manager.close_log()) from exc
            finally:
                manager.stop_sandbox()
                manager.close_log()
        self._stray.extend(self._new_lines())

    def create_kernel_manager(self) -> SandboxedKernelManager:
        self.km = self._manager
        return self._manager

    def on_cell_start(self, **kwargs: Any) -> None:
        self._current = kwargs["cell_index"]
        self._stray.extend(self._new_lines())

    def on_cell_executed(self, **kwargs: Any) -> None:
        super().on_cell_executed(**kwargs)
        self._by_cell.setdefault(kwargs["cell_index"], []).extend(self._new_lines())

    def _get_timeout(self, cell: NotebookNode | None) -> int | None:
        left = int(self._deadline - time.monotonic())
        return max(1, min(self.timeout or left, left))

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None) -> Any:
        where = _cell_name(cell, self._current) if cell is not None else None
        self._flags.append(Flag("timeout", _("The cell was stopped after {seconds} s.").format(seconds=timeout), where))
        return await super()._async_handle_timeout(timeout, cell)

    def _new_lines(self) -> list[str]:
        size = self._answers.stat().st_size
        if size > MAX_ANSWER_BYTES or size <= self._offset:
            return []
        with self._answers.open("rb") as handle:
            handle.seek(self._offset)
            data = handle.read(size - self._offset)
        self._offset = size
        return data.decode("utf-8", errors="replace").splitlines()

    # ------------------------------------------------------------ scoring outside the kernel

    def _score(self, nb: NotebookNode, lab: Any) -> None:
        from labs import scoring

        for index, cell in enumerate(nb.cells):
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and any(o.get("ename") == "MemoryError" for o in cell.get("outputs", [])):
                self._flags.append(Flag("memory", _("The cell ran out of memory."), _cell_name(cell, index)))
            if not _is_test(cell):
                continue
            part = str(meta.get("grade_id", "")).removeprefix("test-")
            answers = self._answers_of(index, part, cell, lab)
            points = min((self._points(lab, part, scoring.plain_or_none(a), cell, index) for a in answers),
                         default=0.0)
            cell.outputs = [new_output("execute_result", data={"text/plain": repr(float(points))},
                                       execution_count=cell.get("execution_count"))]
        tests = {i for i, c in enumerate(nb.cells) if _is_test(c)}
        stray = len(self._stray) + sum(len(lines) for i, lines in self._by_cell.items() if i not in tests)
        if stray:
            self._flags.append(Flag("answers-tampered", ngettext(
                "{count} answer record was written outside the test cells; it was ignored.",
                "{count} answer records were written outside the test cells; they were ignored.", stray).format(
                count=stray)))

    def _points(self, lab: Any, part: str, value: Any, cell: NotebookNode, index: int) -> float:
        """The answer's points on the trainee's own case; 0 if it was copied from another trainee's.

        An answer that is not fully right on the trainee's own case is also scored on every other
        trainee's case. If it is exactly right on one of those and far better than on its own, it is
        that trainee's answer (cases differ per trainee): the part scores 0 and is flagged.
        """
        full = float(lab.module.PARTS[part])
        own = lab.score(part, value)
        if own >= full or value is None:
            return own
        best, whose = max(((other.score(part, value), name) for name, other in self._others(lab)),
                          default=(0.0, ""))
        if best >= full and best - own >= COPY_MARGIN * full:
            self._flags.append(Flag("copied", _(
                "The answer fits trainee {other}'s case ({best} of {full}) far better than this trainee's own "
                "({own} of {full}); it scored 0.").format(other=whose, best=f"{best:g}", full=f"{full:g}",
                                                          own=f"{own:g}"), _cell_name(cell, index)))
            return 0.0
        return own

    def _others(self, lab: Any) -> list[tuple[str, Any]]:
        from labs import runtime

        own = lab.case_dir.parent
        return [(d.name, runtime.Lab(lab.spec, d / "case", d / "key")) for d in sorted(own.parent.iterdir())
                if d != own and (d / "key" / "lab.json").is_file()]

    def _answers_of(self, index: int, part: str, cell: NotebookNode, lab: Any) -> list[Any]:
        name = _cell_name(cell, index)
        if part not in lab.module.PARTS:
            self._flags.append(Flag("answers-tampered", _("Test cell {cell} is not a part of this lab.").format(
                cell=name), name))
            return []
        lines = self._by_cell.get(index, [])
        answers, bad = [], 0
        for line in lines:
            try:
                entry = json.loads(line)
                ok = isinstance(entry, dict) and entry.get("part") == part
            except json.JSONDecodeError:
                ok = False
            if ok:
                answers.append(entry["answer"])
            else:
                bad += 1
        ran_cleanly = index in self._by_cell and not any(o.output_type == "error" for o in cell.get("outputs", []))
        if not lines and ran_cleanly:
            self._flags.append(Flag("no-answer", _("The test cell ran without error but recorded no answer."), name))
        if bad or len(answers) > 1:
            self._flags.append(Flag("answers-tampered", _(
                "The test cell recorded {count} answers ({bad} not for this part); the lowest score counts.").format(
                count=len(lines), bad=bad), name))
        return answers


def _is_test(cell: NotebookNode) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return bool(cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"))


def _cell_name(cell: NotebookNode, index: int) -> str:
    return str(cell.metadata.get("nbgrader", {}).get("grade_id") or _("cell {number}").format(number=index + 1))


def _copy_submission_files(folder: Path, home: Path) -> None:
    """The kernel's working folder: the trainee's own files, without notebooks or pointers."""
    from labs.runtime import POINTER_FILE

    home.mkdir()
    for path in folder.iterdir() if folder.is_dir() else []:
        if path.suffix == ".ipynb" or path.name == POINTER_FILE or path.is_symlink():
            continue
        if path.is_dir():
            shutil.copytree(path, home / path.name, symlinks=True)
        else:
            shutil.copy2(path, home / path.name)
