"""Worlds in the country's languages: banks mirror the English ones, shares, scripts, exact cues,
the same indicators in the key, and no shift of the other generation steps' streams."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from synthetic_data import consistency
from synthetic_data.bundle import World, world_files
from synthetic_data.country import list_countries, load_country
from synthetic_data.generator import generate_world, language
from synthetic_data.generator.language import language_dirs, language_of, load_language, script_share
from synthetic_data.scenario import list_scenarios
from synthetic_data.textgen import indicators_in

LANGS = sorted(language_dirs())
SCENARIOS = list_scenarios()
# Identifiers and brand names are written in Latin in any language: leave them out when
# measuring the script of a page.
IDENTIFIER = re.compile(r"\S*(?:://|@|\.example|\.test)\S*|\b[A-Z][A-Za-z]+(?: [A-Z][A-Za-z.,]+)*")


def local_script_share(text: str, script: str) -> float:
    return script_share(IDENTIFIER.sub(" ", text), script)


def english_only(monkeypatch: pytest.MonkeyPatch, *args: object) -> World:
    with monkeypatch.context() as m:
        m.setattr(language, "localise", lambda g: None)
        return generate_world(*args)  # type: ignore[arg-type]


# ---------------------------------------------------------------- banks


def test_mongolian_and_bengali_come_first_then_thai() -> None:
    assert {"mn", "bn", "th"} <= set(LANGS)
    assert language_of(load_country("MN")).code == "mn"  # type: ignore[union-attr]
    assert language_of(load_country("BD")).code == "bn"  # type: ignore[union-attr]
    assert language_of(load_country("TH")).code == "th"  # type: ignore[union-attr]


@pytest.mark.parametrize("code", LANGS)
def test_bank_mirrors_every_english_bank_it_can_replace(code: str) -> None:
    lang = load_language(code)
    for scenario in SCENARIOS:
        for name, spec in scenario.texts.items():
            assert name in lang.texts, f"{code}: no bank {name!r} ({scenario.id})"
            missing = set(spec.get("cues", {})) - set(lang.texts[name].get("cues", {}))
            assert not missing, f"{code}: bank {name} cannot plant {sorted(missing)}"
        for name, script in scenario.scripts.items():
            local = lang.scripts[name]
            assert [s["from"] for s in local["steps"]] == [s["from"] for s in script["steps"]], name
            for i, (ours, theirs) in enumerate(zip(local["steps"], script["steps"], strict=True)):
                wanted = {tuple(sorted(Counter(indicators_in(t)).items())) for t in theirs["text"]}
                have = {tuple(sorted(Counter(indicators_in(t)).items())) for t in ours["text"]}
                assert wanted <= have, f"{code}: script {name} step {i} plants other indicators"
    from synthetic_data.scenario import background

    for name in background()["texts"]:
        assert name in lang.texts, f"{code}: no background bank {name!r}"


@pytest.mark.parametrize("code", LANGS)
def test_bank_text_is_written_in_its_script(code: str) -> None:
    lang = load_language(code)
    for name, spec in lang.texts.items():
        for part in ("opener", "details", "middle"):
            for template in spec.get(part, []):
                plain = re.sub(r"\{[a-z_]+\}|\[\[[A-Z0-9-]+\||\]\]", " ", template)
                assert local_script_share(plain, lang.script) >= 0.7, (code, name, template)


@pytest.mark.parametrize("code", LANGS)
def test_every_job_title_has_a_translation(code: str) -> None:
    lang = load_language(code)
    jobs = {j for s in SCENARIOS for j in [*s.data["jobs"], *s.data.get("legit_jobs", [])]}
    jobs |= {j for p in list_countries() if code in p.languages for j in p.local_jobs}
    assert not jobs - set(lang.terms["jobs"]), sorted(jobs - set(lang.terms["jobs"]))


# ---------------------------------------------------------------- worlds

MN_BD = [(c, s.id) for c in ("MN", "BD", "TH") for s in SCENARIOS]


@pytest.fixture(scope="module")
def worlds() -> dict[tuple[str, str], World]:
    return {(c, s): generate_world(c, s, 11, "small") for c, s in MN_BD}


@pytest.mark.parametrize(("country", "scenario"), MN_BD)
def test_at_least_a_fifth_of_pages_are_in_the_countrys_language_and_script(
    worlds: dict[tuple[str, str], World], country: str, scenario: str
) -> None:
    lang = language_of(load_country(country))
    assert lang is not None
    pages = worlds[country, scenario].case.pages
    local = [p for p in pages if p.lang == lang.code]
    in_script = [p for p in local if local_script_share(f"{p.title}\n{p.text}", lang.script) >= 0.5]
    assert len(in_script) / len(pages) >= 0.2, f"{len(in_script)} of {len(pages)}"
    # Most of the pages tagged with the language are written in its script (a profile with only
    # a phone line and a date is tagged too, but has few letters).
    assert len(in_script) >= 0.85 * len(local)
    kinds = {p.kind for p in local}
    assert {"post", "comment", "listing", "forum_thread", "news", "job_ad", "profile"} <= kinds


@pytest.mark.parametrize(("country", "scenario"), MN_BD)
def test_local_cues_are_exact_spans(worlds: dict[tuple[str, str], World], country: str, scenario: str) -> None:
    world = worlds[country, scenario]
    pages = world.case.page_by_id
    local = 0
    for truth in world.key.pages:
        page = pages.get(truth.page_id)
        if page is None:
            continue
        for cue in truth.cues:  # a cue sits in the page's text or, for some English titles, its title
            assert getattr(page, cue.field)[cue.start : cue.end] == cue.text, (page.page_id, cue)
        local += page.lang != "en" and bool(truth.cues)
    assert local >= 3, "some storyline pages with indicators are written in the local language"
    messages = {m.message_id: m for m in world.case.messages}
    for truth in world.key.messages:
        for cue in truth.cues:
            assert messages[truth.message_id].text[cue.start : cue.end] == cue.text


@pytest.mark.parametrize(("country", "scenario"), [("MN", "scam-compound-recruitment"), ("BD", "labour-debt-bondage")])
def test_same_indicators_and_nothing_else_changes(monkeypatch: pytest.MonkeyPatch, country: str, scenario: str) -> None:
    local = generate_world(country, scenario, 5, "small")
    english = english_only(monkeypatch, country, scenario, 5, "small")
    # The other steps' streams do not move: the same people, accounts, money and page ids.
    for name in ("accounts", "transactions", "fin_accounts", "images", "places"):
        assert [r.to_dict() for r in getattr(local.case, name)] == [r.to_dict() for r in getattr(english.case, name)]
    assert [p.to_dict() for p in local.key.people] == [p.to_dict() for p in english.key.people]
    assert [p.page_id for p in local.case.pages] == [p.page_id for p in english.case.pages]
    # The key plants the same indicators, page by page and message by message.
    for ours, theirs in zip(local.key.pages, english.key.pages, strict=True):
        assert ours.label == theirs.label and ours.history == theirs.history
        assert Counter(c.indicator for c in ours.cues) == Counter(c.indicator for c in theirs.cues)
    for ours, theirs in zip(local.key.messages, english.key.messages, strict=True):
        assert Counter(c.indicator for c in ours.cues) == Counter(c.indicator for c in theirs.cues)
    # Only pages tagged with another language changed their text.
    changed = [(a, b) for a, b in zip(local.case.pages, english.case.pages, strict=True) if a.text != b.text]
    assert changed and all(a.lang != "en" and b.lang == "en" for a, b in changed)
    threads = {m.thread_id for m, e in zip(local.case.messages, english.case.messages, strict=True) if m.text != e.text}
    assert threads, "some chat threads are written in the local language"


def _identifiers(text: str, orgs: list[str]) -> dict[str, set[str]]:
    return {"organisation": {o for o in orgs if o in text},
            "e-mail": {m.group(0).lower() for m in consistency._EMAIL.finditer(text)},
            "phone": set(consistency._E164.findall(text)),
            "site": {h.rstrip(".") for h in consistency._URL.findall(text)},
            "handle": set(consistency._HANDLE.findall(text)),
            "number": set(consistency._REGISTRATION.findall(text)) | set(consistency._LICENCE.findall(text))}


@pytest.mark.parametrize("country", ["MN", "BD", "TH"])
@pytest.mark.parametrize("scenario", [s.id for s in SCENARIOS])
def test_a_rewrite_names_what_the_english_text_named(monkeypatch: pytest.MonkeyPatch, country: str,
                                                     scenario: str) -> None:
    """A local page gives the same company, e-mail, phone, site, handle and registration as the English
    text it replaces (when both give one of that kind): the language never changes who is named."""
    local = generate_world(country, scenario, 1, "tiny")
    english = english_only(monkeypatch, country, scenario, 1, "tiny")
    orgs = [o.name for o in local.key.orgs]
    rewritten = 0
    for ours, theirs in zip(local.case.pages, english.case.pages, strict=True):
        if ours.lang == "en":
            continue
        rewritten += 1
        mine = _identifiers(f"{ours.title}\n{ours.text}", orgs)
        before = _identifiers(f"{theirs.title}\n{theirs.text}", orgs)
        for kind, found in mine.items():
            if found and before[kind]:
                assert found <= before[kind], f"{ours.page_id} ({ours.lang}) names {kind} {found - before[kind]}"
    assert rewritten


def test_local_worlds_are_deterministic() -> None:
    a = dict(world_files(generate_world("BD", "migrant-smuggling-social-media", 3, "tiny")))
    b = dict(world_files(generate_world("BD", "migrant-smuggling-social-media", 3, "tiny")))
    assert a == b


@pytest.mark.parametrize(("country", "scenario"), MN_BD)
def test_archive_follows_local_pages(worlds: dict[tuple[str, str], World], country: str, scenario: str) -> None:
    world = worlds[country, scenario]
    live = world.case.page_by_url
    captures: dict[str, list] = {}
    for capture in world.case.archive:
        captures.setdefault(capture.url, []).append(capture)
    for truth in world.key.pages:
        page = live.get(truth.url)
        if truth.history == "edited" and page is not None and page.lang != "en":
            # The archive holds the local page as it was before the edit, removed sentence included.
            before = [c for c in captures[truth.url] if truth.changes[0] in c.text]
            assert before and truth.changes[0] not in page.text
            assert all(c.text.startswith(page.text) for c in before)
        elif page is not None and page.lang != "en":
            for capture in captures.get(truth.url, []):
                assert capture.text in ("", page.text) or capture.text.startswith(page.text)


def test_replies_follow_their_posts_title(worlds: dict[tuple[str, str], World]) -> None:
    for world in worlds.values():
        by_id = world.case.page_by_id
        for page in world.case.pages:
            parent = by_id.get(page.reply_to or "")
            if parent is not None:
                assert page.title == f"Re: {parent.title}", page.page_id


def test_bengali_amounts_use_bengali_digits_and_phones_stay_ascii(worlds: dict[tuple[str, str], World]) -> None:
    world = worlds["BD", "scam-compound-recruitment"]
    bengali = [p for p in world.case.pages if p.lang == "bn" and p.kind == "listing"]
    assert bengali and any(re.search("[০-৯]", p.text) for p in bengali)
    phones = [m for p in world.case.pages if p.lang == "bn" for m in re.findall(r"\+880\d+|01\d{3}-\d{6}", p.text)]
    assert phones, "Bengali pages still show phone numbers, in ASCII digits"


def test_local_query_proposes_a_brief_for_most_worlds() -> None:
    from synthetic_data.generator.language import local_query, matches_terms

    proposals = []
    for country in ("MN", "BD"):
        for scenario in SCENARIOS:
            for seed in (21, 22, 23):
                world = generate_world(country, scenario.id, seed, "small")
                proposal = local_query(world, seed)
                proposals.append(proposal)
                if proposal is None:
                    continue
                assert proposal == local_query(world, seed)  # deterministic
                pages = world.case.page_by_id
                assert all(matches_terms(pages[t].text, proposal.terms) for t in proposal.targets)
                assert all(pages[t].lang == proposal.lang for t in proposal.targets)
                assert set(proposal.targets) <= set(proposal.in_scope)
    assert sum(p is not None for p in proposals) >= 0.75 * len(proposals)


@pytest.mark.parametrize("code", LANGS)
def test_search_terms_are_in_every_cue_of_their_indicator(code: str) -> None:
    from synthetic_data.generator.language import matches_terms, search_terms
    from synthetic_data.textgen import CUE_MARK

    lang = load_language(code)
    if not lang.terms.get("search_terms"):
        pytest.skip(f"{code}: no search terms yet (local_query proposes none for its worlds)")
    for indicator in lang.terms["search_terms"]:
        terms = search_terms(lang, indicator)
        templates = [t for spec in lang.texts.values() for t in spec.get("cues", {}).get(indicator, [])]
        templates += [t for script in lang.scripts.values() for step in script["steps"] for t in step["text"]]
        cues = [m.group(2) for t in templates for m in CUE_MARK.finditer(t) if m.group(1) == indicator]
        assert cues, indicator
        missing = [c for c in cues if not matches_terms(re.sub(r"\{[a-z_]+\}", " ", c), terms)]
        assert not missing, (indicator, missing)
