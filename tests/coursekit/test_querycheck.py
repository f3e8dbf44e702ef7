from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.querycheck import check_query, operators_used, result_urls
from sandbox.search import SearchEngine


@pytest.mark.parametrize(
    ("query", "ops"),
    [
        ("visa", set()),
        ('"customer service" -licence', {"phrase", "exclude"}),
        ("(Cambodia OR Myanmar) site:jobs.example", {"or", "site"}),
        ('intitle:"work visa" inurl:jobs intext:fee', {"title", "url", "text", "phrase"}),
        ("filetype:pdf after:2024 before:2025-03", {"filetype", "date"}),
        ("-(a OR b) visa", {"exclude", "or"}),
    ],
)
def test_operators_used(query: str, ops: set[str]) -> None:
    assert operators_used(query) == ops


@pytest.fixture(scope="module")
def engine(tiny_case: Path) -> SearchEngine:
    return SearchEngine(tiny_case)


def test_result_urls_collects_every_page_of_results(engine: SearchEngine) -> None:
    query = "recruit* OR visa OR job* OR work* OR salary OR phone*"  # broad: local pages match fewer words
    total = engine.search(query).total
    assert total > 100  # more than one page of 100, so paging is exercised
    assert len(result_urls(engine, query)) == total


def test_the_target_query_itself_is_full_marks(engine: SearchEngine) -> None:
    fb = check_query(engine, 'site:jobsteppe.example "customer service"', 'site:jobsteppe.example "customer service"',
                     must_use=("site", "phrase"))
    assert fb.all_correct, str(fb)


def test_a_broader_query_finds_all_but_has_extras_and_misses_an_operator(engine: SearchEngine) -> None:
    target = 'site:jobsteppe.example "customer service"'
    assert result_urls(engine, target)  # the comparison below is about real pages
    fb = check_query(engine, "customer service", target, must_use=("site",))
    lines = {line.item: line for line in fb.lines}
    assert lines["found"].ok
    assert not lines["extra"].ok
    assert not lines["site"].ok and "not used yet" in lines["site"].message


def test_a_broken_or_empty_query_is_feedback_not_an_exception(engine: SearchEngine) -> None:
    for query in ("", "customer after:2025-13"):  # an unclosed quote is repaired now (issue 18)
        fb = check_query(engine, query, "visa")
        assert not fb.all_correct and fb.problems[0].startswith("the query cannot run:")
