"""The safety validator over 50 seeds x every country x every scenario (slow: ~600 worlds)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import pytest

from synthetic_data.bundle import world_files
from synthetic_data.country import list_countries
from synthetic_data.generator import generate_world
from synthetic_data.safety import format_findings, scan_bytes
from synthetic_data.scenario import list_scenarios

SEEDS = range(1, 51)


def _unsafe(country: str, scenario: str) -> list[str]:
    problems = []
    for seed in SEEDS:
        findings = scan_bytes(world_files(generate_world(country, scenario, seed, "tiny")))
        if findings:
            problems.append(f"{country} {scenario} seed {seed}:\n{format_findings(findings)}")
    return problems


@pytest.mark.slow
def test_fifty_seeds_of_every_country_and_scenario_are_safe() -> None:
    combos = [(c.code, s.id) for c in list_countries() for s in list_scenarios()]
    assert len(combos) >= 12
    with ProcessPoolExecutor(max_workers=2) as pool:
        problems = [p for result in pool.map(_unsafe, *zip(*combos, strict=True)) for p in result]
    assert not problems, "\n".join(problems[:5])
