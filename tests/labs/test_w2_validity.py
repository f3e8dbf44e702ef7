"""Validity of the Workshop 2 labs (tests/labs/validity.py): answers needing no skill score low, a
neighbour's right answer scores at most 75%, and a careful reader who follows only the brief and
the sandbox scores at least 90%, per part. Quick: 10 seeds; slow: OSINTLAB_VALIDITY_SEEDS (200)."""

from __future__ import annotations

import importlib

import pytest

from tests.labs import validity

ANSWERERS = ["w2_username_sweep", "w2_phone_email_pivots", "w2_image_investigation", "w2_timeline",
             "w2_archive_changes"]


def _sweep(name: str, seeds: range) -> validity.Sweep:
    module = importlib.import_module(f"tests.labs.answerers.{name}")
    return validity.run_sweep(module.LAB, no_skill=module.NO_SKILL, careful=module.CAREFUL, seeds=seeds)


@pytest.mark.parametrize("name", ANSWERERS)
def test_quick_validity(name: str) -> None:
    _sweep(name, range(1, 11)).assert_valid()


@pytest.mark.slow
@pytest.mark.parametrize("name", ANSWERERS)
def test_validity_over_many_seeds(name: str) -> None:
    sweep = _sweep(name, range(1, validity.SEEDS + 1))
    print(sweep.table())
    sweep.assert_valid()
