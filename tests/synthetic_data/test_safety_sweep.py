"""The safety validator over at least 1,000 tiny worlds: every country pack x every scenario,
with local-language pages, on 2 worker processes (slow: about 3 minutes on 2 cores)."""

from __future__ import annotations

import math
from concurrent.futures import ProcessPoolExecutor

import pytest

from synthetic_data.bundle import world_files
from synthetic_data.country import list_countries
from synthetic_data.generator import generate_world
from synthetic_data.safety import format_findings, scan_bytes
from synthetic_data.scenario import list_scenarios

WORLDS = 1000


def _unsafe(country: str, scenario: str, seeds: range) -> tuple[int, list[str]]:
    problems = []
    for seed in seeds:
        findings = scan_bytes(world_files(generate_world(country, scenario, seed, "tiny")))
        if findings:
            problems.append(f"{country} {scenario} seed {seed}:\n{format_findings(findings)}")
    return len(seeds), problems


@pytest.mark.slow
def test_a_thousand_worlds_of_every_country_and_scenario_are_safe() -> None:
    combos = [(c.code, s.id) for c in list_countries() for s in list_scenarios()]
    assert len(combos) >= 60, "15 packs x 4 scenarios"
    per = math.ceil(WORLDS / len(combos))
    # Seeds differ between combinations, so the sweep covers more of each generator's space.
    jobs = [(c, s, range(1 + i * per, 1 + (i + 1) * per)) for i, (c, s) in enumerate(combos)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_unsafe, *zip(*jobs, strict=True)))
    assert sum(n for n, _ in results) >= WORLDS
    problems = [p for _, found in results for p in found]
    assert not problems, f"{len(problems)} unsafe worlds:\n" + "\n".join(problems[:5])
