"""The engine on a generated world: phrases taken from real pages find them, site: stays on its domain."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from sandbox.search import SearchEngine
from synthetic_data.bundle import write_world
from synthetic_data.generator import generate_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    world = generate_world("MN", "scam-compound-recruitment", 1, "tiny")
    return write_world(world, tmp_path_factory.mktemp("gen") / "w")


@pytest.fixture(scope="module")
def engine(world: Path) -> SearchEngine:
    return SearchEngine(world)


@pytest.fixture(scope="module")
def pages(world: Path) -> list[dict]:
    lines = (world / "case" / "pages.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def all_ids(engine: SearchEngine, query: str) -> list[str]:
    first = engine.search(query, per_page=100)
    found = [h.page_id for h in first.hits]
    for number in range(2, first.pages + 1):
        found += [h.page_id for h in engine.search(query, page=number, per_page=100).hits]
    assert len(found) == first.total == len(set(found))
    return found


def test_exact_phrases_from_generated_pages_find_them(engine: SearchEngine, pages: list[dict]) -> None:
    rng = random.Random(7)
    live = [p for p in pages if p["status"] == "live" and len(re.findall(r"\w+", p["text"])) >= 6]
    for page in rng.sample(live, 25):
        words = page["text"].split()
        start = rng.randrange(0, max(1, len(words) - 5))
        phrase = " ".join(words[start : start + 5]).replace('"', " ")
        found = all_ids(engine, f'"{phrase}"')
        assert page["page_id"] in found, phrase


def test_site_on_each_platform_returns_only_that_domain(engine: SearchEngine, pages: list[dict], world: Path) -> None:
    platforms = [json.loads(x) for x in (world / "case" / "platforms.jsonl").read_text().splitlines()]
    live = [p for p in pages if p["status"] == "live"]
    for platform in platforms:
        domain = platform["domain"]
        expected = {p["page_id"] for p in live if p["domain"] == domain or p["domain"].endswith("." + domain)}
        found = all_ids(engine, f"site:{domain}")
        assert set(found) == expected, domain


def test_deleted_generated_pages_are_not_served(engine: SearchEngine, pages: list[dict]) -> None:
    live = {p["page_id"] for p in pages if p["status"] == "live"}
    assert set(all_ids(engine, "site:example OR site:test")) == live


def test_dates_split_the_world(engine: SearchEngine, pages: list[dict]) -> None:
    live = [p for p in pages if p["status"] == "live"]
    cut = sorted(p["published"] for p in live)[len(live) // 2][:10]
    before = set(all_ids(engine, f"before:{cut} site:example OR site:test"))
    after = set(all_ids(engine, f"after:{cut} site:example OR site:test"))
    assert before.isdisjoint(after) and before | after == {p["page_id"] for p in live}
    assert before == {p["page_id"] for p in live if p["published"] < cut}
