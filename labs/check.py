"""Self-test of a lab with real nbgrader: solution = full marks, blank = 0, half-right = partial.

In a temporary course: copy the source notebook, `nbgrader generate_assignment`, then
submit three notebooks (the source with solutions, the released blank, and the release with
the lab's partial.yml answers put into its solution cells) and `nbgrader autograde` them.
The kernel finds the lab's case and key through OSINTLAB_CASE_DIR / OSINTLAB_KEY_DIR,
prepared from the lab's practice seed, exactly as the grader will do per trainee.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from labs import catalogue, runtime
from labs.catalogue import LabSpec
from osintlab.errors import UserError
from osintlab.i18n import ENV_LANG, speaking

STUDENTS = ("solution", "blank", "partial")


@dataclass
class CheckResult:
    lab_id: str
    max_points: float
    scores: dict[str, float]
    seconds: float
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def consistency(spec: LabSpec) -> list[str]:
    """Static checks: test cells match the module's parts and lab.yml's points; partial.yml fits."""
    nb = nbformat.read(spec.notebook, as_version=4)
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    tests = {m["grade_id"]: float(m["points"]) for m in meta if m.get("grade") and not m.get("solution")}
    manual = sum(float(m["points"]) for m in meta if m.get("grade") and m.get("solution"))
    parts = runtime.lab_module(spec).PARTS
    problems = []
    if tests != {f"test-{p}": float(v) for p, v in parts.items()}:
        problems.append(f"test cells {tests} do not match the module's parts {parts} (ids test-<part>)")
    if sum(tests.values()) != spec.points:
        problems.append(f"test cells give {sum(tests.values())} points but lab.yml says points: {spec.points}")
    declared = float(spec.data.get("manual_points", 0))
    if manual != declared:
        problems.append(f"manual cells give {manual} points but lab.yml says manual_points: {declared}")
    solution_ids = {m["grade_id"] for m in meta if m.get("solution") and not m.get("grade")}
    unknown = set(partial_answers(spec)) - solution_ids
    if unknown:
        problems.append(f"partial.yml names cells {sorted(unknown)} that are not solution cells")
    return problems


def partial_answers(spec: LabSpec) -> dict[str, str]:
    path = spec.folder / "partial.yml"
    if not path.is_file():
        raise UserError(f"{path} is missing: write the half-right answer that lab check submits.")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise UserError(f"{path} must map solution cell ids to code (text): see labs/README.md.")
    return data


def _inject(release: Path, answers: dict[str, str], out: Path) -> None:
    nb = nbformat.read(release, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)


def _nbgrader(course: Path, env: dict[str, str], *args: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise UserError(f"nbgrader {args[0]} failed for {args[1]} (exit {proc.returncode}):\n{tail}")


CONFIG = """c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "labcheck"
c.CourseDirectory.db_url = "sqlite:///{root}/gradebook.db"
c.ExecutePreprocessor.timeout = 120
"""


def _scores(course: Path, spec: LabSpec) -> tuple[dict[str, float], float]:
    from nbgrader.api import Gradebook

    name = spec.notebook.stem
    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        scores = {s: float(gb.find_submission_notebook(name, spec.id, s).code_score) for s in STUDENTS}
        top = float(gb.find_notebook(name, spec.id).max_code_score)
    return scores, top


def check_lab(spec: LabSpec, workdir: Path, lang: str | None = None) -> CheckResult:
    """Self-test one lab with real nbgrader, its notebook built in `lang` (None: English)."""
    from labs.notebook import built

    started = time.perf_counter()
    problems = consistency(spec)
    course = workdir / f"{spec.id}-{lang or 'en'}"
    (course / "source" / spec.id).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(CONFIG.format(root=str(course)), encoding="utf-8")
    notebook = built(spec, lang)
    nb_name = notebook.name
    shutil.copy(notebook, course / "source" / spec.id / nb_name)
    with speaking(lang):  # the brief and hints are written in the language, as for a trainee's kernel
        labdir = runtime.prepare(spec.id, int(spec.case["practice_seed"]), workdir / f"{spec.id}-{lang or 'en'}-case")
    env = {**os.environ, runtime.ENV_CASE: str(labdir / "case"), runtime.ENV_KEY: str(labdir / "key"),
           ENV_LANG: lang or "en",
           # nbgrader runs `alembic` from PATH: use the one installed beside this interpreter
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    _nbgrader(course, env, "generate_assignment", spec.id, "--force")
    release = course / "release" / spec.id / nb_name
    problems += leaks(release)
    submitted = course / "submitted"
    for student, src in (("solution", notebook), ("blank", release)):
        (submitted / student / spec.id).mkdir(parents=True)
        shutil.copy(src, submitted / student / spec.id / nb_name)
    _inject(release, partial_answers(spec), submitted / "partial" / spec.id / nb_name)
    _nbgrader(course, env, "autograde", spec.id, "--force")
    scores, top = _scores(course, spec)
    problems += _judge(scores, top, spec.points)
    return CheckResult(spec.id, top, scores, time.perf_counter() - started, problems)


def leaks(release: Path) -> list[str]:
    """What a released notebook must never contain: solutions, hidden tests, key access."""
    text = release.read_text(encoding="utf-8")
    markers = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "reference_answer", "lab.grade(")
    return [f"the released notebook contains {m!r}" for m in markers if m in text]


def _judge(scores: dict[str, float], top: float, points: float) -> list[str]:
    problems = []
    if top != points:
        problems.append(f"nbgrader counts {top} autograded points, lab.yml says {points}")
    if scores["solution"] != top:
        problems.append(f"solution scored {scores['solution']} of {top}, not full marks")
    if scores["blank"] != 0:
        problems.append(f"blank release scored {scores['blank']}, not 0")
    if not 0 < scores["partial"] < top:
        problems.append(f"half-right answer scored {scores['partial']}, not between 0 and {top}")
    return problems


def resolve(lab_ids: list[str] | None) -> list[LabSpec]:
    """Lab ids, or W1 / W2 / W3 for every lab of that workshop (the default: every lab)."""
    if not lab_ids:
        return catalogue.discover()
    specs: list[LabSpec] = []
    for ref in lab_ids:
        if ref.upper() in ("W1", "W2", "W3"):
            specs += [s for s in catalogue.discover() if int(s.data["workshop"]) == int(ref[1])]
        else:
            specs.append(catalogue.get(ref))
    return specs


def check_labs(lab_ids: list[str] | None = None, keep: Path | None = None,
               lang: str | None = None, jobs: int = 1) -> list[CheckResult]:
    """Check each lab (in `jobs` worker processes: each lab's nbgrader runs are independent)."""
    specs = resolve(lab_ids)
    if not specs:
        raise UserError("no labs found under labs/: add a folder with a lab.yml.")
    workdir = Path(tempfile.mkdtemp(prefix="osintlab-labcheck-", dir=keep))
    try:
        if jobs <= 1 or len(specs) == 1:
            return [check_lab(spec, workdir, lang) for spec in specs]
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(jobs, len(specs))) as pool:
            return list(pool.map(check_lab, specs, [workdir] * len(specs), [lang] * len(specs)))
    finally:
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


def table(results: list[CheckResult]) -> str:
    rows = [f"{'lab':<28} {'max':>5} {'solution':>8} {'blank':>6} {'partial':>7} {'secs':>6}  result"]
    for r in results:
        verdict = "ok" if r.ok else "FAIL: " + "; ".join(r.problems)
        s = r.scores
        rows.append(f"{r.lab_id:<28} {r.max_points:>5g} {s['solution']:>8g} {s['blank']:>6g} "
                    f"{s['partial']:>7g} {r.seconds:>6.1f}  {verdict}")
    return "\n".join(rows)
