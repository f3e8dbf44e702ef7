"""A lab's nbgrader source notebook, built from its MyST Markdown source (labs/<id>/<id>.md).

The source is the one file lab authors and translators edit (see osintlab.nbsource for the
format). nbgrader, the grader and the practice course need an .ipynb: `built(spec)` makes it
on first use into the user's cache, keyed by a hash of the source, so an edited source is
rebuilt and an unchanged one is reused. The file is named `<id>.ipynb`, as nbgrader expects.

    python -m labs.notebook [--out DIR]    write every lab's .ipynb (for review or a hand-made course)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

from nbformat.notebooknode import NotebookNode

from labs import catalogue
from osintlab.nbsource import notebook_text, read_source, write_notebook

CELL_IDS = "cell-{:02d}"  # ids of cells without nbgrader metadata (nbgrader cells use their grade_id)


def build(spec: catalogue.LabSpec, lang: str | None = None, *, with_english: bool = False) -> NotebookNode:
    """The lab's nbgrader source notebook (solutions, visible checks, hidden tests), no outputs,
    its instructions in `lang` (None: English). Code cells are the same in every language."""
    from osintlab.l10n.catalogs import notebook_translator

    translate = notebook_translator(spec.source, lang, with_english=with_english)
    nb = read_source(spec.source, cell_ids=CELL_IDS, translate=translate)
    if lang and lang != "en":
        nb.metadata.setdefault("osintlab", {})["lang"] = lang
    return nb


def render(spec: catalogue.LabSpec, lang: str | None = None) -> str:
    return notebook_text(build(spec, lang))


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "osintlab" / "notebooks"


def built(spec: catalogue.LabSpec, lang: str | None = None) -> Path:
    """Path of the lab's built `<id>.ipynb` in `lang`, made on first use (atomically) and reused after."""
    text = render(spec, lang)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    path = _cache_root() / f"{spec.id}-{digest}" / f"{spec.id}.ipynb"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_notebook(build(spec, lang), path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labs.notebook", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build/labs"), help="folder for the .ipynb files")
    args = parser.parse_args(argv)
    for spec in catalogue.discover():
        dest = write_notebook(build(spec), args.out / spec.id / f"{spec.id}.ipynb")
        print(f"wrote {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
