"""The query parser: AST shapes and one-sentence errors that name the column."""

from __future__ import annotations

import pytest

from sandbox.search import QueryError, parse_query
from sandbox.search.query import And, DateBound, Field, FileType, Not, Or, Phrase, Site, Term


def test_terms_are_anded_and_or_binds_tighter() -> None:
    assert parse_query("jobs visa OR permit") == And((Term("jobs"), Or((Term("visa"), Term("permit")))))
    assert parse_query("visa | permit") == Or((Term("visa"), Term("permit")))
    assert parse_query("visa AND permit") == And((Term("visa"), Term("permit")))
    assert parse_query("visa or permit") == And((Term("visa"), Term("or"), Term("permit")))


def test_groups_and_exclusions() -> None:
    assert parse_query("(dubai OR doha) -cook") == And(
        (Or((Term("dubai"), Term("doha"))), Not(Term("cook")))
    )
    assert parse_query('x -"free visa" -(a b) -site:x.example') == And(
        (
            Term("x"),
            Not(Phrase(("free", "visa"))),
            Not(And((Term("a"), Term("b")))),
            Not(Site("x.example")),
        )
    )


def test_phrases_and_wildcards() -> None:
    assert parse_query('"work * visa"') == Phrase(("work", None, "visa"))
    assert parse_query('"work * * visa"') == Phrase(("work", None, "visa"))
    assert parse_query('"* visa *"') == Phrase(("visa",))
    assert parse_query("recruit*") == Term("recruit", prefix=True)


def test_operators() -> None:
    assert parse_query('intitle:"visa tips"') == Field("title", Phrase(("visa", "tips")))
    assert parse_query("inurl:ads") == Field("url", Term("ads"))
    assert parse_query("intext:salary") == Field("body", Term("salary"))
    assert parse_query("site:Jobs.Example/Ads/") == Site("jobs.example", "/ads")
    assert parse_query("site:https://jobs.example") == Site("jobs.example")
    assert parse_query("filetype:PDF") == FileType("pdf")
    assert parse_query("before:2025") == DateBound("before", "2025-01-01")
    assert parse_query("after:2025-03") == DateBound("after", "2025-03-01")
    assert parse_query("after:2025-03-09") == DateBound("after", "2025-03-09")


def test_punctuation_inside_words_is_kept_for_the_tokenizer() -> None:
    assert parse_query("abc-123 user@mail.example 10:30") == And(
        (Term("abc-123"), Term("user@mail.example"), Term("10:30"))
    )


def test_only_filters_or_filters_with_exclusions_are_fine() -> None:
    assert parse_query("site:x.example -visa") == And((Site("x.example"), Not(Term("visa"))))
    assert parse_query("after:2025-01-01") == DateBound("after", "2025-01-01")


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ('"free visa', "quote at column 1 is never closed"),
        ('visa intitle:"free', "quote at column 14 is never closed"),
        ("visa foo:bar", "unknown operator foo: at column 6"),
        ("before:2025-13-01", "before:2025-13-01 at column 1 is not a date"),
        ("after:yesterday", "is not a date"),
        ("after:2025-02-30", "is not a date"),
        ("(visa OR permit", "( at column 1 is never closed"),
        ("visa)", ") at column 5 has no matching ("),
        ("()", "term is missing before ) at column 2"),
        ("", "the query is empty"),
        ("   ", "the query is empty"),
        ("-visa", "only excludes pages"),
        ("-visa -(a OR b)", "only excludes pages"),
        ("visa OR", "OR at column 6 needs a term after it"),
        ("OR visa", "OR at column 1 needs a term before it"),
        ("visa | | permit", "| at column 6 needs a term after it"),
        ("*", "* at column 1 stands for words only inside a quoted phrase"),
        ("re*cruit", "may only end a word"),
        ('"work*visa"', "must stand alone"),
        ('""', "has no words"),
        ("!!!", "has no letters or digits"),
        ("filetype:exe", "filetype:exe at column 1 is not known"),
        ("site:bad_domain", "site:bad_domain at column 1 is not a domain"),
        ("intitle: visa", "intitle: at column 1 needs a value"),
        ("visa -", "'-' at column 6"),
        ("x" * 1001, "at most 1000"),
    ],
)
def test_malformed_queries_give_one_sentence(query: str, needle: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(query)
    message = str(info.value)
    assert needle in message
    assert "\n" not in message and message.endswith(".")


def test_control_characters_are_spaces() -> None:
    assert parse_query("visa\x00permit\tjob") == And((Term("visa"), Term("permit"), Term("job")))
