"""The Workshop 2 material of a world: registry, handle family and decoys, numbers, pictures,
a journey across time zones, edited pages. Checked in every pack and scenario over a few seeds."""

from __future__ import annotations

import random
from functools import cache
from types import SimpleNamespace

import phonenumbers
import pytest

from sandbox.clock import to_utc
from synthetic_data.bundle import World, world_files
from synthetic_data.country import list_countries
from synthetic_data.footprint_data import sentences
from synthetic_data.generator import generate_world
from synthetic_data.generator.footprint import linking_traces
from synthetic_data.safety import scan_bytes
from synthetic_data.scenario import list_scenarios

COMBOS = [(c.code, s.id) for c in list_countries() for s in list_scenarios()]


@cache
def world(country: str, scenario: str, seed: int) -> World:
    return generate_world(country, scenario, seed, "tiny")


def _g(w: World) -> SimpleNamespace:
    """The bits of a Gen that linking_traces reads, rebuilt from a finished world."""
    return SimpleNamespace(case=w.case, key=w.key, account_by_id={a.account_id: a for a in w.case.accounts})


@pytest.mark.parametrize(("country", "scenario"), COMBOS)
def test_every_family_account_has_two_traces_and_no_decoy_has_two(country: str, scenario: str) -> None:
    for seed in range(3):
        w = world(country, scenario, seed)
        (truth,) = w.key.footprints
        assert len(truth.accounts) >= 4 and len(truth.decoys) >= 5
        assert all(len(t) >= 2 for t in truth.accounts.values()), truth.accounts
        for decoy in truth.decoys:
            traces = linking_traces(_g(w), truth, [*truth.accounts, decoy])[decoy]
            assert len(traces) <= 1, (decoy, truth.decoys[decoy], traces)
        owner = {a: p.person_id for p in w.key.people for a in p.accounts}
        assert {owner[a] for a in truth.accounts} == {truth.person_id}
        assert all(owner[a] != truth.person_id for a in truth.decoys)


def test_visible_traces_suffice_where_contact_details_are_for_members_only() -> None:
    for country, scenario in COMBOS:
        w = world(country, scenario, 1)
        truth = w.key.footprints[0]
        hidden = {r.target for r in w.case.restricted if r.kind == "contact"}
        for account_id, traces in truth.accounts.items():
            visible = [t for t in traces if account_id not in hidden or t not in ("phone", "email")]
            assert len(visible) >= 2, (country, scenario, account_id, traces)


def test_bio_trace_means_a_shared_sentence() -> None:
    assert sentences("Real jobs abroad. DM open. Write to us.") == {"real jobs abroad.", "write to us."}
    assert not sentences("Hi. Ok.")


@pytest.mark.parametrize(("country", "scenario"), COMBOS)
def test_journey_has_fifteen_events_one_contradiction_and_utc_from_what_is_shown(country: str, scenario: str) -> None:
    w = world(country, scenario, 2)
    events = w.key.events
    assert len(events) >= 15
    assert sum(e.contradicts for e in events) == 1
    assert len({e.zone for e in events}) >= 3  # UTC, origin and destination at least
    for event in events:
        zone = None if event.zone_source == "stated" else event.zone
        assert to_utc(event.shown, zone) == event.utc, event
    departure = next(e.utc for e in events if e.note == "departure")
    arrival = next(e.utc for e in events if e.note == "arrival")
    for event in events:
        wrong = (event.stage == "departure" and event.utc > departure) or (
            event.stage in ("arrival", "exploitation") and event.utc < arrival)
        assert wrong == event.contradicts, event


@pytest.mark.parametrize(("country", "scenario"), COMBOS)
def test_edits_are_what_the_captures_show(country: str, scenario: str) -> None:
    w = world(country, scenario, 0)
    captures = {c.capture_id: c for c in w.case.archive}
    kinds = [e.change for e in w.key.edits]
    assert {"phone", "salary", "destination", "deleted", "none"} <= set(kinds)
    live = {p.url for p in w.case.pages}
    for edit in w.key.edits:
        history = sorted((c for c in w.case.archive if c.url == edit.url), key=lambda c: c.captured)
        assert len(history) >= 4
        if edit.change == "none":
            assert edit.url in live and not edit.last_before
            continue
        old, new = captures[edit.last_before], captures[edit.first_after]
        assert old.captured < new.captured and old.http_status == 200
        if edit.change == "deleted":
            assert new.http_status == 404 and edit.url not in live
            continue
        assert edit.url in live and new.http_status == 200
        assert old.text != new.text


@pytest.mark.parametrize(("country", "scenario"), COMBOS)
def test_numbers_ported_and_near_identical(country: str, scenario: str) -> None:
    w = world(country, scenario, 1)
    ported = {r.number: r for r in w.case.ported}
    for truth in w.key.phones:
        number = phonenumbers.parse(truth.number)
        assert phonenumbers.is_possible_number(number) and not phonenumbers.is_valid_number(number)
        if truth.number in ported:
            assert truth.operator == ported[truth.number].to_operator != truth.prefix_operator
        if truth.near_of:
            a, b = truth.number, truth.near_of
            diff = [i for i in range(len(a)) if a[i] != b[i]]
            assert len(a) == len(b) and (len(diff) == 1 or (len(diff) == 2 and a[diff[0]] == b[diff[1]]))
    countries = set(w.case.manifest["countries"].values())
    if countries & {"BD", "TH"}:  # a country with number portability: at least two ported suspects' numbers
        assert len([t for t in w.key.phones if t.operator != t.prefix_operator]) >= 2


def test_scene_photos_carry_their_place_and_text() -> None:
    w = world("MN", "scam-compound-recruitment", 3)
    places = {p.place_id for p in w.case.places}
    scenes = [t for t in w.key.images if t.scene_place]
    texts = {t.image_id: t.lines for t in w.case.image_text}
    assert len(scenes) >= 3
    for truth in scenes:
        assert truth.scene_place in places and truth.exif == "stripped" and texts[truth.image_id]


@pytest.mark.parametrize(("country", "scenario"), COMBOS)
def test_every_world_is_safe(country: str, scenario: str) -> None:
    for seed in range(3):
        assert scan_bytes(world_files(world(country, scenario, seed))) == []


def test_worlds_are_safe_and_deterministic() -> None:
    a, b = generate_world("BD", "migrant-smuggling-social-media", 5, "tiny"), \
        generate_world("BD", "migrant-smuggling-social-media", 5, "tiny")
    files_a, files_b = dict(world_files(a)), dict(world_files(b))
    assert files_a == files_b
    assert scan_bytes(files_a.items()) == []
    assert any(name.startswith("case/exports/") for name in files_a)


def test_the_footprint_step_leaves_the_world_rng_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The new step draws only from its own streams: the main RNG ends where it would without it."""
    from synthetic_data.generator import footprint

    states = {}

    def spy(g):  # type: ignore[no-untyped-def]
        before = g.rng.getstate()
        real(g)
        states["same"] = g.rng.getstate() == before

    real = footprint.make_footprint
    monkeypatch.setattr(footprint, "make_footprint", spy)
    generate_world("MN", "dating-app-lure", 4, "tiny")
    assert states["same"]
    assert random.getstate() is not None  # the global RNG is never seeded by the generator
