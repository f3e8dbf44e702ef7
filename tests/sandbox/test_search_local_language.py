"""Local-language pages are found by local-language queries, and `language.local_query`
proposes a query whose results hold every one of its target pages (for lab w1-03 to adopt)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from sandbox.search import SearchEngine
from synthetic_data.generator import generate_world, write_checked
from synthetic_data.generator.language import SCRIPT_NAMES, language_dirs, load_language, local_query

WORLDS = [("MN", "scam-compound-recruitment", 1), ("MN", "migrant-smuggling-social-media", 3),
          ("BD", "labour-debt-bondage", 2), ("BD", "dating-app-lure", 1)]
THAI = ("TH", "scam-compound-recruitment", 1)  # no spaces between words: ICU word breaks


def _all_hits(engine: SearchEngine, query: str) -> set[str]:
    found: set[str] = set()
    page = 1
    while True:
        results = engine.search(query, page=page, per_page=100)
        found |= {hit.page_id for hit in results.hits}
        if page >= results.pages:
            return found
        page += 1


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    made = {}
    thai = generate_world(*THAI, "small")
    made[THAI] = (thai, SearchEngine(Path(write_checked(thai, tmp_path_factory.mktemp("th") / "w")) / "case"), 1)
    for country, scenario, first in WORLDS:
        # The first seed from `first` whose world hosts a local-language brief (most do).
        seeds = range(first, first + 10)
        seed = next(n for n in seeds if local_query(generate_world(country, scenario, n, "small"), n))
        world = generate_world(country, scenario, seed, "small")
        out = write_checked(world, tmp_path_factory.mktemp(f"{country}-{seed}") / "w")
        made[country, scenario, first] = (world, SearchEngine(Path(out) / "case"), seed)
    yield made
    for _, engine, _ in made.values():
        engine.close()


def _local_words(text: str, script: str) -> list[str]:
    import unicodedata

    prefix = SCRIPT_NAMES[script]
    words = re.findall(r"[^\s,.;:!?()\"'«»।{}\[\]/#@-]+", text)
    return [w for w in words if len(w) >= 5 and all(unicodedata.name(ch, "").startswith(prefix) or
                                                    unicodedata.category(ch).startswith("M") for ch in w)]


@pytest.mark.parametrize("key", [*WORLDS, THAI], ids=[f"{c}-{s}-{n}" for c, s, n in [*WORLDS, THAI]])
def test_a_word_of_a_local_page_finds_it(engines, key) -> None:  # type: ignore[no-untyped-def]
    world, engine, _ = engines[key]
    code = next(c for c in language_dirs() if c in ("mn", "bn", "th") and c in {p.lang for p in world.case.pages})
    lang = load_language(code)
    pages = [p for p in world.case.pages if p.lang == code and p.status == "live"]
    rng = random.Random(7)
    checked = 0
    for page in rng.sample(pages, 25):
        words = _local_words(page.text, lang.script)
        if not words:
            continue
        word = max(words, key=len)
        assert page.page_id in _all_hits(engine, word), (page.page_id, word)
        phrase = " ".join(page.text.split()[:3])
        if len(_local_words(phrase, lang.script)) == 3:  # a three-word phrase of the page, quoted
            assert page.page_id in _all_hits(engine, f'"{phrase}"'), (page.page_id, phrase)
        checked += 1
    assert checked >= 15


@pytest.mark.parametrize("key", WORLDS, ids=[f"{c}-{s}-{n}" for c, s, n in WORLDS])
def test_local_query_finds_all_its_targets(engines, key) -> None:  # type: ignore[no-untyped-def]
    world, engine, seed = engines[key]
    proposal = local_query(world, seed=seed)
    assert proposal is not None and len(proposal.targets) >= 3
    found = _all_hits(engine, proposal.query)
    assert set(proposal.targets) <= found, "every target is in the results"
    # The results the brief's scope allows: targets among them, and not everything in scope.
    in_scope = found & set(proposal.in_scope)
    assert len(set(proposal.targets)) / len(in_scope) >= 0.2
    assert len(in_scope) < len(proposal.in_scope)
    truths = {t.page_id: t for t in world.key.pages}
    for page_id in proposal.targets:
        assert proposal.indicator in {c.indicator for c in truths[page_id].cues}
    assert proposal.lang in proposal.brief or load_language(proposal.lang).name in proposal.brief


def test_local_query_is_none_without_a_language_folder() -> None:
    world = generate_world("AF", "labour-debt-bondage", 1, "tiny")
    assert local_query(world) is None
