"""Helpers for grader tests: a real cohort course with released labs and simulated trainees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell

from grader.cohort import course_state, gradebook_url, init_course
from grader.release import release
from labs import catalogue

# Short limits so attacks that loop or hog memory finish quickly in tests.
FAST_LIMITS = """
c.Execute.timeout = 6
c.SandboxedExecute.notebook_seconds = 40
c.SandboxedExecute.memory_mb = 2048
"""


def make_cohort(root: Path, trainees: list[str], labs: list[str], *, hints: bool = False,
                db_url: str | None = None, country: str = "MN") -> Path:
    roster = root / "roster.csv"
    rows = ["trainee_id,name,agency,email"] + [f"{t},Officer {t.upper()},Police,{t}@training.example"
                                               for t in trainees]
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    course = init_course(root / "course", country, roster, db_url)
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as handle:
        handle.write(FAST_LIMITS)
    for lab in labs:
        release(course, lab, workers=2, hints=hints)
    return course


def with_cell(nb: nbformat.NotebookNode, code: str, *, before: str) -> nbformat.NotebookNode:
    """Insert a new code cell (as a trainee would) just before the cell with grade_id `before`."""
    index = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == before)
    nb.cells.insert(index, new_code_cell(code))
    return nb


def scores(course: Path, lab: str) -> dict[str, dict[str, Any]]:
    """Per trainee: total autograded score and each test cell's score, from the gradebook."""
    from nbgrader.api import Gradebook

    name = catalogue.get(lab).notebook.stem
    found = {}
    with Gradebook(gradebook_url(course)) as gb:
        for sub in gb.assignment_submissions(lab):
            nb = gb.find_submission_notebook(name, lab, sub.student.id)
            found[sub.student.id] = {"total": float(nb.code_score),
                                     **{g.name: float(g.score) for g in nb.grades if g.name.startswith("test-")}}
    return found


def flag_kinds(course: Path, lab: str, trainee: str) -> set[str]:
    path = course / ".osintlab" / "flags" / lab / f"{trainee}.json"
    if not path.is_file():
        return set()
    data = json.loads(path.read_text(encoding="utf-8"))
    return {f["kind"] for stage in data["stages"].values() for f in stage}


def outputs_text(course: Path, lab: str, trainee: str) -> str:
    """Every output of the graded notebook, as text (what the trainee's code saw)."""
    path = course / "autograded" / trainee / lab / catalogue.get(lab).notebook.name
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", "")) +
                         str(out.get("ename", "")) + str(out.get("evalue", "")))
    return "\n".join(parts)


def _exchange_app(kind: str, course: Path, lab: str, home: Path, trainee: str = "*") -> Any:
    """nbgrader's own exchange step, as a trainee's `nbgrader fetch_assignment|submit` runs it."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit
    from traitlets.config import Config

    cfg = Config()
    cfg.Exchange.root = str(course / "exchange")
    cfg.Exchange.assignment_dir = str(home)
    cfg.CourseDirectory.course_id = str(course_state(course)["course_id"])
    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id, coursedir.student_id = lab, trainee
    cls = {"fetch": ExchangeFetchAssignment, "submit": ExchangeSubmit}[kind]
    return cls(coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg)


def fetch(course: Path, lab: str, home: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    _exchange_app("fetch", course, lab, home).start()
    return home / lab


def submit(course: Path, lab: str, trainee: str, home: Path, notebook: nbformat.NotebookNode | str) -> None:
    """Write the trainee's notebook into their fetched folder and submit it through the exchange."""
    path = home / lab / catalogue.get(lab).notebook.name
    if isinstance(notebook, str):
        path.write_text(notebook, encoding="utf-8")
    else:
        nbformat.write(notebook, path)
    _exchange_app("submit", course, lab, home, trainee).start()
