from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from labs import catalogue, notebook
from osintlab.errors import UserError


@pytest.mark.parametrize("spec", catalogue.discover(), ids=lambda s: s.id)
def test_committed_notebook_is_built_from_its_source(spec: catalogue.LabSpec) -> None:
    assert spec.notebook.read_text(encoding="utf-8") == notebook.render(spec), "run python -m labs.notebook"


@pytest.mark.parametrize("spec", catalogue.discover(), ids=lambda s: s.id)
def test_notebook_has_no_outputs_and_valid_nbgrader_cells(spec: catalogue.LabSpec) -> None:
    nb = nbformat.read(spec.notebook, as_version=4)
    ids = []
    for cell in nb.cells:
        assert not cell.get("outputs") and not cell.get("execution_count")
        meta = cell.metadata.get("nbgrader")
        if meta:
            assert meta["schema_version"] == 3
            ids.append(meta["grade_id"])
            if meta["grade"] and not meta["solution"]:  # autograded tests hide their code
                assert "### BEGIN HIDDEN TESTS" in cell.source and meta["locked"]
            if meta["solution"] and not meta["grade"]:
                assert "### BEGIN SOLUTION" in cell.source
    assert len(ids) == len(set(ids))
    assert f'open_lab("{spec.id}")' in "".join(c.source for c in nb.cells)


def test_parse_errors_name_the_line() -> None:
    with pytest.raises(UserError, match="line 1: cell kind"):
        notebook.parse("#%% bogus\nx = 1\n", Path("nb.txt"))
    with pytest.raises(UserError, match="has no id"):
        notebook.build("#%% test points=2\nx\n", Path("nb.txt"))
