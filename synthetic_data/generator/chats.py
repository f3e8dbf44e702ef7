"""Messenger threads (chat exports handed over by victims and families)."""

from __future__ import annotations

from datetime import timedelta

from synthetic_data.generator.cast import add_account
from synthetic_data.generator.context import Gen, iso
from synthetic_data.generator.slots import Ctx, make_slots
from synthetic_data.model import Message, MessageTruth, Person
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
                _thread(g, item["script"], script, parties)


def _thread(g: Gen, name: str, script: dict, parties: dict[str, Person]) -> None:  # type: ignore[type-arg]
    messenger = g.platforms["messenger"]
    accounts = {role: (g.account(p, "messenger") or add_account(g, p, "messenger")) for role, p in parties.items()}
    victim = parties.get("victim")
    ctx_base = {"victim": victim, "recruiter": parties.get("recruiter")}
    thread_id = g.new_id("th")
    moment = g.moment(g.start, g.end - timedelta(days=10))
    for step in script["steps"]:
        sender_role = step["from"]
        author = parties[sender_role]
        slots = make_slots(g, Ctx(author=author, **ctx_base))
        text, cues = compile_template(g.pick(step["text"])).render(slots)
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
        moment += timedelta(minutes=g.rng.randint(2, 600))
