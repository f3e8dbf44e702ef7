"""Generate a case world from a country pack, a scenario and a seed.

    world = generate_world(country="MN", scenario="scam-compound-recruitment", seed=1, size="medium")
    write_checked(world, out)   # refuses to write a world with any unsafe identifier

`generate_world` refuses a world that contradicts itself (synthetic_data/consistency.py): a bug
in the generator or a content bank, never a world handed to trainees.

Steps run in a fixed order on one seeded RNG, so the same inputs (and package version)
give a byte-identical world.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from osintlab import __version__
from osintlab.errors import UserError
from synthetic_data.bundle import World, world_files, write_world
from synthetic_data.consistency import format_violations, violations
from synthetic_data.country import CountryPack, load_country
from synthetic_data.generator import cast, chats, footprint, language, money, pages, w3
from synthetic_data.generator.context import SIZES, Gen, iso
from synthetic_data.model import FORMAT_VERSION, Page, PageTruth, Place
from synthetic_data.safety import format_findings, scan_bytes
from synthetic_data.scenario import CONTENT_DIR, Scenario, background, load_scenario, read_yaml

__all__ = ["SIZES", "Gen", "InconsistentWorldError", "UnsafeWorldError", "generate_world", "write_checked"]


class UnsafeWorldError(UserError):
    """Generation produced an identifier that is not on a safe list: a bug, never written."""

    exit_code = 1


class InconsistentWorldError(UserError):
    """Generation produced a world that contradicts itself (consistency.py): a bug, never used."""

    exit_code = 1


@cache
def _content() -> dict[str, Any]:
    return {"background": background(), "platforms": read_yaml(CONTENT_DIR / "platforms.yml")}


def choose_destination(origin: CountryPack, scenario: Scenario) -> CountryPack:
    for code in scenario.data["destinations"]:
        if code != origin.code:
            try:
                return load_country(code)
            except UserError:
                continue
    raise UserError(
        f"scenario {scenario.id!r} has no destination country other than {origin.code} with a country pack "
        f"(it lists {', '.join(scenario.data['destinations'])}); add a pack or choose another --country."
    )


def generate_world(
    country: str = "MN", scenario: str = "scam-compound-recruitment", seed: int = 1, size: str = "small"
) -> World:
    if size not in SIZES:
        raise UserError(f"unknown --size {size!r}; choose one of: {', '.join(SIZES)}.")
    origin = load_country(country)
    story = load_scenario(scenario)
    dest = choose_destination(origin, story)
    # Each country's numbers must not read as the other's when written without a country code.
    g = Gen(origin.with_readers(dest), dest.with_readers(origin), story, seed, size, _content())
    _places(g)
    cast.make_platforms(g)
    cast.make_cast(g)
    cast.make_orgs(g)
    cast.make_accounts(g)
    pages.make_storyline(g)
    pages.make_repost_pages(g)
    chats.make_threads(g)
    pages.make_registry_and_whois(g)
    pages.make_profiles(g)
    pages.make_background(g)
    pages.make_archive_captures(g)
    money.open_accounts(g)
    money.inject_typologies(g)
    money.background_transactions(g)
    w3.add_layer(g)  # Workshop 3: network roles, money trails, UTXO ledger, dark web (own RNG streams)
    footprint.make_footprint(g)  # Workshop 2 material, on its own random streams
    language.localise(g)  # last: rewrites a share of pages and chats on its own RNG
    _finish(g)
    world = World(case=g.case, key=g.key)
    problems = violations(world)
    if problems:
        raise InconsistentWorldError(
            f"the {country} {scenario} world of seed {seed} ({size}) contradicts itself in {len(problems)} "
            f"way(s), a bug in the generator or a content bank; report it with these lines:\n"
            f"{format_violations(problems)}"
        )
    return world


def _places(g: Gen) -> None:
    for pack in (g.origin, g.dest):
        for place in pack.places:
            record = Place(g.new_id("pl"), place.name, place.kind, place.city, pack.code, place.lat, place.lon)
            g.place_ids[(pack.code, place.name)] = record.place_id
            g.case.places.append(record)


def _finish(g: Gen) -> None:
    """Drop deleted pages from the live web, order records so order reveals nothing, describe."""
    case, key = g.case, g.key
    case.pages = sorted((p for p in case.pages if p.status != "deleted"), key=lambda p: (p.published, p.page_id))
    case.accounts.sort(key=lambda a: a.account_id)
    case.images.sort(key=lambda i: i.image_id)
    case.fin_accounts.sort(key=lambda f: f.fin_id)
    case.archive.sort(key=lambda c: (c.url, c.captured, c.capture_id))
    case.messages.sort(key=lambda m: (m.thread_id, m.sent, m.message_id))
    key.network = _network(g)
    case.manifest = _manifest(g)
    key.truth = _truth(g)


def _network(g: Gen) -> nx.Graph:
    graph = nx.Graph()
    for person in g.key.people:
        if set(person.roles) & {"bystander", "namesake"}:
            continue
        graph.add_node(person.person_id, kind="person", name=person.name_latin, roles=",".join(person.roles))
    for org in g.key.orgs:
        if not org.legitimate:
            graph.add_node(org.org_id, kind="org", name=org.name, roles=org.kind)
            for person_id in org.people:
                graph.add_edge(person_id, org.org_id, relation="runs")
    for victim_id, recruiter in g.assigned_recruiter.items():
        graph.add_edge(recruiter.person_id, victim_id, relation="recruited")
        if victim_id in g.family_of:
            graph.add_edge(victim_id, g.family_of[victim_id].person_id, relation="family")
    ties = (
        ("recruiter", "broker", "supplies"),
        ("broker", "driver", "coordinates"),
        ("recruiter", "mule", "uses_account"),
        ("mule", "financier", "pays"),
        ("forger", "recruiter", "documents"),
    )
    for a_role, b_role, relation in ties:
        for a in g.people(a_role):
            for b in g.people(b_role):
                if a is not b and (len(g.people(b_role)) <= 2 or g.chance(0.6)):
                    graph.add_edge(a.person_id, b.person_id, relation=relation)
    return graph


def _dates(g: Gen) -> tuple[str, str]:
    times = [p.published for p in g.case.pages] + [m.sent for m in g.case.messages]
    return min(times), max(times)


def _manifest(g: Gen) -> dict[str, Any]:
    case = g.case
    first, last = _dates(g)
    brief = g.scenario.brief.format(origin_country=g.origin.name, dest_country=g.dest.name)
    return {
        "format_version": FORMAT_VERSION,
        "generator": f"osintlab {__version__}",
        "countries": {"origin": g.origin.code, "destination": g.dest.code},
        "timezones": {g.origin.code: g.origin.timezone, g.dest.code: g.dest.timezone},
        "scenario": {"id": g.scenario.id, "title": g.scenario.title, "kind": g.scenario.kind, "brief": brief},
        "size": g.size_name,
        "period": {"first": first, "last": last},
        "counts": {
            "platforms": len(case.platforms),
            "accounts": len(case.accounts),
            "pages": len(case.pages),
            "archive_captures": len(case.archive),
            "messages": len(case.messages),
            "images": len(case.images),
            "fin_accounts": len(case.fin_accounts),
            "transactions": len(case.transactions),
            "places": len(case.places),
            "ledger_transactions": len(case.ledger),
            "darkweb_pages": len(case.darkweb),
            "sites": len(case.sites),
            "exports": len(case.exports),
        },
        "platforms": [{"name": p.name, "kind": p.kind, "domain": p.domain} for p in case.platforms],
    }


def _truth(g: Gen) -> dict[str, Any]:
    key = g.key
    by_label: dict[str, int] = {}
    for truth in key.pages:
        by_label[truth.label] = by_label.get(truth.label, 0) + 1
    suspects = [p.person_id for p in key.people if set(p.roles) & set(cast.SUSPECT_ROLES)]
    return {
        "seed": g.seed,
        "scenario": g.scenario.id,
        "countries": {"origin": g.origin.code, "destination": g.dest.code},
        "size": g.size_name,
        "generator": f"osintlab {__version__}",
        "storyline_start": iso(g.start),
        "storyline_end": iso(g.end),
        "suspects": suspects,
        "victims": [p.person_id for p in g.people("victim")],
        "namesakes": [p.person_id for p in key.people if p.namesake_of],
        "legitimate_orgs": [o.org_id for o in key.orgs if o.legitimate],
        "pages_by_label": dict(sorted(by_label.items())),
        "typologies": sorted({t.typology for t in key.typologies}),
        "illicit_transactions": sum(len(t.tx_ids) for t in key.typologies),
    }


def write_checked(world: World, out: Path, *, force: bool = False) -> Path:
    """Scan every file of the world for unsafe identifiers; write it only if there are none."""
    findings = scan_bytes(world_files(world))
    if findings:
        raise UnsafeWorldError(
            f"refusing to write {out}: {len(findings)} unsafe identifier(s) generated "
            f"(a bug in a country pack or scenario):\n{format_findings(findings)}"
        )
    return write_world(world, out, force=force)


def storyline_pages(world: World) -> list[tuple[Page | None, PageTruth]]:
    """Each storyline page with its truth (the page is None when it was deleted)."""
    by_id = world.case.page_by_id
    return [(by_id.get(t.page_id), t) for t in world.key.pages]
