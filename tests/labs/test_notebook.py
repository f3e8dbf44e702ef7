from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from labs import catalogue, notebook
from osintlab.errors import UserError


@pytest.mark.parametrize("spec", catalogue.discover(), ids=lambda s: s.id)
def test_built_notebook_is_its_source_and_is_rebuilt_when_the_source_changes(
    spec: catalogue.LabSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = spec.notebook
    assert first.name == f"{spec.id}.ipynb" and first.read_text(encoding="utf-8") == notebook.render(spec)
    copy = catalogue.LabSpec(tmp_path / spec.id, spec.data)
    copy.folder.mkdir()
    copy.source.write_text(spec.source.read_text(encoding="utf-8").replace("# Lab", "# Lab (edited)", 1), "utf-8")
    assert copy.notebook != first and "(edited)" in copy.notebook.read_text(encoding="utf-8")


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


def test_a_missing_or_duplicated_id_is_one_sentence(tmp_path: Path) -> None:
    from osintlab.nbsource import read_source

    with pytest.raises(UserError, match=r"nb\.md is missing"):
        read_source(tmp_path / "nb.md")
    cell = '```{code-cell}\n:nbgrader: {"grade_id": "a", "grade": false, "solution": true}\nx = 1\n```\n\n'
    (tmp_path / "nb.md").write_text(cell + cell, encoding="utf-8")
    with pytest.raises(UserError, match="two cells have the id 'a'"):
        read_source(tmp_path / "nb.md")
