"""Workshop 3 labs: does each grade mean the skill? Fast on 10 seeds, full on 200 (slow)."""

from __future__ import annotations

import importlib

import pytest

from tests.labs import validity

W3 = ["w3_network_roles", "w3_money_trail", "w3_crypto_trace", "w3_dark_web", "w3_evidence_package",
      "w3_cooperation_request", "w3_case_report"]


def _sweep(name: str, seeds: range) -> validity.Sweep:
    answerers = importlib.import_module(f"tests.labs.answerers.{name}")
    return validity.run_sweep(answerers.LAB, no_skill=answerers.NO_SKILL, careful=answerers.CAREFUL, seeds=seeds)


@pytest.mark.parametrize("name", W3)
def test_w3_lab_is_valid_on_ten_seeds(name: str) -> None:
    _sweep(name, range(1, 11)).assert_valid()


@pytest.mark.slow
@pytest.mark.parametrize("name", W3)
def test_w3_lab_is_valid_on_200_seeds(name: str) -> None:
    _sweep(name, range(1, validity.SEEDS + 1)).assert_valid()
