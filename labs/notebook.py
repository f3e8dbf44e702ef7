"""Build a lab's nbgrader source notebook from its small text source (labs/<id>/notebook.txt).

The text source is easier to review than .ipynb JSON. Cells start with a header line:

    #%% markdown                       instructions (not graded)
    #%% code                           ordinary code (setup, exploring)
    #%% locked id=ID                   read-only code the trainee must not edit
    #%% solution id=ID                 the trainee's answer cell (### BEGIN/END SOLUTION inside)
    #%% test id=ID points=N            autograded test (hidden tests inside ### BEGIN/END HIDDEN TESTS)
    #%% manual id=ID points=N          written answer the trainer grades (markdown)

`python -m labs.notebook` rewrites every lab's .ipynb; a test checks they are up to date.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from labs import catalogue
from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_text

KINDS = {"markdown", "code", "locked", "solution", "test", "manual"}


@dataclass
class CellSrc:
    kind: str
    attrs: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


def parse(text: str, source: Path) -> list[CellSrc]:
    cells: list[CellSrc] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.startswith("#%%"):
            parts = line[3:].split()
            if not parts or parts[0] not in KINDS:
                raise UserError(f"{source} line {lineno}: cell kind must be one of {', '.join(sorted(KINDS))}.")
            attrs = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
            cells.append(CellSrc(parts[0], attrs))
        elif cells:
            cells[-1].lines.append(line)
        elif line.strip():
            raise UserError(f"{source} line {lineno}: text before the first #%% cell header.")
    return cells


def _meta(cell: CellSrc, source: Path) -> dict[str, object] | None:
    if cell.kind in {"markdown", "code"}:
        return None
    if "id" not in cell.attrs:
        raise UserError(f"{source}: a {cell.kind} cell has no id=...: give every nbgrader cell a unique id.")
    grade = cell.kind in {"test", "manual"}
    meta: dict[str, object] = {
        "grade": grade,
        "grade_id": cell.attrs["id"],
        "locked": cell.kind in {"locked", "test"},
        "schema_version": 3,
        "solution": cell.kind in {"solution", "manual"},
        "task": False,
    }
    if grade:
        meta["points"] = float(cell.attrs.get("points", "0"))
    return meta


def build(text: str, source: Path) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(parse(text, source)):
        body = "\n".join(cell.lines).strip("\n")
        markdown = cell.kind in {"markdown", "manual"}
        node = nbformat.v4.new_markdown_cell(body) if markdown else nbformat.v4.new_code_cell(body)
        node.id = cell.attrs.get("id", f"cell-{i:02d}")  # stable ids: no diff noise on rebuild
        meta = _meta(cell, source)
        if meta:
            node.metadata["nbgrader"] = meta
        cells = nb.cells
        cells.append(node)
    nbformat.validate(nb)
    return nb


def render(spec: catalogue.LabSpec) -> str:
    source = spec.folder / "notebook.txt"
    return nbformat.writes(build(source.read_text(encoding="utf-8"), source)) + "\n"


def main() -> int:
    for spec in catalogue.discover():
        atomic_write_text(spec.notebook, render(spec))
        print(f"wrote {spec.notebook}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
