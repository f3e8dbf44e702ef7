"""Username sweep, profiles, followers, reverse phone/e-mail, WHOIS and registry on a hand-built world."""

from __future__ import annotations

from pathlib import Path

import pytest

from osintlab.errors import UserError
from sandbox import open_case
from sandbox.lookup import SWEEP_COLUMNS, Lookup, variant_rule
from tests.sandbox.handmade import PHONE, build


@pytest.fixture(scope="module")
def lk(tmp_path_factory: pytest.TempPathFactory) -> Lookup:
    return open_case(build(tmp_path_factory.mktemp("w") / "w")).lookup


@pytest.mark.parametrize(("query", "candidate", "rule"), [
    ("bold_recruit", "bold_recruit", "exact"),
    ("bold_recruit", "Bold_Recruit", "case"),
    ("bold_recruit", "bold.recruit", "separators"),
    ("bold_recruit", "bold-recruit77", "trailing digits"),
    ("bold_recruit", "b0ld_recru1t", "substitution"),
    ("bold_recruit", "bold_recruiter", None),
    ("bold_recruit", "bold_recrut", "edit distance 1"),
    ("saraa", "bold", None),
])
def test_variant_rules(query: str, candidate: str, rule: str | None) -> None:
    assert variant_rule(query, candidate) == rule


def test_sweep_reports_every_platform_then_variants(lk: Lookup) -> None:
    table = lk.username("bold_recruit")
    assert list(table.columns) == SWEEP_COLUMNS
    exact = table[table["match"] == "exact"].set_index("platform")
    assert exact["found"].to_dict() == {"nomadbook": True, "jobsteppe": True}
    assert exact.loc["jobsteppe", "url"] == "https://jobsteppe.example/company/bold_recruit"
    variants = dict(zip(table[table["match"] != "exact"]["username"], table[table["match"] != "exact"]["match"],
                        strict=True))
    assert variants == {"Bold.Recruit7": "trailing digits", "b0ld_recruit": "substitution"}


def test_not_found_row_gives_the_url_that_was_checked(lk: Lookup) -> None:
    table = lk.username("nobody_here", variants=False)
    assert not table["found"].any() and len(table) == 2
    assert "https://nomadbook.example/nobody_here" in set(table["url"])


def test_bad_username_is_a_user_error(lk: Lookup) -> None:
    with pytest.raises(UserError, match="not a handle"):
        lk.username("two words")


def test_profile_posts_and_ambiguity(lk: Lookup) -> None:
    with pytest.raises(UserError, match="several platforms"):
        lk.profile("bold_recruit")
    prof = lk.profile("bold_recruit", platform="JobSteppe")
    assert prof.account.account_id == "acc-4"
    assert list(prof.posts["page_id"]) == ["pg-1"]  # the deleted ad is not on the live profile
    assert lk.profile("https://nomadbook.example/saraa.b").account.account_id == "acc-2"
    assert b'"username": "bold_recruit"' in prof.to_json()


def test_followers_following_friends(lk: Lookup) -> None:
    assert set(lk.followers("acc-1")["username"]) == {"saraa.b", "Bold.Recruit7"}
    assert list(lk.following("acc-1")["username"]) == ["saraa.b"]
    assert list(lk.friends("acc-1")["username"]) == ["saraa.b"]


@pytest.mark.parametrize("written", [PHONE, "1511 2869", "15112869", "+976 1511-2869"])
def test_reverse_phone_accepts_local_and_e164(lk: Lookup, written: str) -> None:
    table = lk.by_phone(written)
    assert set(zip(table["source"], table["url"], strict=True)) == {
        ("account", "https://nomadbook.example/bold_recruit"),
        ("whois", "https://whois.example/eastern-manpower.example"),
    }


def test_reverse_phone_rejects_impossible_numbers(lk: Lookup) -> None:
    with pytest.raises(UserError, match="not a possible number"):
        lk.by_phone("12")


def test_reverse_email_is_case_insensitive(lk: Lookup) -> None:
    assert list(lk.by_email("JOBS@eastern-manpower.example")["account_id"]) == ["acc-1"]
    assert list(lk.by_email("admin@eastern-manpower.example")["source"]) == ["whois"]
    assert lk.by_email("nobody@x.example").empty
    with pytest.raises(UserError, match="not an address"):
        lk.by_email("not-an-email")


def test_whois_from_domain_url_or_subdomain(lk: Lookup) -> None:
    for query in ("eastern-manpower.example", "https://www.eastern-manpower.example/jobs", "EASTERN-MANPOWER.EXAMPLE"):
        table = lk.whois(query)
        assert list(table["registrant_name"]) == ["Eastern Manpower"], query
    assert lk.whois("unknown.example").empty
    with pytest.raises(UserError):
        lk.whois("not a domain")


def test_registry_by_name_number_person(lk: Lookup) -> None:
    assert list(lk.registry("eastern")["registration"]) == ["MN-1234567"]
    assert list(lk.registry(number="mn-1234567")["company"]) == ["Eastern Manpower LLC"]
    assert list(lk.registry(person="saraa")["directors"]) == ["Bold Batbayar; Saraa Dorj"]
    assert lk.registry("western").empty
    with pytest.raises(UserError, match="needs a company name"):
        lk.registry()


def test_unknown_platform_names_the_choices(lk: Lookup, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="nomadbook, jobsteppe"):
        lk.profile("bold_recruit", platform="facebook")
