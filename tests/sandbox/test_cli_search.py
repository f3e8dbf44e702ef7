"""`osintlab search DIR "query"` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osintlab.cli import main
from tests.sandbox.test_search_engine import make_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_world(tmp_path_factory.mktemp("cli") / "w")


def test_readable_list(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", str(world), '"free visa" OR doha']) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 results (")
    assert "  1. Driver wanted in Dubai" in out or "  1. Cook needed in Doha" in out
    assert "https://jobs.example/ads/driver-dubai  2025-02-01" in out
    assert "[free visa]" in out  # highlighted without colour when not a terminal


def test_paging_and_json(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", str(world), "site:example", "--page", "2", "--per-page", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 10 and data["page"] == 2 and data["per_page"] == 3
    assert [h["rank"] for h in data["hits"]] == [4, 5, 6]
    assert set(data["hits"][0]) == {"rank", "page_id", "url", "title", "snippet", "snippet_html", "published", "score"}


def test_log_option_appends(world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "q.jsonl"
    main(["search", str(world), "visa", "--log", str(log)])
    main(["search", str(world), "visa after:2025-13", "--log", str(log)])
    entries = [json.loads(x) for x in log.read_text().splitlines()]
    assert [e["query"] for e in entries] == ["visa", "visa after:2025-13"]
    assert entries[1]["error"].startswith("after:2025-13 at column 6 is not a date")


def test_notes_are_printed(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", str(world), "sit:jobs.example visa"]) == 0
    assert "Note: sit: at column 1 is not an operator, so it was searched as words; did you mean site:?" in (
        capsys.readouterr().out
    )
    assert main(["search", str(world), "visa ✓", "--json"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert notes == ["✓ at column 6 has no letters or digits, so it was ignored."]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["intitle: visa"], "the operator intitle: at column 1 has no value"),
        (["intitle:visa after:2025-99"], "after:2025-99 at column 14 is not a date"),
        (["site:bad_host!"], "site:bad_host! at column 1 is not a web address"),
        (["visa", "--page", "0"], "page 0 is not a page number"),
    ],
)
def test_errors_are_one_sentence_exit_2(
    world: Path, args: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", str(world), *args]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err
    assert err.startswith("osintlab: error: ") and err.count("\n") == 1


def test_missing_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", str(tmp_path / "nope"), "visa"]) == 2
    assert "does not exist" in capsys.readouterr().err
