from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.searchlog import SearchLog
from osintlab.errors import UserError
from sandbox.search import SearchEngine


def test_log_records_query_reason_engine_time_and_count(tiny_case: Path) -> None:
    engine = SearchEngine(tiny_case)
    log = SearchLog()
    res = log.search(engine, "visa", why="  broad start ")
    assert res is not None
    entry = log.entries[0]
    assert (entry.query, entry.why, entry.results, entry.error) == ("visa", "broad start", res.total, "")
    assert entry.time == engine.log[-1].time and entry.time.endswith("Z")


def test_malformed_query_is_printed_and_logged_not_raised(tiny_case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    engine = SearchEngine(tiny_case)
    log = SearchLog()
    assert log.search(engine, "customer after:2025-13", why="broken on purpose") is None
    assert "Query problem: after:2025-13 at column 10 is not a date" in capsys.readouterr().out
    assert log.entries[0].results == 0 and "is not a date" in log.entries[0].error


def test_a_reason_is_required(tiny_case: Path) -> None:
    with pytest.raises(UserError, match="say why"):
        SearchLog().search(SearchEngine(tiny_case), "visa", why=" ")


def test_save_and_load_round_trip(tiny_case: Path, tmp_path: Path) -> None:
    engine = SearchEngine(tiny_case)
    log = SearchLog()
    log.search(engine, 'site:jobsteppe.example "a, b"', why="comma, and quotes")
    log.search(engine, "visa OR", why="broken")
    path = log.save(tmp_path / "log.csv")
    again = SearchLog.load(path)
    assert again.entries == log.entries
    assert list(again.frame().columns) == ["time", "query", "why", "results", "error"]
    assert [p.name for p in tmp_path.iterdir()] == ["log.csv"]  # no temporary file left


def test_save_and_load_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"log\.txt"):
        SearchLog().save(tmp_path / "log.txt")
    with pytest.raises(UserError, match="there is no search log"):
        SearchLog.load(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UserError, match="is not a search log"):
        SearchLog.load(bad)
