"""What each template slot means in a world. A slot is computed on first use per text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from synthetic_data.country import CountryPack
from synthetic_data.generator.context import Gen, Slots
from synthetic_data.model import Account, Journey, Organisation, Person

RELATIONS = ("sister", "brother", "daughter", "son", "cousin", "niece", "nephew", "wife", "husband")


@dataclass
class Ctx:
    """Who a text is by and about."""

    author: Person | None = None
    org: Organisation | None = None
    victim: Person | None = None
    recruiter: Person | None = None
    display: str | None = None  # the name shown on the posting account (a shop, a front company's page)
    when: datetime | None = None  # when the text is published or sent: dates it gives fall after it
    employer: Organisation | None = None  # the employer a legitimate ad names (its own registration)
    agency: Organisation | None = None  # the licensed agency it recruits through (its own licence)
    account: Account | None = None  # the posting account (its phone stands in for a shop's)
    journey: Journey | None = None  # the victim's journey a text belongs to
    fixed: dict[str, str] = field(default_factory=dict)  # slots the storyline fixes (job, date, month, ...)
    used: dict[str, str] = field(default_factory=dict)  # the slots a rendered text used


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
    """The wallet number victims and families are told to pay: the collector's (see journeys.py)."""
    if g.collector is not None:
        return g.collector.phones[0]
    mules = g.people("mule")
    return g.pick(mules).phones[0] if mules else g.origin.mobile_number(g.rng)


def _wallet(g: Gen) -> str:
    if g.collector is not None:
        return g.wallet_provider[g.collector.person_id]
    return g.pick(g.origin.wallets)


def day_month(moment: datetime) -> str:
    return f"{moment.day} {moment:%B}"


def _date(g: Gen, ctx: Ctx) -> str:
    """A date a text announces (a departure, a meeting): a few days after the text itself."""
    if ctx.when is None:
        return day_month(g.moment())
    return day_month(ctx.when + timedelta(days=g.rng.randint(3, 14)))


def _since(ctx: Ctx) -> str:
    """How long ago the victim left, as the family would say it ("two weeks ago")."""
    if ctx.journey is None or ctx.when is None:
        return "Some time ago"
    days = (ctx.when - datetime.fromisoformat(ctx.journey.departed.replace("Z", "+00:00"))).days
    if days < 21:
        return "Two weeks ago"
    if days < 45:
        return "A month ago"
    return f"{round(days / 30)} months ago"


def _licensing_body(pack: CountryPack) -> str:
    """The authority that licenses recruitment agencies in the pack's country (its `authorities`)."""
    find = getattr(pack, "authority", None)  # country packs list their authorities with a role
    authority = find("labour_migration") if find else None
    return f"the {authority.name}" if authority else "the national licensing authority"


def _phone(g: Gen, ctx: Ctx, work: bool) -> str:
    """The author's phone (a recruiter's work number); a shop's page gets a number of its own."""
    if ctx.author is not None:
        return ctx.author.phones[-1] if work else ctx.author.phones[0]
    if ctx.account is not None:
        if not ctx.account.phone:
            ctx.account.phone = g.origin.mobile_number(g.rng)
        return ctx.account.phone
    return g.origin.mobile_number(g.rng)


def _email(ctx: Ctx) -> str:
    """An address of the world: the organisation's HR box, the author's own, or the posting account's."""
    if ctx.org is not None and ctx.org.domain:
        return f"hr@{ctx.org.domain}"
    if ctx.author is not None:
        return ctx.author.emails[0]
    if ctx.account is not None and ctx.account.email:
        return ctx.account.email
    raise ValueError("an {email} slot needs an organisation with a domain, an author or an account with an e-mail")


def _website(g: Gen, ctx: Ctx) -> str:
    """A site of the world: the organisation's, else the posting account's page, else the job board."""
    if ctx.org is not None and ctx.org.domain:
        return f"https://{ctx.org.domain}"
    if ctx.account is not None:
        return ctx.account.url
    return f"https://{g.platforms['jobs'].domain}"


def _local_company(g: Gen) -> str:
    return f"{g.pick(g.content['background']['adjectives'])} {g.pick(LOCAL_BUSINESSES)}"


LOCAL_BUSINESSES = ("Bakery", "Auto Service", "Construction LLC", "Pharmacy", "Trading LLC", "Cafe", "Print Shop")


def resolvers(g: Gen) -> dict[str, Callable[[Ctx], str]]:
    """Slot name -> function of the text's context. Built once per world."""
    o, d, rng = g.origin, g.dest, g.rng
    data = g.scenario.data
    platform_name = {kind: p.name for kind, p in g.platforms.items()}
    agency = lambda ctx: _org(g, ctx, "agencies") or _org(g, ctx, "any")  # noqa: E731
    pack = lambda ctx: _pack_of(g, ctx.author)  # noqa: E731
    return {
        "job": lambda ctx: g.pick(data["jobs"]),
        "legit_job": lambda ctx: g.pick(data.get("legit_jobs") or data["jobs"]),
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
        "company": lambda ctx: (ctx.employer or _org(g, ctx, "legitimate") or _org(g, ctx, "any")).name,  # type: ignore[union-attr]
        "registration": lambda ctx: (ctx.employer or ctx.org or _org(g, ctx, "any")).registration or "",  # type: ignore[union-attr]
        "licence": lambda ctx: (ctx.agency or agency(ctx)).licence or "",  # type: ignore[union-attr]
        "agency": lambda ctx: (ctx.agency or agency(ctx)).name,  # type: ignore[union-attr]
        "agency_brand": lambda ctx: (_org(g, ctx, "front") or _org(g, ctx, "any")).name,  # type: ignore[union-attr]
        "licensing_body": lambda ctx: _licensing_body(o),
        "local_company": lambda ctx: _local_company(g),
        "phone": lambda ctx: _phone(g, ctx, work=True),
        "phone_local": lambda ctx: pack(ctx).format_local(_phone(g, ctx, work=False)),
        "messenger": lambda ctx: platform_name["messenger"],
        "messenger_handle": lambda ctx: (
            "@" + g.messenger_handle.get(ctx.author.person_id, "support") if ctx.author else "@support"
        ),
        "email": lambda ctx: _email(ctx),
        "website": lambda ctx: _website(g, ctx),
        "name": lambda ctx: ctx.display or (ctx.author.name if ctx.author else ""),
        "victim_first": lambda ctx: _first_latin(ctx.victim),
        "recruiter_first": lambda ctx: _first_latin(ctx.recruiter),
        "recruiter_handle": lambda ctx: "@" + _social_handle(g, ctx.recruiter),
        "relation": lambda ctx: g.pick(RELATIONS),
        "month": lambda ctx: f"{g.moment():%B}",
        "date": lambda ctx: _date(g, ctx),
        "today": lambda ctx: day_month(ctx.when or g.moment()),
        "since": lambda ctx: _since(ctx),
        "count": lambda ctx: str(rng.randint(3, 12)),
        "hours": lambda ctx: str(rng.randint(15, 18)),
        "debt_usd": lambda ctx: money(rng.randint(15, 60) * 100),
        "fee_local": lambda ctx: money(rng.randint(8, 30) * 100 * pack(ctx).usd_rate // 1000 * 1000),
        "years": lambda ctx: str(rng.randint(2, 6)),
        "wallet": lambda ctx: _wallet(g),
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
    """The slots of one text: values the storyline fixed (ctx.fixed) win over computed ones."""
    table = g.slot_table
    if table is None:
        table = g.slot_table = resolvers(g)
    return Slots(lambda name: ctx.fixed[name] if name in ctx.fixed else table[name](ctx))


def later(g: Gen, moment: datetime, lo_hours: float, hi_hours: float) -> datetime:
    return moment + timedelta(hours=g.rng.uniform(lo_hours, hi_hours))
