"""Messenger threads (chat exports handed over by victims and families)."""

from __future__ import annotations

from datetime import datetime, timedelta

from synthetic_data.generator import journeys
from synthetic_data.generator.cast import add_account
from synthetic_data.generator.context import Gen, iso
from synthetic_data.generator.slots import Ctx, make_slots
from synthetic_data.model import Journey, Message, MessageTruth, Person
from synthetic_data.textgen import compile_template


def _parties(g: Gen, roles: list[str], per: str, anchor: Person) -> dict[str, Person] | None:
    """The two people of a thread for one victim (or one recruiter)."""
    parties: dict[str, Person] = {per: anchor}
    for role in roles:
        if role in parties:
            continue
        if role == "recruiter" and per == "victim":
            parties[role] = g.assigned_recruiter[anchor.person_id]
        elif role == "family" and per == "victim":
            family = g.family_of.get(anchor.person_id)
            if family is None:
                return None
            parties[role] = family
        else:
            people = g.people(role)
            if not people:
                return None
            parties[role] = g.pick(people)
    return parties


def make_threads(g: Gen) -> None:
    for item in g.scenario.data["messages"]:
        script = g.scenario.scripts[item["script"]]
        for anchor in g.people(item["per"]):
            if not g.chance(item.get("share", 1.0)):
                continue
            parties = _parties(g, script["roles"], item["per"], anchor)
            if parties:
                _thread(g, item["script"], script, parties, item.get("phase"))


def _start(g: Gen, phase: str | None, journey: Journey | None) -> datetime:
    """When a thread begins: the victim's answer to the ad, some days after departure, or any time."""
    if journey is not None and phase == "before_departure":
        return journeys.parse(journey.answered)
    if journey is not None and phase == "after_departure":
        return journeys.after_moment(g, journey, room=timedelta(days=4))
    return g.moment(g.start, g.end - timedelta(days=10))


def _thread(g: Gen, name: str, script: dict, parties: dict[str, Person], phase: str | None) -> None:  # type: ignore[type-arg]
    messenger = g.platforms["messenger"]
    accounts = {role: (g.account(p, "messenger") or add_account(g, p, "messenger")) for role, p in parties.items()}
    victim = parties.get("victim")
    journey = g.journeys.get(victim.person_id) if victim is not None and phase else None
    fixed = journeys.fixed_slots(g, journey) if journey is not None else {}
    ctx_base = {"victim": victim, "recruiter": parties.get("recruiter")}
    thread_id = g.new_id("th")
    moment = max(_start(g, phase, journey), g.start)
    last = journeys.parse(journey.departed) - timedelta(hours=2) if journey and phase == "before_departure" else g.end
    for step in script["steps"]:
        sender_role = step["from"]
        author = parties[sender_role]
        ctx = Ctx(author=author, when=moment, journey=journey, fixed=fixed, **ctx_base)
        text, cues = compile_template(g.pick(step["text"])).render(make_slots(g, ctx))
        recipients = [accounts[r].account_id for r in parties if r != sender_role]
        message = Message(
            g.new_id("msg"),
            thread_id,
            messenger.platform_id,
            accounts[sender_role].account_id,
            recipients,
            iso(moment),
            text,
        )
        g.case.messages.append(message)
        g.key.messages.append(MessageTruth(message.message_id, thread_id, name, cues))
        if journey is not None and "{mule_phone}" in " ".join(step["text"]):
            g.pay_after[victim.person_id] = (moment, next(r for r in parties if r != sender_role))  # type: ignore[union-attr]
        moment = min(moment + timedelta(minutes=g.rng.randint(2, 600)), last)
    if journey is not None:
        (journey.before if phase == "before_departure" else journey.after).append(thread_id)
