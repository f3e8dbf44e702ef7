"""The query parser: AST shapes and one-sentence errors that name the column."""

from __future__ import annotations

import pytest

from sandbox.search import QueryError, parse, parse_query
from sandbox.search.query import (
    MAX_DEPTH,
    And,
    DateBound,
    Extension,
    Field,
    FileType,
    Near,
    Not,
    Or,
    Phrase,
    Site,
    Term,
)


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
    assert parse_query("site:https://jobs.example") == Site("jobs.example", scheme="https")
    assert parse_query("site:https://Jobs.Example/ads") == Site("jobs.example", "/ads", "https")
    assert parse_query("site:*.jobs.example") == Site("jobs.example", subdomains_only=True)
    assert parse_query("ext:PDF") == Extension("pdf")  # Bing: by the address, not the content
    assert parse_query("filetype:docx") == FileType("doc")
    assert parse_query("inbody:salary") == Field("body", Term("salary"))
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
        ("before:2025-13-01", "before:2025-13-01 at column 1 is not a date"),
        ("after:yesterday", "is not a date"),
        ("after:2025-02-30", "is not a date"),
        ("", "the query is empty"),
        ("   ", "the query is empty"),
        ("!!!", "the query has nothing to search for"),
        ('"" ✓', "the query has nothing to search for"),
        ("-visa", "only excludes pages"),
        ("-visa -(a OR b)", "only excludes pages"),
        ("filetype:ex$e", "filetype:ex$e at column 1 is not a file type"),
        ("site:bad_domain", "site:bad_domain at column 1 is not a web address"),
        ("intitle: visa", "the operator intitle: at column 1 has no value"),
        ("AROUND(2) visa", "AROUND(2) at column 1 needs a word or a quoted phrase right before it"),
        ("visa AROUND(2)", "AROUND(2) at column 6 needs a word or a quoted phrase (without *) right after it"),
        ("(a OR b) AROUND(3) visa", "AROUND(3) at column 10 needs a word or a quoted phrase (without *) right before"),
        ("visa AROUND(500) job", "AROUND(500) at column 6 is too far: use at most AROUND(100)"),
        ("inurl:(site:x.example)", "inurl:( ) at column 1 may hold only words and phrases"),
        ("x" * 1001, "at most 1000"),
    ],
)
def test_what_no_engine_can_mean_gives_one_sentence(query: str, needle: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(query)
    message = str(info.value)
    assert needle in message
    assert "\n" not in message and message.endswith(".")


@pytest.mark.parametrize(
    ("query", "node", "note"),
    [
        ('"free visa', Phrase(("free", "visa")), "The quote at column 1 is never closed, so the phrase runs to"),
        ('visa intitle:"free', And((Term("visa"), Field("title", Phrase(("free",))))), "quote at column 14 is never"),
        ("(visa OR permit", Or((Term("visa"), Term("permit"))), "The ( at column 1 is never closed"),
        ("visa)", Term("visa"), "The ) at column 5 has no matching ( and was ignored."),
        ("() visa", Term("visa"), None),
        ("visa OR", Term("visa"), "OR at column 6 has no term after it and was ignored."),
        ("OR visa", Term("visa"), "OR at column 1 has no term before it and was ignored."),
        ("visa | | permit", Or((Term("visa"), Term("permit"))), "| at column 6 has no term after it"),
        ("* visa", Term("visa"), "The * at column 1 stands for words only inside a quoted phrase"),
        ("re*cruit", Term("re cruit"), "only works at the end of a word"),
        ('"work*visa"', Phrase(("work visa",)), "must stand alone"),
        ('"" visa', Term("visa"), '"" at column 1 has no words to search for, so it was ignored.'),
        ("visa -", Term("visa"), "- at column 6 has no letters or digits, so it was ignored."),
        ("(visa NOT) job", And((Term("visa"), Term("job"))), "The NOT at column 7 has nothing after it and was"),
        ("salary - visa", And((Term("salary"), Term("visa"))), "- at column 8 has no letters or digits"),
        ("visa ✓", Term("visa"), "✓ at column 6 has no letters or digits, so it was ignored."),
        ("salary && visa & job", And((Term("salary"), Term("visa"), Term("job"))), None),
        ("salary + visa", And((Term("salary"), Term("visa"))), None),
        ("+visa +\"free job\"", And((Term("visa"), Phrase(("free", "job")))), None),
        ("visa foo:bar", And((Term("visa"), Term("foo:bar"))), None),
        ("Salary: MNT", And((Term("Salary:"), Term("MNT"))), None),
        ("sit:jobs.example", Term("sit:jobs.example"),
         "sit: at column 1 is not an operator, so it was searched as words; did you mean site:?"),
        ("intitel:visa", Term("intitel:visa"), "did you mean intitle:?"),
        ("title:visa", Term("title:visa"), "did you mean intitle:?"),
        ("cache:jobs.example", Term("cache:jobs.example"), "cache: at column 1 is an operator of the web engines"),
        ("https://jobs.example/ads/1", Term("https://jobs.example/ads/1"), None),
        ("filetype:exe visa", And((FileType("exe"), Term("visa"))), "filetype:exe at column 1 is a file type no page"),
        ("around(2) visa", And((Term("around"), Term("2"), Term("visa"))), "write AROUND(n) in capitals"),
        ("\u201cfree visa\u201d", Phrase(("free", "visa")), None),  # curly quotes pasted from a document
        ("visa NOT dubai", And((Term("visa"), Not(Term("dubai")))), None),  # Bing's NOT
        ("a || b", Or((Term("a"), Term("b"))), None),
    ],
)
def test_what_engines_forgive_is_searched_with_a_note(query: str, node: object, note: str | None) -> None:
    parsed = parse(query)
    assert parsed.node == node
    if note is None:
        assert parsed.notes == ()
    else:
        assert len(parsed.notes) == 1 and note in parsed.notes[0], parsed.notes
        assert all("\n" not in n and n.endswith((".", "?")) for n in parsed.notes)


def test_around_and_operator_groups() -> None:
    assert parse_query("tourist AROUND(2) visa") == Near(Term("tourist"), Term("visa"), 2)
    assert parse_query('"free visa" AROUND(0) dubai') == Near(Phrase(("free", "visa")), Term("dubai"), 0)
    chain = And((Near(Term("a"), Term("b"), 1), Near(Term("b"), Term("c"), 3)))
    assert parse_query("a AROUND(1) b AROUND(3) c") == chain
    assert parse_query("inurl:(jobs | company)") == Or((Field("url", Term("jobs")), Field("url", Term("company"))))
    assert parse_query('intitle:("free visa" -scam)') == And(
        (Field("title", Phrase(("free", "visa"))), Not(Field("title", Term("scam"))))
    )
    assert parse_query("site:(a.example OR b.example/jobs)") == Or((Site("a.example"), Site("b.example", "/jobs")))
    assert parse_query("+site:jobs.example salary") == And((Site("jobs.example"), Term("salary")))


@pytest.mark.parametrize(
    "query",
    [
        "visa " + "-(x " * 25,  # issue 12: 25 nested exclusions
        "(" * 330 + "visa",  # issue 12: 330 brackets
        "a " + "-" * 40 + "visa",  # issue 12: 40 minus signs
        "inurl:(" * 11 + "jobs",
        "NOT " * 11 + "visa job",
    ],
)
def test_nesting_deeper_than_the_limit_names_the_limit_and_column(query: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(query)
    message = str(info.value)
    assert f"use at most {MAX_DEPTH} inside each other" in message and "at column " in message
    assert "\n" not in message


def test_nesting_up_to_the_limit_parses() -> None:
    assert parse_query("visa " + "-(x " * (MAX_DEPTH // 2)) is not None  # each -( is two levels
    assert parse_query("(" * MAX_DEPTH + "visa" + ")" * MAX_DEPTH) == Term("visa")


def test_canonically_equal_text_parses_the_same() -> None:
    assert parse_query("ажилд оролцох й") == parse_query("ажилд оролцох \u0438\u0306")  # й decomposed
    assert parse_query("\u09df") == parse_query("\u09af\u09bc")  # Bengali য় precomposed and decomposed


def test_control_characters_are_spaces() -> None:
    assert parse_query("visa\x00permit\tjob") == And((Term("visa"), Term("permit"), Term("job")))


def test_errors_name_the_column_in_the_course_language() -> None:
    from osintlab.i18n import speaking

    with speaking("mn"), pytest.raises(QueryError) as info:
        parse("visa intitle: job")
    assert str(info.value).startswith("6-р баган дахь intitle: оператор утгагүй байна")
    with speaking("bn"), pytest.raises(QueryError) as info:
        parse("after:2025-02-30")
    assert str(info.value).startswith("কলাম 1-এর after:2025-02-30 কোনো তারিখ নয়")


def test_an_operator_without_value_names_its_column() -> None:
    with pytest.raises(QueryError, match="the operator intitle: at column 6 has no value"):
        parse("visa intitle: job")
