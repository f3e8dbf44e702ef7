"""Figures from the tools render as PNG in IPython without pyplot."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox import display
from sandbox.linkchart import LinkChart


def test_figures_get_a_png_formatter_in_ipython(monkeypatch: pytest.MonkeyPatch) -> None:
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    monkeypatch.setattr(display, "_done", False)
    chart = LinkChart()
    chart.add("person", "A")
    fig = chart.draw()
    data, _ = shell.display_formatter.format(fig)
    assert "image/png" in data


@pytest.mark.slow
def test_map_renders_in_a_real_kernel(tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    from tests.sandbox.handmade import build

    world = build(tmp_path / "w")
    root = Path(__file__).resolve().parents[2]
    code = (f"import sys; sys.path.insert(0, {str(root)!r})\nfrom sandbox import open_case\n"
            f"open_case({str(world)!r}, workdir={str(tmp_path / 'work')!r}).images.map()")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    assert "image/png" in nb.cells[0].outputs[0]["data"]
