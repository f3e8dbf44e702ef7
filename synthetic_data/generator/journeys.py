"""Each victim's journey through the storyline, so that every dated record fits one timeline.

A victim answers one of their recruiter's lure ads a few days after it appears, leaves one to
three weeks later, and only then writes home about the compound; the family's forum posts and
payments come after that. The journey fixes the slots the texts share (the job, the departure
date and month, the wallet to pay), and the key keeps it (key/journeys.jsonl) so that the
consistency checker (synthetic_data/consistency.py) and labs can hold every record to it.

The choices here draw from RNGs of their own, derived from the world seed, so they do not
shift the streams of the other generation steps.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from synthetic_data.generator.context import Gen, iso
from synthetic_data.generator.slots import day_month
from synthetic_data.model import Journey, Person

LURE_MARGIN = timedelta(days=60)  # lure ads appear early enough for a whole journey to follow
AFTER_GAP = timedelta(days=3)  # the first news from abroad comes a few days after departure


def _rng(g: Gen, step: str) -> random.Random:
    return random.Random(f"osintlab-world:{g.seed}:{step}")


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def choose_collector(g: Gen) -> None:
    """The mule whose mobile wallet the chats and ads tell victims and families to pay."""
    rng = _rng(g, "collector")
    mules = g.people("mule")
    if mules:
        g.collector = rng.choice(mules)
        pack = g.dest if g.collector.country == g.dest.code else g.origin
        g.wallet_provider[g.collector.person_id] = rng.choice(pack.wallets)


def lure_moment(g: Gen) -> datetime:
    return g.moment(g.start, g.end - LURE_MARGIN)


def make_journeys(g: Gen) -> None:
    """One journey per victim, starting from one of their recruiter's lure pages."""
    rng = _rng(g, "journeys")
    for victim in g.people("victim"):
        recruiter = g.assigned_recruiter[victim.person_id]
        lures = sorted(g.lures.get(recruiter.person_id, []), key=lambda pj: (pj[0].published, pj[0].page_id))
        if lures:
            page, job = rng.choice(lures)
            ad_id: str | None = page.page_id
            seen = parse(page.published)
        else:
            ad_id, job = None, rng.choice(g.scenario.data["jobs"])
            seen = g.start + timedelta(seconds=rng.randrange(int((g.end - LURE_MARGIN - g.start).total_seconds())))
        answered = seen + timedelta(hours=rng.uniform(20, 240))
        departed = answered + timedelta(days=rng.uniform(7, 21))
        family = g.family_of.get(victim.person_id)
        journey = Journey(
            victim=victim.person_id,
            recruiter=recruiter.person_id,
            family=family.person_id if family else None,
            ad=ad_id,
            ad_published=iso(seen),
            answered=iso(answered),
            departed=iso(departed),
            job=job,
        )
        g.journeys[victim.person_id] = journey
        g.key.journeys.append(journey)


def before_moment(g: Gen, journey: Journey) -> datetime:
    """A moment between the victim's answer and departure (a post about the new job)."""
    answered, departed = parse(journey.answered), parse(journey.departed)
    lo = max(answered + timedelta(hours=1), departed - timedelta(days=10))
    return g.moment(lo, departed - timedelta(hours=1))


def after_moment(g: Gen, journey: Journey, room: timedelta = timedelta(0)) -> datetime:
    """A moment after departure (news from the compound, a complaint), leaving `room` before the end."""
    lo = parse(journey.departed) + AFTER_GAP
    hi = max(lo + timedelta(hours=1), g.end - room)
    return g.moment(lo, hi)


def fixed_slots(g: Gen, journey: Journey) -> dict[str, str]:
    """Slots every text of one journey shares: the job, where the ad was, when the victim left."""
    departed = parse(journey.departed)
    slots = {"job": journey.job, "date": day_month(departed), "month": f"{departed:%B}"}
    ad = next((p for p, _job in g.lures.get(journey.recruiter, []) if p.page_id == journey.ad), None)
    if ad is not None and ad.author in g.account_by_id:
        slots["jobs_platform"] = g.platform_by_id[g.account_by_id[ad.author].platform_id].name
    return slots


def victims_of_family(g: Gen, family: Person) -> list[Person]:
    return [g.person_by_id[v] for v, f in g.family_of.items() if f is family]
