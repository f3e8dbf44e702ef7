"""The tools against generated worlds, checked with the key: every repost found, every deleted page recovered."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox import Sandbox, open_case
from synthetic_data.bundle import Key, load_key, write_world
from synthetic_data.generator import generate_world

WORLDS = [
    ("MN", "scam-compound-recruitment", 1, "tiny"),
    pytest.param(("MN", "scam-compound-recruitment", 1, "small"), marks=pytest.mark.slow),
    pytest.param(("MN", "dating-app-lure", 2, "small"), marks=pytest.mark.slow),
]


@pytest.fixture(scope="module", params=WORLDS, ids=lambda p: "-".join(map(str, p)))
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Sandbox, Key]:
    country, scenario, seed, size = request.param
    out = write_world(generate_world(country, scenario, seed, size), tmp_path_factory.mktemp("gen") / "w")
    return open_case(out, workdir=tmp_path_factory.mktemp("work"), analyst="Trainee 1"), load_key(out)


def test_reverse_search_finds_every_repost_of_its_source(world: tuple[Sandbox, Key]) -> None:
    sb, key = world
    reposts = [t for t in key.images if t.source]
    assert reposts, "the world should hold reposts"
    for truth in reposts:
        from_source = set(sb.images.reverse_search(truth.source)["image_id"])
        assert truth.image_id in from_source, (truth.image_id, truth.transform)
        assert truth.source in set(sb.images.reverse_search(truth.image_id)["image_id"]), truth.transform


def test_exif_matches_the_truth(world: tuple[Sandbox, Key]) -> None:
    sb, key = world
    table = sb.images.exif_table().set_index("image_id")
    places = {p.place_id: p for p in sb.case.places}
    for truth in key.images:
        row = table.loc[truth.image_id]
        assert bool(row["stripped"]) == (truth.exif == "stripped"), truth.image_id
        if truth.exif == "full" and truth.place_id:
            place = places[truth.place_id]
            assert row["gps_lat"] == pytest.approx(place.lat, abs=1e-3)
            assert row["gps_lon"] == pytest.approx(place.lon, abs=1e-3)


def test_archive_recovers_every_deleted_page(world: tuple[Sandbox, Key]) -> None:
    sb, key = world
    deleted = [t for t in key.pages if t.history == "deleted"]
    assert deleted
    for truth in deleted:
        assert truth.url not in {p.url for p in sb.case.pages if p.status == "live"}
        capture = sb.archive.recover(truth.url)
        assert capture.http_status == 200 and capture.text
        for cue in truth.cues:  # a cue sits in the text or, for some lure ads, the title
            assert cue.text in getattr(capture, cue.field), cue.indicator


def test_archive_shows_what_edits_removed(world: tuple[Sandbox, Key]) -> None:
    sb, key = world
    for truth in (t for t in key.pages if t.history == "edited"):
        first = sb.archive.captures(truth.url).iloc[0]["capture_id"]
        diff = sb.archive.diff(first)
        for removed in truth.changes:
            assert removed in diff, removed


def test_username_sweep_finds_every_account_of_a_person(world: tuple[Sandbox, Key]) -> None:
    sb, key = world
    accounts = sb.case.account_by_id
    for person in [p for p in key.people if len(p.accounts) > 1][:15]:
        for account_id in person.accounts:
            account = accounts[account_id]
            table = sb.lookup.username(account.username)
            assert account_id in set(table[table["found"]]["account_id"])


def test_reverse_phone_finds_accounts_listing_it(world: tuple[Sandbox, Key]) -> None:
    sb, _ = world
    listed = [a for a in sb.case.accounts if a.phone]
    for account in listed[:20]:
        assert account.account_id in set(sb.lookup.by_phone(account.phone)["account_id"])


def test_capture_and_package_on_generated_world(world: tuple[Sandbox, Key], tmp_path: Path) -> None:
    from sandbox.evidence import verify_package

    sb, key = world
    deleted = next(t for t in key.pages if t.history == "deleted")
    sb.capture(deleted.url, "deleted ad recovered from the archive")
    sb.capture(sb.case.images[0].image_id, "photo")
    assert verify_package(sb.evidence.export_package(tmp_path / "p.zip")).ok
