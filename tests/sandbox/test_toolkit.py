"""The open_case facade: light import, lazy tools, never the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from osintlab.errors import UserError
from sandbox import open_case
from tests.sandbox.handmade import build

HEAVY = ["pandas", "matplotlib", "ipywidgets", "imagehash", "networkx", "PIL"]


def test_import_sandbox_loads_no_heavy_library() -> None:
    code = f"import sys, sandbox; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_facade_tools_and_page_resolution(tmp_path: Path) -> None:
    world = build(tmp_path / "w")
    sb = open_case(world, workdir=tmp_path / "work")
    assert sb.search("salary").total == 1
    assert sb.page("https://jobsteppe.example/jobs/office-work-thailand").page_id == "pg-1"
    assert sb.page("https://jobsteppe.example/jobs/call-centre-abroad").capture_id == "cap-3"
    assert sb.lookup is sb.lookup and sb.chart is sb.chart
    assert (tmp_path / "work" / "search-log.jsonl").is_file()


def test_no_files_written_without_a_workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = build(tmp_path / "w")
    monkeypatch.chdir(tmp_path / "w")
    sb = open_case(world)
    sb.search("salary")
    assert not sb.workdir.exists() and sb.engine.log[0].total == 1


def test_the_key_is_never_read(tmp_path: Path) -> None:
    world = build(tmp_path / "w")
    (world / "key").rename(tmp_path / "elsewhere")  # as shipped to trainees
    sb = open_case(world, workdir=tmp_path / "work")
    assert not sb.lookup.username("bold_recruit").empty and len(sb.images.reverse_search("img-a")) == 5


def test_missing_world_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        open_case(tmp_path / "nope")
