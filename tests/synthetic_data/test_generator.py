"""The generator: determinism, divergence, the ground truth each scenario promises, and
the separation of what trainees see (case/) from the answer key (key/)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image as PILImage

from synthetic_data.bundle import World, load_case, load_key, world_files
from synthetic_data.country import load_country
from synthetic_data.generator import Gen, _content, choose_destination, generate_world, write_checked
from synthetic_data.generator.slots import resolvers
from synthetic_data.indicators import ALL_INDICATORS
from synthetic_data.scenario import KNOWN_SLOTS, list_scenarios, load_scenario

SCENARIOS = [s.id for s in list_scenarios()]


@pytest.fixture(scope="module")
def worlds() -> dict[str, World]:
    return {sid: generate_world("MN", sid, seed=8, size="small") for sid in SCENARIOS}


def _digest(world: World) -> dict[str, bytes]:
    return dict(world_files(world))


def test_same_inputs_give_byte_identical_worlds() -> None:
    a = _digest(generate_world("MN", "scam-compound-recruitment", seed=3, size="small"))
    b = _digest(generate_world("MN", "scam-compound-recruitment", seed=3, size="small"))
    assert a.keys() == b.keys()
    assert all(a[k] == b[k] for k in a)


def test_written_world_is_byte_identical(tmp_path: Path) -> None:
    for name in ("one", "two"):
        write_checked(generate_world("BD", "labour-debt-bondage", seed=5, size="small"), tmp_path / name)
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert files
    for rel in files:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel


def test_different_seeds_give_different_answers() -> None:
    a = generate_world("MN", "scam-compound-recruitment", seed=1, size="small")
    b = generate_world("MN", "scam-compound-recruitment", seed=2, size="small")
    suspects = lambda w: {p.name_latin for p in w.key.people if "recruiter" in p.roles}  # noqa: E731
    exploit_urls = lambda w: {t.url for t in w.key.pages if t.label == "exploitative"}  # noqa: E731
    assert suspects(a) != suspects(b)
    assert exploit_urls(a).isdisjoint(exploit_urls(b))


@pytest.mark.parametrize("sid", SCENARIOS)
def test_every_planted_cue_is_in_the_text_it_claims(worlds: dict[str, World], sid: str) -> None:
    world = worlds[sid]
    pages = world.case.page_by_id
    last_capture = {c.url: c for c in sorted(world.case.archive, key=lambda c: c.captured) if c.http_status == 200}
    planted = 0
    for truth in world.key.pages:
        page = pages.get(truth.page_id)
        text = page.text if page else last_capture[truth.url].text
        title = page.title if page else last_capture[truth.url].title
        for cue in truth.cues:
            assert cue.indicator in ALL_INDICATORS
            assert cue.field in ("text", "title")
            where = title if cue.field == "title" else text
            assert where[cue.start : cue.end] == cue.text, (sid, truth.page_id, cue)
            planted += 1
    messages = {m.message_id: m for m in world.case.messages}
    for truth in world.key.messages:
        for cue in truth.cues:
            assert messages[truth.message_id].text[cue.start : cue.end] == cue.text
            planted += 1
    assert planted >= 20


@pytest.mark.parametrize("sid", SCENARIOS)
def test_labels_follow_their_promise(worlds: dict[str, World], sid: str) -> None:
    """Exploitative ads carry several red flags, near misses exactly one, legitimate none."""
    world = worlds[sid]
    by_label: dict[str, list] = {}
    for truth in world.key.pages:
        by_label.setdefault(truth.label, []).append(truth)
    assert by_label["legitimate"] and by_label["near_miss"]
    assert all(len(t.cues) == 0 for t in by_label["legitimate"])
    assert all(len(t.cues) == 1 for t in by_label["near_miss"])
    illicit = by_label.get("exploitative", []) + by_label.get("smuggling", [])
    ads = [t for t in illicit if (p := world.case.page_by_id.get(t.page_id)) is None or p.kind in ("job_ad", "listing")]
    assert ads and all(len(t.cues) >= 2 for t in ads)


@pytest.mark.parametrize("sid", SCENARIOS)
def test_typologies_and_their_transactions_exist(worlds: dict[str, World], sid: str) -> None:
    world = worlds[sid]
    txs = {t.tx_id: t for t in world.case.transactions}
    fins = {f.fin_id for f in world.case.fin_accounts}
    assert world.key.typologies
    for attempt in world.key.typologies:
        assert attempt.tx_ids and all(t in txs for t in attempt.tx_ids)
        for tx_id in attempt.tx_ids:
            assert txs[tx_id].sender in fins and txs[tx_id].receiver in fins
            assert txs[tx_id].sender in attempt.accounts or txs[tx_id].receiver in attempt.accounts
    illicit = sum(len(a.tx_ids) for a in world.key.typologies)
    assert illicit / len(txs) < 0.05
    declared = {m["typology"] for m in next(s for s in list_scenarios() if s.id == sid).data["money"]}
    assert {a.typology for a in world.key.typologies} == declared


@pytest.mark.parametrize("sid", SCENARIOS)
def test_archive_recovers_every_deleted_and_edited_page(worlds: dict[str, World], sid: str) -> None:
    world = worlds[sid]
    live = world.case.page_by_url
    captures: dict[str, list] = {}
    for capture in world.case.archive:
        captures.setdefault(capture.url, []).append(capture)
    history = [t for t in world.key.pages if t.history]
    assert history, "each scenario edits or deletes some of its pages"
    for truth in history:
        seen = sorted(captures[truth.url], key=lambda c: c.captured)
        if truth.history == "deleted":
            assert truth.url not in live
            assert seen[0].http_status == 200 and seen[-1].http_status == 404
        else:
            assert truth.changes and truth.changes[0] in seen[0].text
            assert truth.changes[0] not in live[truth.url].text


def test_people_are_adults_and_namesakes_share_a_suspects_name(worlds: dict[str, World]) -> None:
    for world in worlds.values():
        start_year = int(world.key.truth["storyline_start"][:4])
        assert all(start_year - p.birth_year >= 18 for p in world.key.people)
        people = {p.person_id: p for p in world.key.people}
        namesakes = [p for p in world.key.people if p.namesake_of]
        assert namesakes
        for n in namesakes:
            assert n.name_latin == people[n.namesake_of].name_latin and n.person_id != n.namesake_of
            assert set(n.accounts).isdisjoint(people[n.namesake_of].accounts)


def test_images_decode_and_gps_points_at_a_public_place(worlds: dict[str, World]) -> None:
    world = worlds["scam-compound-recruitment"]
    places = {p.place_id: p for p in world.case.places}
    truths = {t.image_id: t for t in world.key.images}
    with_gps = 0
    for image in world.case.images:
        img = PILImage.open(io.BytesIO(world.case.image_bytes[image.image_id]))
        assert img.format == "JPEG" and img.size == (image.width, image.height)
        gps = img.getexif().get_ifd(0x8825)
        truth = truths[image.image_id]
        if truth.exif == "full":
            lat = sum(float(v) / 60**i for i, v in enumerate(gps[2])) * (1 if gps[1] == "N" else -1)
            place = places[truth.place_id]
            assert abs(lat - place.lat) < 0.001
            with_gps += 1
        elif truth.exif == "stripped":
            assert not img.getexif()
    assert with_gps > 0
    reposts = [t for t in truths.values() if t.source]
    assert reposts and all(t.source in truths for t in reposts)


def test_case_reveals_nothing_of_the_key(tmp_path: Path) -> None:
    world = generate_world("MN", "scam-compound-recruitment", seed=11, size="small")
    write_checked(world, tmp_path / "w")
    case_text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "w" / "case").glob("*.json*"))
    manifest = json.loads((tmp_path / "w" / "case" / "manifest.json").read_text())
    assert "seed" not in json.dumps(manifest)
    for word in ("recruiter", "victim", "exploitative", "near_miss", "namesake", "typology", "fan_in"):
        assert f'"{word}"' not in case_text, word
    for person in world.key.people:
        assert person.person_id not in case_text
    for attempt in world.key.typologies:
        assert attempt.attempt_id not in case_text
    # Record order must not put the storyline first.
    pages = load_case(tmp_path / "w").pages
    assert [p.published for p in pages] == sorted(p.published for p in pages)
    key = load_key(tmp_path / "w")
    assert key.truth["seed"] == 11 and len(key.people) == len(world.key.people)


def test_sizes_scale() -> None:
    small = generate_world("MN", "scam-compound-recruitment", seed=1, size="small").case.manifest["counts"]
    medium = generate_world("MN", "scam-compound-recruitment", seed=1, size="medium").case.manifest["counts"]
    assert 1_300 <= small["pages"] <= 1_700
    assert 9_000 <= medium["pages"] <= 11_000
    assert medium["images"] >= 180 and 1_200 <= medium["accounts"] <= 2_000
    assert 4_500 <= medium["transactions"] <= 5_500


def test_every_known_slot_has_a_resolver_and_back() -> None:
    """The scenario validator's slot list and the generator's resolvers are the same set."""
    scenario = load_scenario("scam-compound-recruitment")
    origin = load_country("MN")
    g = Gen(origin, choose_destination(origin, scenario), scenario, 1, "small", _content())
    assert set(resolvers(g)) == set(KNOWN_SLOTS)


def test_some_pages_are_documents_for_filetype_searches(worlds: dict[str, World]) -> None:
    pages = worlds["scam-compound-recruitment"].case.pages
    types = {p.filetype for p in pages}
    assert {"html", "pdf"} <= types
    assert all(p.url.endswith(f".{p.filetype}") for p in pages if p.filetype != "html")


def test_every_transfer_stays_on_one_rail_and_cash_out_lands_abroad(worlds: dict[str, World]) -> None:
    for world in worlds.values():
        fins = {f.fin_id: f for f in world.case.fin_accounts}
        for tx in world.case.transactions:
            sender, receiver = fins[tx.sender], fins[tx.receiver]
            assert (tx.currency == "BTC") == (sender.rail == "crypto") == (receiver.rail == "crypto"), tx
        for attempt in world.key.typologies:
            if attempt.typology == "crypto_cashout":
                payout = fins[attempt.cash_out]
                assert payout.rail == "bank" and payout.country == world.case.manifest["countries"]["destination"]


def test_a_world_is_the_same_in_every_process() -> None:
    """Same country, scenario and seed: the same bytes whatever Python's string-hash seed, so a
    trainee's case made at release and again at grading (another process) agree. Iterating a set of
    strings once made a tracked page's phone change form between processes."""
    import os
    import subprocess
    import sys

    specs = ["MN:scam-compound-recruitment:3", "TH:scam-compound-recruitment:3", "BD:labour-debt-bondage:4",
             "PK:migrant-smuggling-social-media:5", "KH:dating-app-lure:6"]
    code = ("import hashlib, sys\n"
            "from synthetic_data.bundle import world_files\n"
            "from synthetic_data.generator import generate_world\n"
            "for spec in sys.argv[1:]:\n"
            "    country, scenario, seed = spec.split(':')\n"
            "    h = hashlib.sha256()\n"
            "    for rel, data in world_files(generate_world(country, scenario, int(seed), 'small')):\n"
            "        h.update(rel.encode()); h.update(data)\n"
            "    print(spec, h.hexdigest())\n")
    runs = [subprocess.run([sys.executable, "-c", code, *specs], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(hash_seed)}, cwd=Path(__file__).parents[2]).stdout
            for hash_seed in (1, 2)]
    assert runs[0] == runs[1]
    assert len(runs[0].splitlines()) == len(specs)  # one digest per world
