"""Property tests of the query language (issue 12): every query gives results or one sentence.

Hypothesis builds operator soups (operators, brackets, quotes, symbols, AROUND, pasted
URLs), Unicode in several forms and deep nesting; the engine must answer each with a
SearchResults or a QueryError whose message is one sentence, never another exception
(no sqlite "parser stack overflow", no RecursionError). Canonically equal queries (NFC
or NFD) must find the same pages.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.search import QueryError, SearchEngine
from sandbox.search.query import MAX_QUERY_CHARS
from tests.sandbox.test_search_engine import make_world

PIECES = [
    "visa", "Driver", "dubai", "salary", "MNT", "ажил", "Улаанбаатар", "কাজের", "\u09df", "งานดีเงินดี", "ការងារ",
    "recruit*", "re*cruit", "*", "abc-123", "user@mail.example", "+97613000000", "https://jobs.example/ads/1",
    "OR", "or", "AND", "NOT", "|", "||", "&", "&&", "+", "-", "--", "(", ")", "()", '"', '""', "\u201c", "\u201d",
    "AROUND(2)", "AROUND(", "AROUND(0)", "around(3)", "site:jobs.example", "site:https://jobs.example/ads",
    "site:*.example", "site:", "site:bad_domain", "site:(jobs.example | news.example)", "inurl:(ads | post)",
    "intitle:", 'intitle:"free visa"', "intext:passport", "inbody:visa", "inurl:jobs", "filetype:pdf",
    "filetype:docx", "ext:doc", "ext:exe", "filetype:", "before:2025", "after:2024-12-31", "after:2025-13",
    "sit:jobs.example", "cache:x", "Salary:", "per:month", "✓", "!!!", "\x00", "\u200b", "й", "и\u0306",
    '"work * visa"', '"salary * visa"', '"* *"', "-(", "-site:jobs.example", "-filetype:pdf",
]

token = st.one_of(st.sampled_from(PIECES), st.text(max_size=6))
soup = st.lists(token, max_size=14).map(" ".join)
glued = st.lists(st.sampled_from(PIECES), max_size=10).map("".join)  # no spaces between pieces
openers = st.sampled_from(["(", "-(", "-", "NOT ", "inurl:("])
nested = st.tuples(st.integers(0, 40), openers, st.sampled_from(PIECES)).map(
    lambda t: t[1] * t[0] + t[2] + ")" * (t[0] // 2)
)
queries = st.one_of(soup, glued, nested, st.text(max_size=60))


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    return SearchEngine(make_world(tmp_path_factory.mktemp("fuzz") / "w"))


def answer(engine: SearchEngine, query: str) -> set[str] | str:
    """The pages found, or the error sentence; anything else fails the test."""
    try:
        results = engine.search(query, per_page=100)
    except QueryError as exc:
        message = str(exc)
        assert message and "\n" not in message and message.endswith("."), repr(message)
        assert "Traceback" not in message and "sqlite" not in message.lower()
        return message
    assert 0 <= results.total == len(results.hits) <= 100
    assert all(n and "\n" not in n for n in results.notes)
    return {h.page_id for h in results.hits}


SETTINGS = settings(max_examples=400, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@SETTINGS
@given(query=queries)
def test_every_query_gives_results_or_one_sentence(engine: SearchEngine, query: str) -> None:
    answer(engine, query[:MAX_QUERY_CHARS + 5])


@SETTINGS
@given(query=soup)
def test_canonically_equal_queries_find_the_same_pages(engine: SearchEngine, query: str) -> None:
    nfc, nfd = unicodedata.normalize("NFC", query), unicodedata.normalize("NFD", query)
    if len(nfd) > MAX_QUERY_CHARS:
        return
    first, second = answer(engine, nfc), answer(engine, nfd)
    if isinstance(first, set) or isinstance(second, set):
        assert first == second, (nfc, nfd)


@pytest.mark.parametrize(
    "query",
    [
        "visa " + "-(x " * 25,
        "(" * 330 + "visa",
        "a " + "-" * 40 + "visa",
        "visa " + " OR ".join(f"w{i}" for i in range(150)),  # wide, not deep: fine
        " ".join(f"-w{i}" for i in range(120)) + " visa",
        " ".join(f"site:s{i}.example" for i in range(60)),
        "(" * 5 + "-(" * 2 + "visa OR (driver -dubai)" + ")" * 9,
    ],
)
def test_deep_and_wide_queries_never_crash(engine: SearchEngine, query: str) -> None:
    answer(engine, query)


def test_the_issue_12_unicode_rows(tmp_path: Path) -> None:
    """A query not in the index's form finds what its NFC form finds (issue 12's table)."""
    engine = SearchEngine(make_world(tmp_path / "w"))
    assert answer(engine, "ажил") == answer(engine, unicodedata.normalize("NFD", "ажил")) == {"mn1"}
    assert answer(engine, "কাজের") == answer(engine, unicodedata.normalize("NFD", "কাজের")) == {"bd1"}
