"""The labs that read a generated world: search operators and job-ad triage."""

from __future__ import annotations

import re

import pytest

from labs import runtime
from labs.w1 import search_operators, triage
from synthetic_data.variants import variant_seed


def test_search_brief_matches_key(lab_at_seed) -> None:
    lab = lab_at_seed("w1-03-search-operators")
    ex = lab.exercise
    assert ex["board"] in ex["brief"] and len(ex["flags"]) >= 2 and set(ex["definitions"]) == set(ex["flags"])
    assert "claim" in ex["brief"] and "licence" in ex["brief"]  # a licence number is a claim, not proof
    expected = lab.reference_answer("pages")
    assert len(expected) >= 3
    for page_id in expected:  # every target is a live ad on the board, in range, without a licence
        page = lab.case.page_by_id[page_id]
        assert page.domain == ex["board"] and ex["after"] <= page.published[:7] < ex["before"]
        assert "licence" not in page.text.lower()


@pytest.mark.parametrize(
    ("make_query", "shape"),
    [
        (lambda e: f"site:{e['board']} after:{e['after']} before:{e['before']} (visa OR ticket) -licence",
         {"or": True}),
        (lambda e: f"site:{e['board']} visa -(ticket OR flight)", {"or": False}),
        (lambda e: "site:x.example after:2025-06 before:2025-03 (a OR b)", {"after": "2025-06-01", "or": True}),
        (lambda e: "-visa", {"error": True}),  # a query that only excludes: no engine can mean it
    ],
)
def test_query_shape(lab_at_seed, make_query, shape: dict) -> None:
    ex = lab_at_seed("w1-03-search-operators").exercise
    found = search_operators.query_shape(make_query(ex))
    for name, value in shape.items():
        assert (bool(found.get(name)) if value is True else found.get(name)) == value, (name, found)


def test_query_is_scored_by_its_results(lab_at_seed) -> None:
    lab = lab_at_seed("w1-03-search-operators")
    ex, ref = lab.exercise, lab.reference_answer("query")
    assert lab.grade("query", ref) == search_operators.PARTS["query"]
    scope = f"site:{ex['board']} after:{ex['after']} before:{ex['before']}"
    assert lab.grade("query", f"{scope} -licence") == 0.0  # operators without words: no OR group
    assert lab.grade("query", ref.replace(" OR ", " ")) == 0.0  # the brief's OR group is required
    lazy = f"site:{ex['board']} (USD OR tourist OR visa OR ticket)"
    assert 0 < lab.grade("query", lazy) < search_operators.PARTS["query"]
    assert lab.grade("query", f"{scope} (zzzqx OR qqqzz)") == 0.0  # words that find nothing


def test_query_checks_warn_about_dates_and_the_or_group(lab_at_seed, capsys: pytest.CaptureFixture[str]) -> None:
    lab = lab_at_seed("w1-03-search-operators")
    ex = lab.exercise
    lab.check("query", f"site:{ex['board']} after:{ex['before']} before:{ex['after']} (visa OR ticket)")
    assert "reversed" in capsys.readouterr().out
    lab.check("query", f"site:{ex['board']} after:{ex['after']} before:{ex['after']} (visa OR ticket)")
    assert "no day between them" in capsys.readouterr().out
    lab.check("query", f"site:{ex['board']} visa")
    assert "OR group" in capsys.readouterr().out
    lab.check("query", f"site:{ex['board']} (visa OR ticket OR USD)")
    out = capsys.readouterr().out
    assert "outside the brief's months" in out and not re.search(r"\d+ of your", out)


def test_triage_items_and_partial_credit(lab_at_seed) -> None:
    lab = lab_at_seed("w1-04-job-ad-triage")
    ads, key = lab.exercise["ads"], lab.reference_answer("tags")
    assert 20 <= len(ads) <= triage.MAX_ADS and set(key) == set(ads)
    assert all("hint" in info for info in lab.exercise["indicators"].values())  # definitions are printed
    one_flag = {item: tags[:1] for item, tags in key.items()}
    assert 0 < lab.grade("tags", one_flag) < triage.PARTS["tags"]
    everything = list(ads)
    assert 0 < lab.grade("escalate", everything) < triage.PARTS["escalate"]
    assert lab.grade("escalate", []) == 0.0
    escalate = lab.reference_answer("escalate")
    assert lab.grade("escalate", escalate[::-1]) < triage.PARTS["escalate"]  # the order counts


def test_triage_key_follows_the_definitions(lab_at_seed) -> None:
    """Titles and closing lines count: a title with only a country carries that flag."""
    lab = lab_at_seed("w1-04-job-ad-triage")
    for item, ad in lab.exercise["ads"].items():
        flags = lab.reference_answer("tags")[item]
        if re.search(r"^Work in [A-Z][a-z]+!", ad["title"]):
            assert "RF-VAGUE-LOCATION" in flags, (item, ad["title"])
        if ad["text"].rstrip().endswith("Start next week."):
            assert "RF-URGENT" in flags, item
        if "No fees are charged to workers" in ad["text"] and "processing fee" not in ad["text"].lower():
            assert "RF-WORKER-FEE" not in flags, item


def test_order_agreement() -> None:
    prio = {"a": (1, 5), "b": (0, 4), "c": (0, 3)}
    assert triage.order_agreement(["a", "b", "c"], prio) == 1.0
    assert triage.order_agreement(["c", "b", "a"], prio) == 0.0
    assert triage.order_agreement(["a"], prio) == 1.0


@pytest.mark.slow
@pytest.mark.parametrize("lab_id", [s.id for s in runtime.catalogue.discover()])
def test_every_variant_is_gradable(tmp_path, lab_id: str) -> None:
    """Cohort seeds are 63-bit HMACs: a lab must build and grade its reference for any of them."""
    from grader.release import next_seed

    for trainee in range(8):
        first = seed = variant_seed(b"course-secret-16b", f"trainee-{trainee}", lab_id)
        for attempt in range(1, 4):  # as the cohort release does: a seed the lab cannot host gives way
            try:
                out = runtime.prepare(lab_id, seed, tmp_path / str(seed))
                break
            except runtime.UnsuitableSeed:
                seed = next_seed(first, attempt)
        lab = runtime.Lab(runtime.catalogue.get(lab_id), out / "case", out / "key")
        for part, top in lab.module.PARTS.items():
            assert lab.grade(part, lab.reference_answer(part)) == top, (seed, part)


def test_lab_exposes_the_sandbox_over_its_case(lab_at_seed, capsys: pytest.CaptureFixture[str]) -> None:
    lab = lab_at_seed("w1-03-search-operators")
    assert lab.engine is lab.sandbox.engine
    lab.search(f"site:{lab.exercise['board']}")
    out = capsys.readouterr().out  # outside a notebook: plain text, addresses without their scheme
    assert " results (" in out and "pg-" in out and "://" not in out
