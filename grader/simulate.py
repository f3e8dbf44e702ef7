"""Simulated trainees: notebooks answered from a variant's key, for tests, benchmarks and dry runs.

`answered(course, lab, answers_of=trainee, fraction=1.0)` takes the released notebook and fills
each answer cell with the lab's solution code, where every `lab.reference_answer("part")` call
is replaced by the literal answer of `answers_of`'s case (cut to `fraction` of its items), and
each written-answer cell with a short text (unless fraction is 0). The result is what an officer
would submit after typing the answers in: literals, no key access.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from grader.variants import variant_dir
from labs import catalogue, runtime

WRITTEN_ANSWER = ("I chose the first step because it only reads public pages, so nobody is alerted. "
                  "The contact step needs written approval from my supervisor before I act.")
REFERENCE = re.compile(r"lab\.reference_answer\(\s*[\"']([\w-]+)[\"']\s*\)")


def cut(value: Any, fraction: float) -> Any:
    """The first `fraction` of a dict's or list's items (an honest, half-finished answer)."""
    if fraction >= 1:
        return value
    if isinstance(value, dict):
        keep = math.floor(len(value) * fraction)
        return dict(list(value.items())[:keep])
    if isinstance(value, list):
        return value[: math.floor(len(value) * fraction)]
    return value if fraction >= 0.5 else ""


def answered(course: Path, lab_id: str, *, answers_of: str, fraction: float = 1.0) -> NotebookNode:
    """The released notebook of a cohort course, answered from trainee `answers_of`'s case."""
    spec = catalogue.get(lab_id)
    released = Path(course) / "release" / lab_id / spec.notebook.name
    return answer_notebook(released, lab_id, variant_dir(course, lab_id, answers_of), fraction)


def answer_notebook(released: Path, lab_id: str, lab_dir: Path, fraction: float = 1.0) -> NotebookNode:
    """A released notebook with its answer cells filled from the key in `lab_dir` (case/ + key/)."""
    spec = catalogue.get(lab_id)
    lab = runtime.Lab(spec, Path(lab_dir) / "case", Path(lab_dir) / "key")
    notebook = nbformat.read(released, as_version=4)
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nbformat.read(spec.notebook, 4).cells
                 if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if meta.get("solution") and meta.get("grade") and cell.cell_type == "markdown" and fraction > 0:
            cell.source = WRITTEN_ANSWER  # a written answer: the trainer grades it in the formgrader
        elif grade_id in solutions:
            code = "\n".join(line for line in solutions[grade_id].splitlines() if "### " not in line)
            cell.source = REFERENCE.sub(lambda m: repr(cut(lab.reference_answer(m.group(1)), fraction)), code)
    return notebook


def place_submission(course: Path, lab_id: str, trainee: str, notebook: NotebookNode | str) -> Path:
    """Put a submission straight into submitted/ (as a trainer does with work copied from a USB stick)."""
    spec = catalogue.get(lab_id)
    folder = Path(course) / "submitted" / trainee / lab_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / spec.notebook.name
    if isinstance(notebook, str):
        path.write_text(notebook, encoding="utf-8")
    else:
        nbformat.write(notebook, path)
    (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC\n", encoding="utf-8")
    return path
