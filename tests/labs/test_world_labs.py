"""The labs that read a generated world: search operators and job-ad triage."""

from __future__ import annotations

import pytest

from labs import runtime
from labs.w1 import search_operators, triage
from synthetic_data.variants import variant_seed


def test_search_brief_matches_key(lab_at_seed) -> None:
    lab = lab_at_seed("w1-03-search-operators")
    ex = lab.exercise
    assert ex["board"] in ex["brief"] and len(ex["flags"]) == 2
    expected = lab.reference_answer("pages")
    assert len(expected) >= 3
    for page_id in expected:  # every target is a live ad on the board, in range, without a licence
        page = lab.case.page_by_id[page_id]
        assert page.domain == ex["board"] and ex["after"] <= page.published[:7] < ex["before"]
        assert "licence" not in page.text.lower()


@pytest.mark.parametrize(
    ("make_query", "used"),
    [
        (lambda e: f"site:{e['board']} after:{e['after']} before:{e['before']} visa -licence",
         {"site", "after", "before", "exclude"}),
        (lambda e: f"site:{e['board']} visa", {"site"}),
        (lambda e: "site:other.example after:1999-01 visa", set()),
        (lambda e: 'site:x.example "unclosed', set()),
    ],
)
def test_query_operators(lab_at_seed, make_query, used: set[str]) -> None:
    ex = lab_at_seed("w1-03-search-operators").exercise
    assert search_operators.query_operators(make_query(ex), ex) == used


def test_lazy_query_scores_partial(lab_at_seed) -> None:
    lab = lab_at_seed("w1-03-search-operators")
    lazy = f"site:{lab.exercise['board']} visa OR USD OR tourist OR ticket"
    assert 0 < lab.grade("query", lazy) < search_operators.PARTS["query"]
    assert lab.grade("query", "visa") == 0.0  # no operator asked for


def test_triage_items_and_partial_credit(lab_at_seed) -> None:
    lab = lab_at_seed("w1-04-job-ad-triage")
    ads, key = lab.exercise["ads"], lab.reference_answer("tags")
    assert 20 <= len(ads) <= triage.MAX_ADS and set(key) == set(ads)
    one_flag = {item: tags[:1] for item, tags in key.items()}
    assert 0 < lab.grade("tags", one_flag) < triage.PARTS["tags"]
    everything = list(ads)
    assert 0 < lab.grade("escalate", everything) < triage.PARTS["escalate"]
    assert lab.grade("escalate", []) == 0.0


def test_average_precision() -> None:
    assert triage.average_precision(["a", "b"], {"a", "b"}) == 1.0
    assert triage.average_precision(["x", "a"], {"a"}) == 0.5
    assert triage.average_precision([], {"a"}) == 0.0


@pytest.mark.slow
@pytest.mark.parametrize("lab_id", [s.id for s in runtime.catalogue.discover()])
def test_every_variant_is_gradable(tmp_path, lab_id: str) -> None:
    """Cohort seeds are 63-bit HMACs: a lab must build and grade its reference for any of them."""
    for trainee in range(8):
        seed = variant_seed(b"course-secret-16b", f"trainee-{trainee}", lab_id)
        out = runtime.prepare(lab_id, seed, tmp_path / str(seed))
        lab = runtime.Lab(runtime.catalogue.get(lab_id), out / "case", out / "key")
        for part, top in lab.module.PARTS.items():
            assert lab.grade(part, lab.reference_answer(part)) == top, (seed, part)


def test_lab_exposes_the_sandbox_over_its_case(lab_at_seed, capsys: pytest.CaptureFixture[str]) -> None:
    lab = lab_at_seed("w1-03-search-operators")
    assert lab.engine is lab.sandbox.engine
    lab.search(f"site:{lab.exercise['board']}")
    out = capsys.readouterr().out  # outside a notebook: plain text, addresses without their scheme
    assert " results (" in out and "pg-" in out and "://" not in out
