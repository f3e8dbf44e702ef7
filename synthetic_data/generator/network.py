"""The network layer of Workshop 3: chats that show who does what, and busy innocent accounts.

Suspects' roles are mapped to the five-role vocabulary taught in Workshop 3 (recruiter, broker,
transporter, financier, enabler). Chat threads between suspects (content/w3/network.yml) show
each role in what the person writes; decoys (a community page's admin, the job board's
support staff, a phone shop) touch most suspects, so they top a degree count while having no
part in the crime. Draws only from its own stream ("network"), never from the world's RNG.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from osintlab.yamlfile import read_yaml
from synthetic_data.generator.context import Gen, iso, slugify
from synthetic_data.generator.streams import Stream
from synthetic_data.model import Account, Message, MessageTruth, NetworkRole, Person

BANK = Path(__file__).resolve().parents[1] / "content" / "w3" / "network.yml"

# Roles of the world's cast -> the Workshop 3 vocabulary.
ROLE_MAP = {"recruiter": "recruiter", "broker": "broker", "driver": "transporter", "financier": "financier",
            "forger": "enabler", "mule": "enabler"}
W3_ROLES = ("recruiter", "broker", "transporter", "financier", "enabler", "none")


@cache
def bank() -> dict[str, Any]:
    return dict(read_yaml(BANK))


@dataclass
class NetworkLayer:
    """What later Workshop 3 steps need from this one."""

    suspects: list[Person] = field(default_factory=list)
    decoys: dict[str, Person] = field(default_factory=dict)  # community | board_support | shop -> person
    shop_name: str = ""


def suspects(g: Gen) -> list[Person]:
    return [p for p in g.key.people if set(p.roles) & set(ROLE_MAP) and not p.namesake_of]


def w3_role(person: Person) -> str:
    return next(ROLE_MAP[r] for r in person.roles if r in ROLE_MAP)


def make_network(g: Gen) -> NetworkLayer:
    s = Stream(g, "network")
    layer = NetworkLayer(suspects=suspects(g))
    for person in layer.suspects:
        g.key.roles.append(NetworkRole(person.person_id, w3_role(person)))
    _role_threads(g, s, layer)
    _decoys(g, s, layer)
    return layer


# ------------------------------------------------------------------ threads between suspects


def _pairs(g: Gen, s: Stream) -> list[tuple[str, Person, Person]]:
    """(thread kind, first person, second person) for every working relationship."""
    rec, bro, dri = g.people("recruiter"), g.people("broker"), g.people("driver")
    fin, mul, forg = g.people("financier"), g.people("mule"), g.people("forger")
    pairs = [("supply", r, b) for r in rec for b in bro]
    pairs += [("transport", b, d) for i, d in enumerate(dri) for b in [bro[i % len(bro)]] if bro]
    pairs += [("costs", f, b) for f in fin[:1] for b in bro]
    pairs += [("collection", m, f) for m in mul for f in fin[:1]]
    if mul:
        pairs += [("accounts", r, mul[i % len(mul)]) for i, r in enumerate(rec)]
    pairs += [("documents", f, r) for f in forg for r in rec]
    return pairs


def _slots(g: Gen, s: Stream, moment: Any) -> dict[str, str]:
    return {"n": str(s.rng.randint(2, 5)), "date": (moment + timedelta(days=s.rng.randint(3, 12))).strftime("%d %B"),
            "place": s.pick(g.dest.places).name, "amount": str(s.rng.randint(3, 12) * 50), "currency": "USD",
            "pct": str(s.pick([5, 10, 15]))}


def _messenger(g: Gen, s: Stream, person: Person) -> Account:
    account = g.account(person, "messenger")
    if account is None:  # every suspect has one in the worlds we make; a new scenario might not
        account = s.account(person, "messenger", slugify(person.name_latin, 20).replace("-", "_"), person.name_latin)
    return account


def _thread(g: Gen, s: Stream, kind: str, people: dict[str, Person], steps: list[dict[str, Any]],
            slots: dict[str, str], start: Any) -> None:
    platform = g.platforms["messenger"].platform_id
    accounts = {role: _messenger(g, s, p) for role, p in people.items()}
    thread_id, moment = s.new_id("th"), start
    for step in steps:
        sender = accounts[step["from"]]
        recipients = [a.account_id for role, a in accounts.items() if role != step["from"]]
        text = s.pick(step["text"]).format(**slots)
        message = Message(s.new_id("msg"), thread_id, platform, sender.account_id, recipients, iso(moment), text)
        g.case.messages.append(message)
        g.key.messages.append(MessageTruth(message.message_id, thread_id, f"w3-{kind}"))
        moment += timedelta(minutes=s.rng.randint(3, 400))


def _role_threads(g: Gen, s: Stream, layer: NetworkLayer) -> None:
    threads = bank()["threads"]
    for kind, a, b in _pairs(g, s):
        spec = threads[kind]
        first, second = spec["roles"]
        for _ in range(s.rng.randint(1, 2)):
            start = s.moment(g.start + timedelta(days=5), g.end - timedelta(days=15))
            _thread(g, s, kind, {first: a, second: b}, spec["steps"], _slots(g, s, start), start)


# ------------------------------------------------------------------ decoys


def _decoys(g: Gen, s: Stream, layer: NetworkLayer) -> None:
    decoys = bank()["decoys"]
    city = s.pick(g.origin.cities).name
    board = g.platforms["jobs"].name
    fill = {"city": city, "city_tag": slugify(city, 12).replace("-", ""), "board": board,
            "board_tag": slugify(board, 12).replace("-", "")}
    bystanders = g.people("bystander")
    for kind in ("community", "board_support"):
        spec = decoys[kind]
        person = s.person(g.origin, ["bystander"])
        account = s.account(person, "messenger", s.pick(spec["username"]).format(**fill),
                            s.pick(spec["display"]).format(**fill))
        account.bio = spec["label"].capitalize() + "."
        layer.decoys[kind] = person
        g.key.roles.append(NetworkRole(person.person_id, "none", decoy=True, note=spec["label"]))
        members = list(layer.suspects) + list(layer.decoys.values())  # a busy account reaches everyone
        members += [p for p in bystanders if s.chance(0.15)]
        for member in members:
            start = s.moment(g.start, g.end - timedelta(days=3))
            steps = spec["steps"] if s.chance(0.7) else spec["steps"][:1]
            _thread(g, s, f"decoy-{kind}", {"decoy": person, "member": member}, steps, fill, start)
    shop = s.person(g.origin, ["bystander"])
    layer.shop_name = s.pick(bank()["shop"]["names"]).format(adj=s.pick(g.content["background"]["adjectives"]))
    layer.decoys["shop"] = shop
    g.key.roles.append(NetworkRole(shop.person_id, "none", decoy=True, note=f"phone shop ({layer.shop_name})"))
