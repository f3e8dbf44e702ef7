"""Lesson notebooks: built from their MyST Markdown sources (curriculum/w*/lesson-*.md) without
outputs, safe identifiers only, and (slow) each runs top to bottom in a fresh kernel."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from coursekit.selfcheck import exercise_ids
from osintlab.course import build_lesson, lesson_sources
from osintlab.nbsource import notebook_text
from synthetic_data.safety import scan_text

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = lesson_sources()


def test_workshop_1_has_four_lessons() -> None:
    w1 = [p.name[:8] for p in NOTEBOOKS if p.parent.name == "w1"]
    assert w1 == ["lesson-1", "lesson-2", "lesson-3", "lesson-4"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_built_without_outputs_and_the_same_every_time(path: Path) -> None:
    text = notebook_text(build_lesson(path))
    assert text == notebook_text(build_lesson(path))
    for cell in json.loads(text)["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["source"]


def test_sources_carry_no_outputs_or_stray_metadata() -> None:
    """A source saved from JupyterLab with outputs or widget state would leak into the course."""
    for path in NOTEBOOKS:
        text = path.read_text(encoding="utf-8")
        # (the JSON keys, quoted: lessons may say "outputs" in prose, e.g. a transaction's outputs)
        assert '"outputs"' not in text and "execution_count" not in text, path.name
        assert "widgets" not in text.split("---", 2)[1], path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_lesson_shape(path: Path) -> None:
    """Objectives at the top, at least one Try it with a self-check, a recap and a checklist."""
    nb = build_lesson(path)
    text = [c.source for c in nb.cells]
    assert "## What you will learn" in text[0]
    assert any("exercise(" in s for s in text)
    assert any(".check(" in s or "check_query(" in s for s in text)  # a check cell, re-runnable in any order
    assert any(s.startswith("## Recap") for s in text)
    assert any(s.startswith("## Checklist to keep") and "- [ ]" in s for s in text)


def test_lessons_name_sessions_of_the_curriculum_map() -> None:
    import yaml

    curriculum = yaml.safe_load((ROOT / "curriculum" / "map.yml").read_text(encoding="utf-8"))
    lessons = {s["id"] for w in curriculum["workshops"] for s in w["sessions"] if s["kind"] == "lesson"}
    for path in NOTEBOOKS:
        meta = build_lesson(path).metadata["osintlab"]
        assert set(meta["sessions"]) <= lessons, path.name
        assert 20 <= meta["minutes"] <= 40


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_is_independent(path: Path) -> None:
    """No variable shared between exercises: each check names its exercise and its own answer,
    set in the cell just before, so any cell can be run again in any order."""
    import itertools
    import re

    cells = [c.source for c in build_lesson(path).cells if c.cell_type == "code"]
    answers: list[str] = []
    for before, cell in itertools.pairwise(cells):
        check = re.fullmatch(r'exercise\("([\w-]+)"\)\.check\((answer_\w+)(, sb)?\)', cell.strip())
        if check:
            assert re.match(rf"{check.group(2)} = ", before), (path.name, cell)
            answers.append(check.group(2))
    assert answers and len(answers) == len(set(answers)), path.name
    text = "\n".join(cells)
    assert not re.search(r"^(ex|my_answer|my_query)\s*=", text, re.M), path.name
    assert "check_query(" not in text and "target=" not in text  # the check code shows no answer


def test_every_exercise_is_used_by_a_lesson() -> None:
    sources = "".join(p.read_text(encoding="utf-8") for p in NOTEBOOKS)
    assert [e for e in exercise_ids() if f'exercise("{e}")' not in sources] == []


def test_lesson_text_and_exercises_use_only_safe_identifiers() -> None:
    """Prose is where an author types identifiers by hand; code cells only print the world's."""
    findings = []
    for path in NOTEBOOKS:
        for i, cell in enumerate(build_lesson(path).cells):
            if cell.cell_type == "markdown":
                findings += scan_text(f"{path.name} cell {i}", cell.source)
    for path in (ROOT / "coursekit" / "exercises").glob("*.yml"):
        findings += scan_text(path.name, path.read_text(encoding="utf-8"))
    assert findings == []


# ---------------------------------------------------------------- slow: run them

# Run in the kernel before the lesson (never saved): only loopback and Unix sockets may
# connect, as in tests/conftest.py, so a lesson that reached the internet would fail.
NETWORK_GUARD = """
import ipaddress as _ip, socket as _s
def _local(host):
    if host in (None, "", "localhost"):
        return True
    try:
        return _ip.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False
_connect, _gai = _s.socket.connect, _s.getaddrinfo
def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if self.family != getattr(_s, "AF_UNIX", None) and not _local(host):
        raise RuntimeError(f"lesson tried to open a network connection to {address!r}")
    return _connect(self, address)
def _guarded_gai(host, *args, **kwargs):
    if not _local(host):
        raise RuntimeError(f"lesson tried to resolve {host!r}")
    return _gai(host, *args, **kwargs)
_s.socket.connect, _s.getaddrinfo = _guarded_connect, _guarded_gai
"""


@pytest.fixture(scope="module")
def fresh_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One empty cache for the module: the first lesson builds the practice world, as in class."""
    return tmp_path_factory.mktemp("cache")


def _shown(outputs: list) -> list:  # what a check cell shows, without execution counts
    return [(o.get("output_type"), o.get("text"), dict(o.get("data", {}))) for o in outputs]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_lesson_runs_top_to_bottom_then_any_check_again_in_a_fresh_kernel(
    path: Path, fresh_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run All, as a trainee does; then every exercise check again, last first: the same
    feedback each time. No output links out of the notebook."""
    from nbclient import NotebookClient

    from tests.outputs import outside_links

    monkeypatch.setenv("OSINTLAB_CACHE", str(fresh_cache))  # the kernel inherits it
    nb = build_lesson(path)
    nb.cells.insert(0, nbformat.v4.new_code_cell(NETWORK_GUARD))
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        checks = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and ".check(" in c.source]
        first = {i: _shown(c.outputs) for i, c in checks}
        for index, cell in reversed(checks):
            client.execute_cell(cell, index)
            assert _shown(cell.outputs) == first[index], cell.source
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")
    assert checks and outside_links(nb.cells) == []
