"""What each template slot means in a world. A slot is computed on first use per text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from synthetic_data.country import CountryPack
from synthetic_data.generator.context import Gen, Slots
from synthetic_data.model import Organisation, Person

RELATIONS = ("sister", "brother", "daughter", "son", "cousin", "niece", "nephew", "wife", "husband")


@dataclass
class Ctx:
    """Who a text is by and about."""

    author: Person | None = None
    org: Organisation | None = None
    victim: Person | None = None
    recruiter: Person | None = None
    display: str | None = None  # the name shown on the posting account (a shop, a front company's page)


def money(n: float) -> str:
    return f"{round(n):,}"


def _pack_of(g: Gen, person: Person | None) -> CountryPack:
    return g.dest if person is not None and person.country == g.dest.code else g.origin


def _first_latin(person: Person | None) -> str:
    return person.name_latin.split()[0] if person else "A."


def _org(g: Gen, ctx: Ctx, group: str) -> Organisation | None:
    if ctx.org is not None and (group == "any" or ctx.org in g.orgs_by_group.get(group, [])):
        return ctx.org
    orgs = g.orgs_by_group.get(group) or [o for grp in g.orgs_by_group.values() for o in grp]
    return g.pick(orgs) if orgs else None


def _mule_phone(g: Gen) -> str:
    mules = g.people("mule")
    return g.pick(mules).phones[0] if mules else g.origin.mobile_number(g.rng)


def _date(g: Gen) -> str:
    moment = g.moment()
    return f"{moment.day} {moment:%B}"


def resolvers(g: Gen) -> dict[str, Callable[[Ctx], str]]:
    """Slot name -> function of the text's context. Built once per world."""
    o, d, rng = g.origin, g.dest, g.rng
    data = g.scenario.data
    platform_name = {kind: p.name for kind, p in g.platforms.items()}
    agency = lambda ctx: _org(g, ctx, "agencies") or _org(g, ctx, "any")  # noqa: E731
    pack = lambda ctx: _pack_of(g, ctx.author)  # noqa: E731
    return {
        "job": lambda ctx: g.pick(data["jobs"]),
        "salary_usd": lambda ctx: money(rng.randint(*data["salary_usd"]) // 100 * 100),
        "salary_local": lambda ctx: money(rng.uniform(1.0, 1.6) * rng.randint(*d.monthly_wage) // 100 * 100),
        "currency": lambda ctx: pack(ctx).currency,
        "dest_currency": lambda ctx: d.currency,
        "dest_country": lambda ctx: d.name,
        "dest_city": lambda ctx: g.pick(d.cities).name,
        "dest_place": lambda ctx: g.pick(d.places).name,
        "dest_country_tag": lambda ctx: d.name.lower().replace(" ", ""),
        "origin_country": lambda ctx: o.name,
        "origin_city": lambda ctx: g.pick(o.cities).name,
        "origin_place": lambda ctx: g.pick(o.places).name,
        "company": lambda ctx: (_org(g, ctx, "legitimate") or _org(g, ctx, "any")).name,  # type: ignore[union-attr]
        "registration": lambda ctx: _org(g, ctx, "any").registration or "",  # type: ignore[union-attr]
        "licence": lambda ctx: ctx.org.licence if ctx.org and ctx.org.licence else (agency(ctx).licence or ""),  # type: ignore[union-attr]
        "agency": lambda ctx: agency(ctx).name,  # type: ignore[union-attr]
        "agency_brand": lambda ctx: (_org(g, ctx, "front") or _org(g, ctx, "any")).name,  # type: ignore[union-attr]
        "licensing_body": lambda ctx: f"the Ministry of Labour of {o.name}",
        "phone": lambda ctx: ctx.author.phones[-1] if ctx.author else o.mobile_number(rng),
        "phone_local": lambda ctx: pack(ctx).format_local(ctx.author.phones[0] if ctx.author else o.mobile_number(rng)),
        "messenger": lambda ctx: platform_name["messenger"],
        "messenger_handle": lambda ctx: (
            "@" + g.messenger_handle.get(ctx.author.person_id, "support") if ctx.author else "@support"
        ),
        "email": lambda ctx: (
            f"hr@{ctx.org.domain}"
            if ctx.org and ctx.org.domain
            else (ctx.author.emails[0] if ctx.author else "info@example.org")
        ),
        "website": lambda ctx: f"https://{ctx.org.domain}" if ctx.org and ctx.org.domain else "https://jobs.example.org",
        "name": lambda ctx: ctx.display or (ctx.author.name if ctx.author else ""),
        "victim_first": lambda ctx: _first_latin(ctx.victim),
        "recruiter_first": lambda ctx: _first_latin(ctx.recruiter),
        "recruiter_handle": lambda ctx: "@" + _social_handle(g, ctx.recruiter),
        "relation": lambda ctx: g.pick(RELATIONS),
        "month": lambda ctx: f"{g.moment():%B}",
        "date": lambda ctx: _date(g),
        "count": lambda ctx: str(rng.randint(3, 12)),
        "hours": lambda ctx: str(rng.randint(15, 18)),
        "debt_usd": lambda ctx: money(rng.randint(15, 60) * 100),
        "fee_local": lambda ctx: money(rng.randint(8, 30) * 100 * pack(ctx).usd_rate // 1000 * 1000),
        "years": lambda ctx: str(rng.randint(2, 6)),
        "wallet": lambda ctx: g.pick(o.wallets),
        "mule_phone": lambda ctx: _mule_phone(g),
        "jobs_platform": lambda ctx: platform_name["jobs"],
        "dating_platform": lambda ctx: platform_name["dating"],
        "route": lambda ctx: f"{g.pick(o.cities).name} - {g.pick(d.places).name} - {g.pick(d.cities).name}",
        "price_usd": lambda ctx: money(rng.randint(8, 40) * 100),
        "price_air_usd": lambda ctx: money(rng.randint(45, 90) * 100),
        "deposit_usd": lambda ctx: money(rng.randint(3, 12) * 100),
        "days": lambda ctx: str(rng.randint(5, 20)),
        "place": lambda ctx: g.pick(o.places).name,
        "city": lambda ctx: ctx.author.city if ctx.author else g.pick(o.cities).name,
        "city_tag": lambda ctx: (ctx.author.city if ctx.author else o.cities[0].name).lower().replace(" ", ""),
        "topic": lambda ctx: g.pick(g.content["background"]["topics"]),
        "item": lambda ctx: g.pick(g.content["background"]["items"]),
        "price_local": lambda ctx: money(rng.randint(2, 80) * pack(ctx).usd_rate * 5 // 100 * 100),
        "local_job": lambda ctx: g.pick(pack(ctx).local_jobs),
        "wage_local": lambda ctx: money(rng.randint(*pack(ctx).monthly_wage) // 1000 * 1000),
    }


def _social_handle(g: Gen, person: Person | None) -> str:
    account = g.account(person, "social") if person else None
    return account.username if account else "recruiter"


def make_slots(g: Gen, ctx: Ctx) -> Slots:
    table = g.slot_table
    if table is None:
        table = g.slot_table = resolvers(g)
    return Slots(lambda name: table[name](ctx))


def later(g: Gen, moment: datetime, lo_hours: float, hi_hours: float) -> datetime:
    return moment + timedelta(hours=g.rng.uniform(lo_hours, hi_hours))
