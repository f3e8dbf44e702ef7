"""Notebook sources: lessons and labs are written as MyST Markdown notebooks (jupytext).

A source file (`curriculum/w1/lesson-1-….md`, `labs/<id>/<id>.md`) is plain Markdown with
code cells as ```` ```{code-cell} ```` blocks; nbgrader's cell metadata (solution, tests,
points, ids) sits in a code cell's YAML options or a Markdown cell's `+++ {...}` line, as
jupytext writes them. A trainer edits the text in any editor (or in JupyterLab, where jupytext
opens it as a notebook); a translator's catalogue is extracted from the same text.

`read_source` turns a source into the `.ipynb` that trainees and nbgrader use: no outputs,
fixed cell ids (an nbgrader cell's id is its grade_id, others are numbered), and the same
notebook metadata every time, so building twice gives the same bytes.

    nb = read_source(Path("labs/w1-04-job-ad-triage/w1-04-job-ad-triage.md"), cell_ids="cell-{:02d}")
    write_notebook(nb, Path("build/w1-04-job-ad-triage.ipynb"))
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
from nbformat.notebooknode import NotebookNode

from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_text

FORMAT = "md:myst"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
# Notebook metadata kept from a source's front matter; jupytext's own bookkeeping is dropped.
KEPT_METADATA = ("osintlab",)

Translate = Callable[[str], str]


def read_source(path: Path, *, cell_ids: str = "c{:02d}", translate: Translate | None = None) -> NotebookNode:
    """The notebook of a MyST Markdown source.

    `cell_ids` formats the id of a cell without nbgrader metadata from its index (nbgrader
    cells take their grade_id). `translate`, if given, maps each Markdown cell's text to the
    text shown (a language's catalogue); code is never translated.
    Raises UserError naming the file when it is missing or not a valid notebook source.
    """
    import jupytext  # imported here: ~0.3 s, and only builders need it

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"notebook source {path} is missing: restore it from the repository.") from None
    try:
        source = jupytext.reads(text, fmt=FORMAT)
    except Exception as exc:  # jupytext raises many kinds; the author needs the file and the reason
        raise UserError(f"{path} is not a valid MyST notebook source ({exc}): compare it with another one.") from None
    return _normalise(source, path, cell_ids, translate)


def _normalise(source: NotebookNode, path: Path, cell_ids: str, translate: Translate | None) -> NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    nb.metadata.update({k: source.metadata[k] for k in KEPT_METADATA if k in source.metadata})
    seen: set[str] = set()
    for i, cell in enumerate(source.cells):
        meta = dict(cell.metadata)
        grading = meta.get("nbgrader")
        cell_id = grading["grade_id"] if isinstance(grading, dict) and "grade_id" in grading else cell_ids.format(i)
        if cell_id in seen:
            raise UserError(f"{path}: two cells have the id {cell_id!r}: give every nbgrader cell its own grade_id.")
        seen.add(cell_id)
        body = cell.source
        if cell.cell_type == "markdown":
            node = nbformat.v4.new_markdown_cell(translate(body) if translate else body, id=cell_id)
        else:
            node = nbformat.v4.new_code_cell(body, id=cell_id)
        if grading:
            node.metadata["nbgrader"] = grading
        nb.cells.append(node)
    nbformat.validate(nb)
    return nb


def notebook_text(nb: NotebookNode) -> str:
    """The .ipynb text exactly as the project writes it (nbformat's layout plus a final newline)."""
    return nbformat.writes(nb) + "\n"


def write_notebook(nb: NotebookNode, dest: Path) -> Path:
    """Write a built notebook atomically; returns `dest`."""
    atomic_write_text(Path(dest), notebook_text(nb))
    return Path(dest)


def to_source(nb: NotebookNode, metadata: dict[str, Any] | None = None) -> str:
    """MyST Markdown text for a notebook (used once to convert the old sources; kept for authors
    who draft a lesson in JupyterLab and want its text source)."""
    import jupytext

    copy = nbformat.from_dict(nbformat.v4.new_notebook())
    copy.metadata = {
        # keep our own metadata in the front matter (jupytext drops unknown keys by default)
        "jupytext": {"notebook_metadata_filter": ",".join(KEPT_METADATA),
                     "text_representation": {"extension": ".md", "format_name": "myst"}},
        "kernelspec": dict(KERNELSPEC),
        **{k: v for k, v in (metadata or {}).items()},
    }
    for cell in nb.cells:
        kept = {"nbgrader": cell.metadata["nbgrader"]} if "nbgrader" in cell.metadata else {}
        make = nbformat.v4.new_markdown_cell if cell.cell_type == "markdown" else nbformat.v4.new_code_cell
        copy.cells.append(make(cell.source, metadata=kept))
    return str(jupytext.writes(copy, fmt=FORMAT))
