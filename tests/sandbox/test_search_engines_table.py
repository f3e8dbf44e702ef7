"""The sandbox against what Google and Bing document (issue 18), on a generated MN world.

Every case's expected page set is computed with plain Python from the world's pages
(tests/sandbox/reference_search.py), never from the index. ISSUE_ROWS are the rows of
issue 18's table; ENGINE_TABLE is drawn from the engines' documentation, and each of its
queries appears in docs/search-operators.md (the table officers read).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from sandbox.search import SearchEngine
from synthetic_data.bundle import write_world
from synthetic_data.generator import generate_world
from tests.sandbox import reference_search as ref

DOCS = Path(__file__).resolve().parents[2] / "docs" / "search-operators.md"
Case = Callable[[list[ref.Page]], tuple[str, ref.Pred]]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The issue's world: MN, scam-compound recruitment, seed 7, small.
    world = generate_world("MN", "scam-compound-recruitment", 7, "small")
    return write_world(world, tmp_path_factory.mktemp("w") / "w")


@pytest.fixture(scope="module")
def engine(world: Path) -> SearchEngine:
    return SearchEngine(world)


@pytest.fixture(scope="module")
def pages(world: Path) -> list[ref.Page]:
    return ref.live_pages(world)


def found(engine: SearchEngine, query: str) -> tuple[set[str], list[str]]:
    first = engine.search(query, per_page=100)
    ids = [h.page_id for h in first.hits]
    for number in range(2, first.pages + 1):
        ids += [h.page_id for h in engine.search(query, page=number, per_page=100).hits]
    assert len(ids) == first.total == len(set(ids))
    return set(ids), first.notes


def _account_path(pages: list[ref.Page]) -> str:
    """The snapfold account with the most pages under its URL path (posts and their comments)."""
    counts = Counter(p["url"].split("/")[3] for p in pages if ref.host(p) == "snapfold.example")
    segment = next(s for s, n in counts.most_common() if not s.startswith("@") and n >= 3)
    return f"snapfold.example/{segment}"


ISSUE_ROWS: dict[str, Case] = {
    "site:host": lambda _: ("site:snapfold.example", ref.on_host("snapfold.example")),
    "site:other host keeps its own": lambda _: ("site:nomadbook.example", ref.on_host("nomadbook.example")),
    "site:account path": lambda ps: (
        f"site:{_account_path(ps)}", ref.url_prefix(f"https://{_account_path(ps)}")),
    "site:full URL": lambda _: ("site:https://mn.example/", ref.url_prefix("https://mn.example/")),
    "Salary: MNT": lambda _: ("Salary: MNT", ref.all_of(ref.has("salary"), ref.has("mnt"))),
    "salary:mnt": lambda _: ("salary:mnt", ref.phrase("salary mnt")),
    "salary per:month": lambda _: ("salary per:month", ref.all_of(ref.has("salary"), ref.phrase("per month"))),
    "salary - visa": lambda _: ("salary - visa", ref.all_of(ref.has("salary"), ref.has("visa"))),
    "visa ✓": lambda _: ("visa ✓", ref.has("visa")),
    "salary && visa": lambda _: ("salary && visa", ref.all_of(ref.has("salary"), ref.has("visa"))),
    'quoted symbol "✓"': lambda _: ('visa "✓"', ref.has("visa")),
    "ext:pdf": lambda _: ("ext:pdf", ref.extension("pdf")),
    "filetype:docx": lambda _: ("filetype:docx", ref.kind_of_file("doc")),  # DOC and DOCX alike, as Bing
    "AROUND(2)": lambda _: ("tourist AROUND(2) visa", ref.around("tourist", "visa", 2)),
    "+site:": lambda _: ("+site:jobsteppe.example salary",
                         ref.all_of(ref.on_host("jobsteppe.example"), ref.has("salary"))),
    "inurl:(a | b)": lambda _: ("inurl:(jobs | company)",
                                ref.any_of(ref.has("jobs", "url"), ref.has("company", "url"))),
}

ENGINE_TABLE: dict[str, Case] = {
    # Google Search Central, site: operator: a domain with its subdomains; a URL prefix.
    "site: domain and subdomains": lambda _: ("site:mn.example", ref.on_host("mn.example")),
    "site: URL prefix and a word": lambda _: (
        "site:https://jobsteppe.example/jobs salary",
        ref.all_of(ref.url_prefix("https://jobsteppe.example/jobs"), ref.has("salary"))),
    "site: a URL is exactly that host": lambda _: ("site:https://registry.mn.example",
                                                     ref.url_prefix("https://registry.mn.example/")),
    "site: top-level domain (Bing)": lambda _: ("site:test", ref.on_host("test")),
    "site: subdomains only": lambda _: ("site:*.mn.example", lambda p: ref.host(p).endswith(".mn.example")),
    "site: OR site: (Bing)": lambda _: ("visa (site:jobsteppe.example OR site:bazaarboard.example)",
                                         ref.all_of(ref.has("visa"), ref.any_of(ref.on_host("jobsteppe.example"),
                                                                                ref.on_host("bazaarboard.example")))),
    "-site:": lambda _: ("salary -site:jobsteppe.example",
                         ref.all_of(ref.has("salary"), ref.none_of(ref.on_host("jobsteppe.example")))),
    # Quotes, minus, OR, |, AND, NOT, +, ( ): Google Search Help; Bing "Advanced search options".
    "all words": lambda _: ("salary visa", ref.all_of(ref.has("salary"), ref.has("visa"))),
    '"exact phrase"': lambda _: ('"per month"', ref.phrase("per month")),
    "-word": lambda _: ("salary -ulaanbaatar", ref.all_of(ref.has("salary"), ref.none_of(ref.has("ulaanbaatar")))),
    '-"phrase"': lambda _: ('salary -"per month"', ref.all_of(ref.has("salary"), ref.none_of(ref.phrase("per month")))),
    "OR": lambda _: ("dubai OR bangkok", ref.any_of(ref.has("dubai"), ref.has("bangkok"))),
    "|": lambda _: ("dubai | bangkok", ref.any_of(ref.has("dubai"), ref.has("bangkok"))),
    "lower-case or is a word": lambda _: ("dubai or bangkok",
                                          ref.all_of(ref.has("dubai"), ref.has("or"), ref.has("bangkok"))),
    "OR binds tighter than AND (Google)": lambda _: (
        "salary dubai OR bangkok", ref.all_of(ref.has("salary"), ref.any_of(ref.has("dubai"), ref.has("bangkok")))),
    "( ) group": lambda _: ("(driver OR cook) visa",
                            ref.all_of(ref.any_of(ref.has("driver"), ref.has("cook")), ref.has("visa"))),
    "AND and & (Bing)": lambda _: ("salary AND visa & passport",
                                    ref.all_of(ref.has("salary"), ref.has("visa"), ref.has("passport"))),
    "NOT (Bing)": lambda _: ("visa NOT passport", ref.all_of(ref.has("visa"), ref.none_of(ref.has("passport")))),
    "+word (Bing)": lambda _: ("+visa passport", ref.all_of(ref.has("visa"), ref.has("passport"))),
    '"a * b" (Google)': lambda _: ('"salary * MNT"', ref.gap("salary", "mnt")),
    "AROUND(n) (Google)": lambda _: ('"free visa" AROUND(3) salary', ref.around("free visa", "salary", 3)),
    # Field operators: Google's intitle:/intext:/inurl:, Bing's intitle:/inbody:.
    "intitle:": lambda _: ("intitle:driver", ref.has("driver", "title")),
    'intitle:"phrase"': lambda _: ('intitle:"for sale"', ref.phrase("for sale", "title")),
    "intext:": lambda _: ("intext:passport", ref.has("passport", "body")),
    "inbody: (Bing)": lambda _: ("inbody:passport", ref.has("passport", "body")),
    "inurl:": lambda _: ("inurl:jobs", ref.has("jobs", "url")),
    "-inurl:": lambda _: ("salary -inurl:jobs", ref.all_of(ref.has("salary"), ref.none_of(ref.has("jobs", "url")))),
    # filetype: (Google Search Central; Bing) and ext: (Bing: by the URL's extension).
    "filetype:pdf": lambda _: ("filetype:pdf", ref.kind_of_file("pdf")),
    "ext:doc": lambda _: ("ext:doc", ref.extension("doc")),
    "filetype:pdf OR filetype:doc": lambda _: ("filetype:pdf OR filetype:doc",
                                               ref.any_of(ref.kind_of_file("pdf"), ref.kind_of_file("doc"))),
    "-filetype:": lambda _: ("salary -filetype:pdf",
                             ref.all_of(ref.has("salary"), ref.none_of(ref.kind_of_file("pdf")))),
    # before: / after: (Google, announced by Google SearchLiaison, 2019).
    "before:": lambda _: ("before:2025-03-01 salary", ref.all_of(ref.published("before", "2025-03-01"),
                                                                ref.has("salary"))),
    "after: and before:": lambda _: ("after:2025-01 before:2025-04 site:jobsteppe.example",
                                     ref.all_of(ref.published("after", "2025-01-01"),
                                                ref.published("before", "2025-04-01"),
                                                ref.on_host("jobsteppe.example"))),
    # Pasted text and typos are searched as words (with a note where it helps).
    "pasted URL": lambda ps: (next(p["url"] for p in ps if p["kind"] == "job_ad"),
                              ref.phrase(next(p["url"] for p in ps if p["kind"] == "job_ad"))),
    "misspelt operator": lambda _: ("sit:jobsteppe.example", ref.phrase("sit jobsteppe example")),
}


def _check(engine: SearchEngine, pages: list[ref.Page], case: Case) -> tuple[str, set[str], list[str]]:
    query, pred = case(pages)
    got, notes = found(engine, query)
    expected = ref.select(pages, pred)
    assert got == expected, (query, sorted(got - expected)[:5], sorted(expected - got)[:5])
    return query, expected, notes


@pytest.mark.parametrize("row", list(ISSUE_ROWS))
def test_issue_18_rows_agree_with_the_sources(engine: SearchEngine, pages: list[ref.Page], row: str) -> None:
    _check(engine, pages, ISSUE_ROWS[row])


@pytest.mark.parametrize("row", list(ENGINE_TABLE))
def test_engine_documentation_table(engine: SearchEngine, pages: list[ref.Page], row: str) -> None:
    _check(engine, pages, ENGINE_TABLE[row])


def test_the_issue_rows_are_not_trivial(engine: SearchEngine, pages: list[ref.Page]) -> None:
    """The rows that must find pages do (an empty set would agree with a broken engine)."""
    for row in ("site:host", "site:account path", "Salary: MNT", "salary - visa", "visa ✓", "ext:pdf",
                "filetype:docx", "AROUND(2)", "+site:", "inurl:(a | b)"):
        query, expected, _ = _check(engine, pages, ISSUE_ROWS[row])
        assert expected, query
    assert len(ref.select(pages, ISSUE_ROWS["site:account path"](pages)[1])) >= 3
    nomad = ref.select(pages, ref.on_host("nomadbook.example"))
    snap = ref.select(pages, ref.on_host("snapfold.example"))
    assert nomad and snap and not nomad & snap


def test_the_misspelt_operator_says_did_you_mean(engine: SearchEngine) -> None:
    notes = engine.search("sit:jobsteppe.example").notes
    assert notes == ["sit: at column 1 is not an operator, so it was searched as words; did you mean site:?"]


def test_every_table_query_is_in_the_officers_table() -> None:
    """docs/search-operators.md shows the same queries the tests check."""
    text = DOCS.read_text(encoding="utf-8").replace("\\|", "|")  # a table cell writes | as \\|
    static = [case([])[0] for name, case in ENGINE_TABLE.items() if name != "pasted URL"]
    missing = [q for q in static if f"`{q}`" not in text]
    assert not missing, missing
    assert re.search(r"\| *operator *\| *Google *\| *Bing *\| *sandbox *\|", text, re.I)
