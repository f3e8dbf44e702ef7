"""Footprint tools over generated worlds: the registry's detection contract and self-check,
logged-out profiles, phone and e-mail pivots, the activity log and the persona's loud actions,
exports, times and places."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest

from osintlab.errors import UserError
from sandbox import open_case
from sandbox.clock import to_utc
from sandbox.footprint import FOUND, MISSING, UNKNOWN, canonical_email
from synthetic_data.bundle import load_key
from synthetic_data.generator import generate_world, write_checked
from synthetic_data.generator.phones import raw_forms

WORLDS = [("MN", "scam-compound-recruitment", 11), ("BD", "migrant-smuggling-social-media", 12)]


@pytest.fixture(scope="module", params=WORLDS, ids=lambda w: w[0])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    country, scenario, seed = request.param
    out = tmp_path_factory.mktemp(country) / "w"
    write_checked(generate_world(country, scenario, seed, "small"), out)
    return out


def test_registry_contract_known_found_random_missing_walls_unknown(world: Path) -> None:
    """G-W2-1: every `known` name found, no false positive on 1,000 random names per normal site,
    and every check behind a bot wall reported unknown (never "not found")."""
    sb = open_case(world)
    fp = sb.footprint
    servers = {s.site_id: s.answer for s in sb.case.servers}
    rng = random.Random(1)
    randoms = ["".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(rng.randint(6, 14)))
               for _ in range(1000)]
    taken = {a.username.casefold() for a in sb.case.accounts}
    randoms = [r for r in randoms if r not in taken]
    for site in sb.case.sites:
        known = {fp.check(site.site_id, name)["verdict"] for name in site.known}
        answers = {fp._serve(site, name, checker=True).status for name in randoms[:50]}
        from sandbox.footprint import verdict

        verdicts = {verdict(site, fp._serve(site, name, checker=True)) for name in randoms}
        if servers[site.site_id] == "normal":
            assert known == {FOUND} and verdicts == {MISSING}, site.site_id
        elif servers[site.site_id] == "bot_wall":
            assert known == verdicts == {UNKNOWN} and answers == {403}
        elif servers[site.site_id] == "search_page":
            assert verdicts == {FOUND}  # the false positive the registry's users complain about
        else:  # redesigned: existing accounts are still found, missing names are unknown
            assert known == {FOUND} and verdicts == {UNKNOWN}


def test_self_check_names_every_misbehaving_site(world: Path) -> None:
    sb = open_case(world)
    table = sb.footprint.self_check()
    expected = {"normal": "ok", "bot_wall": "blocked", "search_page": "false positives", "redesigned": "out of date"}
    servers = {s.site_id: s.answer for s in sb.case.servers}
    assert dict(zip(table.site, table.verdict, strict=True)) == {k: expected[v] for k, v in servers.items()}
    assert len(sb.case.sites) >= 40


def test_sweep_finds_the_seed_and_reports_walls_as_unknown(world: Path) -> None:
    sb = open_case(world)
    truth = load_key(world).footprints[0]
    table = sb.footprint.sweep(truth.seed_handle, permute=True)
    seed = sb.case.account_by_id[truth.seed_account]
    assert ((table.url == seed.url) & (table.verdict == FOUND)).any()
    walled = {s.site_id for s in sb.case.servers if s.answer == "bot_wall"}
    assert set(table[table.site.isin(walled)].verdict) == {UNKNOWN}
    assert set(sb.footprint.permute("gold_road")) == {"gold_road", "gold.road", "gold-road", "goldroad"}


def test_profiles_logged_out_behind_walls_and_search_pages(world: Path) -> None:
    sb = open_case(world)
    servers = {s.site_id: s.answer for s in sb.case.servers}
    walled_account = next((a for a in sb.case.accounts if servers.get(a.platform_id) == "bot_wall"), None)
    assert walled_account is not None  # every site has its known accounts
    assert sb.footprint.profile(walled_account.url).account.account_id == walled_account.account_id
    search = next(s for s in sb.case.sites if servers[s.site_id] == "search_page")
    with pytest.raises(UserError, match="no profile"):
        sb.footprint.profile(search.uri_check.replace("{account}", "nobody_here_123"))
    assert not any(e["loud"] for e in sb.activity.entries())


def test_phone_forms_normalise_to_e164(world: Path) -> None:
    sb = open_case(world)
    person = next(p for p in load_key(world).people if "recruiter" in p.roles)
    number = person.phones[0]
    from synthetic_data.country import load_country

    pack = load_country(person.country)
    for form, raw in raw_forms(pack, number).items():
        if form == "00" and pack.code != "BD":
            continue  # "00" is the international prefix only where the caller dials it so
        assert sb.footprint.normalise_phone(raw, pack.code) == number, (form, raw)
    with pytest.raises(UserError, match="no country code"):
        sb.footprint.normalise_phone(pack.format_local(number))
    report = sb.footprint.phone(number)
    assert report.e164 == number and report.prefix_operator and report.valid is False


def test_portability_database_names_the_current_operator(world: Path) -> None:
    sb = open_case(world)
    if not sb.case.ported:
        pytest.skip("no country of this world ports numbers")
    record = sb.case.ported[0]
    answer = sb.footprint.mnp(record.number)
    assert answer["ported"] and answer["operator"] == record.to_operator
    assert record.to_operator != sb.footprint.phone(record.number).prefix_operator


def test_canonical_email_follows_each_providers_rules() -> None:
    assert canonical_email(" Gold.Road+jobs@MailBox.example ") == "goldroad@mailbox.example"
    assert canonical_email("Gold.Road+jobs@inbox.example") == "gold.road@inbox.example"
    assert canonical_email("Gold.Road+jobs@post.test") == "gold.road+jobs@post.test"
    with pytest.raises(UserError):
        canonical_email("not an address")


def test_persona_actions_are_loud_and_the_log_is_shared(world: Path) -> None:
    a, b = open_case(world), open_case(world)
    truth = load_key(world).footprints[0]
    seed = a.case.account_by_id[truth.seed_account]
    before = len(a.activity.loud())
    b.persona.follow(seed.url)
    group = next(p for p in b.case.pages if p.kind == "group")
    posts = b.persona.join_group(group.url)
    assert posts and all(p["text"] for p in posts)
    assert b.persona.reset_password(truth.email, seed.platform_id) is True
    loud = a.activity.loud()[before:]
    assert [e["action"] for e in loud] == ["follow", "join_group", "reset_password"]


def test_logged_in_view_notifies_only_where_the_site_says(world: Path) -> None:
    sb = open_case(world)
    hidden = next(r for r in sb.case.restricted if r.kind == "contact")
    account = sb.case.account_by_id[hidden.target]
    before = len(sb.activity.loud())
    view = sb.persona.view(account.url)
    assert view.hidden == {k: str(v) for k, v in hidden.data.items()}
    assert sb.footprint.members_only(account.url)
    from synthetic_data.footprint_data import site_options

    notifies = bool(site_options(account.platform_id).get("notifies_viewers"))
    assert view.notified == notifies and len(sb.activity.loud()) == before + notifies


def test_exports_keep_times_as_shown_and_clock_converts_them(world: Path) -> None:
    sb = open_case(world)
    events = load_key(world).events
    chat = next(e for e in events if e.source_kind == "chat")
    export_id, line = chat.source_ref.split(":")
    rows = sb.exports.lines(export_id)
    shown = rows[rows.line == int(line)].shown.iloc[0]
    assert shown == chat.shown and to_utc(shown, chat.zone) == chat.utc
    assert "Provided by" in str(sb.exports.read(export_id))


def test_clock_and_places() -> None:
    assert to_utc("2025:03:04 21:40:12 +08:00") == "2025-03-04T13:40:12Z"
    assert to_utc("2025:03:04 21:40:12 +08:00", "Asia/Dhaka") == "2025-03-04T13:40:12Z"  # stated wins
    assert to_utc("04/03/2025, 21:40:12", "Asia/Dhaka") == "2025-03-04T15:40:12Z"
    assert to_utc("04 Mar 2025 23:50", "+07:00") == "2025-03-04T16:50:00Z"
    with pytest.raises(UserError, match="does not say its time zone"):
        to_utc("04/03/2025, 21:40:12")
    with pytest.raises(UserError):
        to_utc("yesterday", "UTC")


def test_gazetteer_zone_at_a_position(world: Path) -> None:
    sb = open_case(world)
    place = sb.case.places[-1]
    assert sb.places.zone_at(place.lat + 0.01, place.lon) == sb.case.manifest["timezones"][place.country]
    assert len(sb.places.places(kind="airport")) >= 2
