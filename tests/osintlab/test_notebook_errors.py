"""Every mistake a trainee can make in a notebook cell (labs, lessons, sandbox) shows one sentence,
never a traceback, in a real kernel; errors of library code keep their traceback."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

from labs import runtime
from osintlab.errors import cell_sentence, defang, sentence

SETUP = """
import labs
from coursekit import exercise
from coursekit.searchlog import SearchLog
lab = labs.open_lab("w1-03-search-operators")
sb = lab.sandbox
"""
# (cell, a word the sentence must contain)
MISTAKES = [
    ('lab.search("site:")', "site:"),
    ('lab.page("pg-does-not-exist")', "pg-does-not-exist"),
    ('lab.page("https://nowhere.example/x")', "nowhere.example/x"),
    ("lab.page(42)", "page id"),
    ('lab.check("nope", [])', "nope"),
    ('lab.answer("nope")', "nope"),
    ("lab.shwo()", "shwo"),
    ("lab.check('pages', pages_i_forgot)", "pages_i_forgot"),
    ("raise NotImplementedError()", "form"),
    ('pages = ["pg-1", "pg-2"', "Line 1"),
    ('answer = {"A1": "passive}', "quotes"),
    ('sb.search("-visa")', "excludes"),
    ('sb.open("nothing-here")', "nothing-here"),
    ('sb.lookup.profile("no_such_user_anywhere")', "no_such_user_anywhere"),
    ('sb.images.exif("img-none")', "img-none"),
    ('sb.archive.recover("https://never.example/x")', "never.example"),
    ('exercise("w1-nope")', "w1-nope"),
    ('SearchLog().search(sb.engine, "visa", why="")', "why"),
]


@pytest.mark.slow
def test_coursekit_alone_installs_the_handler(tmp_path: Path) -> None:
    """A lesson that imports only coursekit gets one-sentence errors too."""
    nb = _run(["from coursekit import exercise", 'exercise("w1-nope")'], dict(os.environ), tmp_path)
    (error,) = nb.cells[1].outputs
    assert error.output_type == "error" and len(error.traceback) == 1 and "w1-nope" in error.traceback[0]


def _run(cells: list[str], env: dict[str, str], cwd: Path) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(cwd)}}).execute(env=env)
    return nb


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Any], list[Any]]:
    base = tmp_path_factory.mktemp("errors")
    labdir = runtime.prepare("w1-03-search-operators", 3, base / "lab")
    env = {**os.environ, runtime.ENV_CASE: str(labdir / "case"), runtime.ENV_KEY: str(labdir / "key"),
           runtime.ENV_CACHE: str(base / "cache")}
    library = "import json\nexec('an_undefined_name_in_library_code')"
    nb = _run([SETUP, *(c for c, _w in MISTAKES), library], env, base)
    setup, *mistakes, lib = nb.cells
    assert not [o for o in setup.outputs if o.output_type == "error"], setup.outputs
    return mistakes, lib.outputs


@pytest.mark.slow
def test_each_mistake_is_one_sentence(ran: tuple[list[Any], list[Any]]) -> None:
    mistakes, _lib = ran
    for (code, word), cell in zip(MISTAKES, mistakes, strict=True):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert len(errors) == 1 and len(cell.outputs) == 1, (code, cell.outputs)  # old results gone, no prints
        lines = errors[0].traceback
        assert len(lines) == 1, (code, lines)
        text = re.sub(r"\x1b\[[0-9;]*m", "", lines[0])
        assert text[0].isupper() and text.endswith(".") and "\n" not in text, (code, text)
        assert "Traceback" not in text and 'File "' not in text and "://" not in text, (code, text)
        assert word.lower() in text.lower(), (code, text)


@pytest.mark.slow
def test_library_errors_keep_their_traceback(ran: tuple[list[Any], list[Any]]) -> None:
    _mistakes, outputs = ran
    (error,) = [o for o in outputs if o.output_type == "error"]
    assert error.ename == "NameError" and len(error.traceback) > 1


def test_sentences() -> None:
    assert sentence(ValueError("no page  at https://x.example/a\n here.")) == "No page at x.example/a here."
    assert defang("see http://a.example and HTTPS://b.example/") == "see a.example and b.example/"
    assert cell_sentence(NameError("name 'x' is not defined", name="x")).startswith("The name x has no value yet")
    assert "Line 3" in cell_sentence(SyntaxError("unterminated string literal", ("cell", 3, 1, "x", 3, 2)))
