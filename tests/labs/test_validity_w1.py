"""Workshop 1's grades mean the skill: answers needing no skill score low, a neighbour's answer
at most 75 %, and a careful reader who follows only the printed brief scores high, per part.

The sweep (tests/labs/validity.py) runs each lab's answerers (tests/labs/answerers/) on many
trainees' variants. The slow tests use 200 seeds (OSINTLAB_VALIDITY_SEEDS changes it); the fast
ones 10, so a change that breaks validity is caught early.
"""

from __future__ import annotations

import importlib

import pytest

from tests.labs import validity

LABS = ["w1_passive_active", "w1_opsec", "w1_search_operators", "w1_triage"]


def _sweep(module: str, seeds: range | None = None) -> validity.Sweep:
    answerers = importlib.import_module(f"tests.labs.answerers.{module}")
    return validity.run_sweep(answerers.LAB, no_skill=answerers.NO_SKILL, careful=answerers.CAREFUL, seeds=seeds)


@pytest.mark.parametrize("module", LABS)
def test_ten_variants_grade_the_skill(module: str) -> None:
    sweep = _sweep(module, range(1, 11))
    sweep.assert_valid()
    print(sweep.table())


# Known regression, kept visible (strict: it fails the day it passes, so the mark comes off): since a
# share of every world is written in the country's language, fewer English ads on the job board
# are not targets, and "the operators and filler words" (job OR work OR the) earns a median 43 % of
# w1-03's points over 200 seeds (max 40 %; 25 % before). The lab must choose a window with enough
# English decoys, or count local-language ads in its brief.
KNOWN_INVALID = {"w1_search_operators": "w1-03: operators and filler words earn 43 % (max 40 %) in "
                                        "worlds with local-language pages"}


@pytest.mark.slow
@pytest.mark.parametrize("module", [pytest.param(m, marks=pytest.mark.xfail(reason=KNOWN_INVALID[m], strict=True))
                                    if m in KNOWN_INVALID else m for m in LABS])
def test_two_hundred_variants_grade_the_skill(module: str) -> None:
    sweep = _sweep(module)
    assert sweep.seeds() >= min(validity.SEEDS, 200) * 0.9  # a few seeds may be unsuitable (w1-03)
    sweep.assert_valid()
    print(sweep.table())


def test_no_part_is_exempt_from_the_neighbour_check() -> None:
    from labs import catalogue, runtime

    for spec in catalogue.discover():
        if spec.id.startswith("w1-"):
            assert not getattr(runtime.lab_module(spec), "GENERIC_PARTS", ()), spec.id
