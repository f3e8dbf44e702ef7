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
    handle: str | None = None  # the author's public username on the platform


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


def resolvers(g: Gen, ctx: Ctx) -> dict[str, Callable[[], str]]:
    o, d, rng = g.origin, g.dest, g.rng
    data = g.scenario.data
    author_pack = _pack_of(g, ctx.author)
    platform_name = {kind: p.name for kind, p in g.platforms.items()}
    agency = lambda: _org(g, ctx, "agencies") or _org(g, ctx, "any")  # noqa: E731
    return {
        "job": lambda: g.pick(data["jobs"]),
        "salary_usd": lambda: money(rng.randint(*data["salary_usd"]) // 100 * 100),
        "salary_local": lambda: money(rng.uniform(1.0, 1.6) * rng.randint(*d.monthly_wage) // 100 * 100),
        "currency": lambda: author_pack.currency,
        "dest_currency": lambda: d.currency,
        "dest_country": lambda: d.name,
        "dest_city": lambda: g.pick(d.cities).name,
        "dest_place": lambda: g.pick(d.places).name,
        "dest_country_tag": lambda: d.name.lower().replace(" ", ""),
        "origin_country": lambda: o.name,
        "origin_city": lambda: g.pick(o.cities).name,
        "origin_place": lambda: g.pick(o.places).name,
        "company": lambda: (_org(g, ctx, "legitimate") or _org(g, ctx, "any")).name,  # type: ignore[union-attr]
        "registration": lambda: _org(g, ctx, "any").registration or "",  # type: ignore[union-attr]
        "licence": lambda: ctx.org.licence if ctx.org and ctx.org.licence else (agency().licence or ""),  # type: ignore[union-attr]
        "agency": lambda: agency().name,  # type: ignore[union-attr]
        "agency_brand": lambda: (_org(g, ctx, "front") or _org(g, ctx, "any")).name,  # type: ignore[union-attr]
        "licensing_body": lambda: f"the Ministry of Labour of {o.name}",
        "phone": lambda: ctx.author.phones[-1] if ctx.author else o.mobile_number(rng),
        "phone_local": lambda: author_pack.format_local(ctx.author.phones[0] if ctx.author else o.mobile_number(rng)),
        "messenger": lambda: platform_name["messenger"],
        "messenger_handle": lambda: (
            "@" + g.messenger_handle.get(ctx.author.person_id, "support") if ctx.author else "@support"
        ),
        "email": lambda: (
            f"hr@{ctx.org.domain}"
            if ctx.org and ctx.org.domain
            else (ctx.author.emails[0] if ctx.author else "info@example.org")
        ),
        "website": lambda: f"https://{ctx.org.domain}" if ctx.org and ctx.org.domain else "https://jobs.example.org",
        "name": lambda: ctx.author.name if ctx.author else "",
        "victim_first": lambda: _first_latin(ctx.victim),
        "recruiter_first": lambda: _first_latin(ctx.recruiter),
        "recruiter_handle": lambda: "@" + _social_handle(g, ctx.recruiter),
        "relation": lambda: g.pick(RELATIONS),
        "month": lambda: f"{g.moment():%B}",
        "date": lambda: _date(g),
        "count": lambda: str(rng.randint(3, 12)),
        "hours": lambda: str(rng.randint(15, 18)),
        "debt_usd": lambda: money(rng.randint(15, 60) * 100),
        "fee_local": lambda: money(rng.randint(8, 30) * 100 * author_pack.usd_rate // 1000 * 1000),
        "years": lambda: str(rng.randint(2, 6)),
        "wallet": lambda: g.pick(o.wallets),
        "mule_phone": lambda: _mule_phone(g),
        "jobs_platform": lambda: platform_name["jobs"],
        "dating_platform": lambda: platform_name["dating"],
        "route": lambda: f"{g.pick(o.cities).name} - {g.pick(d.places).name} - {g.pick(d.cities).name}",
        "price_usd": lambda: money(rng.randint(8, 40) * 100),
        "price_air_usd": lambda: money(rng.randint(45, 90) * 100),
        "deposit_usd": lambda: money(rng.randint(3, 12) * 100),
        "days": lambda: str(rng.randint(5, 20)),
        "place": lambda: g.pick(o.places).name,
        "city": lambda: ctx.author.city if ctx.author else g.pick(o.cities).name,
        "city_tag": lambda: (ctx.author.city if ctx.author else o.cities[0].name).lower().replace(" ", ""),
        "topic": lambda: g.pick(g.content["background"]["topics"]),
        "item": lambda: g.pick(g.content["background"]["items"]),
        "price_local": lambda: money(rng.randint(2, 80) * author_pack.usd_rate * 5 // 100 * 100),
        "local_job": lambda: g.pick(author_pack.local_jobs),
        "wage_local": lambda: money(rng.randint(*author_pack.monthly_wage) // 1000 * 1000),
    }


def _social_handle(g: Gen, person: Person | None) -> str:
    account = g.account(person, "social") if person else None
    return account.username if account else "recruiter"


def make_slots(g: Gen, ctx: Ctx) -> Slots:
    table = resolvers(g, ctx)
    return Slots(lambda name: table[name]())


def later(g: Gen, moment: datetime, lo_hours: float, hi_hours: float) -> datetime:
    return moment + timedelta(hours=g.rng.uniform(lo_hours, hi_hours))
