"""The case file of the last two Workshop 3 labs: persons of interest and the evidence on them.

Built at build() time from the trainee's own case and the world's key (who is who). What a
trainee sees is the public part: persons (P1, P2, ...) and evidence items (E-001, ...) that are
messages, payments and job adverts of their case, numbered in time order. Which persons and which
items go into a file is each lab's choice (`CaseFile.make`); this module only keeps the pieces
consistent: every item touches a person of the file, every code is stable for one seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from osintlab.i18n import NP_

# Translators: the roles in a network a trainee picks (labs W3-01, W3-07): your word, then the English code in
# brackets, e.g. "word (broker)".
W3_ROLES = (
    NP_("answer option", "recruiter"),
    NP_("answer option", "broker"),
    NP_("answer option", "transporter"),
    NP_("answer option", "financier"),
    NP_("answer option", "enabler"),
)
POINT_PREFIXES = ("AGENT-", "ATM-", "COUNTER-")  # cash-out points: a provider's, not a person's


@dataclass
class Party:
    """One person of interest: the world's person, the file's code and what they really are."""

    person: Any  # synthetic_data.model.Person
    code: str = ""
    role: str = ""  # recruiter | broker | transporter | financier | enabler | victim | family | none
    note: str = ""  # for an innocent account: what it is (community page, job board support...)


class World:
    """Look-ups over one world's case and key that both labs need (build time only)."""

    def __init__(self, case: Any, key: Any) -> None:
        self.case, self.key = case, key
        self.roles = {r.person_id: r for r in key.roles}
        self.account_owner = {a: p.person_id for p in key.people for a in p.accounts}
        self.fin_owner = {f: p.person_id for p in key.people for f in p.fin_accounts}
        self.fins = {f.fin_id: f for f in case.fin_accounts}
        self.messenger = next(p for p in case.platforms if p.kind == "messenger")
        self.jobs = next(p for p in case.platforms if p.kind == "jobs")
        self.family_of: dict[str, str] = {}
        self.recruiter_of: dict[str, str] = {}
        for a, b, data in key.network.edges(data=True):
            if data.get("relation") == "family":
                victim, family = (a, b) if "victim" in key.person_by_id[a].roles else (b, a)
                self.family_of[victim] = family
            elif data.get("relation") == "recruited":
                recruiter, victim = (a, b) if "recruiter" in key.person_by_id[a].roles else (b, a)
                self.recruiter_of[victim] = recruiter
        self.scripts = {t.message_id: t for t in key.messages}

    def person(self, person_id: str) -> Any:
        return self.key.person_by_id[person_id]

    def suspects(self) -> list[Any]:
        return [self.person(r.person_id) for r in self.key.roles if not r.decoy]

    def decoys(self) -> dict[str, Any]:
        """note -> person for the busy innocent accounts (community page, job board support, phone shop)."""
        return {r.note: self.person(r.person_id) for r in self.key.roles if r.decoy}

    def handles(self, person: Any) -> list[str]:
        accounts = self.case.account_by_id
        return [accounts[a].username for a in person.accounts
                if a in accounts and accounts[a].platform_id == self.messenger.platform_id]

    def threads(self) -> dict[str, tuple[frozenset[str], list[Any]]]:
        """thread id -> (the persons in it, its messages in time order)."""
        out: dict[str, tuple[set[str], list[Any]]] = {}
        for m in self.case.messages:
            people, messages = out.setdefault(m.thread_id, (set(), []))
            for account in (m.sender, *m.recipients):
                if account in self.account_owner:
                    people.add(self.account_owner[account])
            messages.append(m)
        return {t: (frozenset(p), sorted(ms, key=lambda m: m.sent)) for t, (p, ms) in out.items()}

    def script(self, message: Any) -> str:
        truth = self.scripts.get(message.message_id)
        return truth.script if truth is not None else ""

    def owner_of(self, fin_id: str) -> str | None:
        return self.fin_owner.get(fin_id)


@dataclass
class CaseFile:
    """Persons (code -> Party) and evidence items (E-id -> message, payment or job advert)."""

    world: World
    parties: dict[str, Party]
    items: dict[str, tuple[str, Any]] = field(default_factory=dict)  # E-id -> (kind, record)

    @classmethod
    def make(cls, world: World, rng: random.Random, parties: list[Party], messages: Iterable[Any],
             payments: Iterable[Any], ads: Iterable[Any] = ()) -> CaseFile:
        """Give persons shuffled codes P1.. and items time-ordered ids E-001.."""
        parties = list(parties)
        rng.shuffle(parties)
        for i, party in enumerate(parties, 1):
            party.code = f"P{i}"
        records = [("message", m.sent, m.message_id, m) for m in {m.message_id: m for m in messages}.values()]
        records += [("payment", t.time, t.tx_id, t) for t in {t.tx_id: t for t in payments}.values()]
        records += [("ad", p.published, p.page_id, p) for p in {p.page_id: p for p in ads}.values()]
        records.sort(key=lambda r: (r[1], r[2]))
        items = {f"E-{i:03d}": (kind, record) for i, (kind, _, _, record) in enumerate(records, 1)}
        return cls(world, {p.code: p for p in parties}, items)

    # ------------------------------------------------------------ who is who (key side)

    @property
    def by_person(self) -> dict[str, str]:
        return {p.person.person_id: code for code, p in self.parties.items()}

    def code_of_account(self, account_id: str) -> str | None:
        owner = self.world.account_owner.get(account_id)
        return self.by_person.get(owner) if owner else None

    def code_of_fin(self, fin_id: str) -> str | None:
        owner = self.world.owner_of(fin_id)
        return self.by_person.get(owner) if owner else None

    def ids(self, kind: str) -> dict[str, Any]:
        """E-id -> record of one kind (message, payment, ad)."""
        return {e: r for e, (k, r) in self.items.items() if k == kind}

    # ------------------------------------------------------------ what the trainee sees

    def handle(self, account_id: str) -> str:
        return f"@{self.world.case.account_by_id[account_id].username}"

    def message_rows(self) -> list[dict[str, Any]]:
        return [{"id": e, "time": m.sent, "from": self.handle(m.sender), "to": [self.handle(r) for r in m.recipients],
                 "text": m.text} for e, m in self.ids("message").items()]

    def payment_rows(self) -> list[dict[str, Any]]:
        fins = self.world.fins
        rows = []
        for e, t in self.ids("payment").items():
            a, b = fins[t.sender], fins[t.receiver]
            rows.append({"id": e, "time": t.time, "from": a.number, "from_holder": a.holder,
                         "from_provider": a.provider, "to": b.number, "to_holder": b.holder,
                         "to_provider": b.provider, "amount": t.amount, "currency": t.currency,
                         "reference": t.reference})
        return rows

    def ad_rows(self) -> list[dict[str, Any]]:
        accounts = self.world.case.account_by_id
        rows = []
        for e, page in self.ids("ad").items():
            account = accounts[page.author]
            rows.append({"id": e, "time": page.published, "url": page.url, "account": f"@{account.username}",
                         "platform": self.world.jobs.name, "profile_phone": account.phone or "",
                         "title": page.title, "text": page.text})
        return rows


def local_phones(person: Any) -> list[str]:
    """A person's phones as a local file writes them (no country code)."""
    from synthetic_data.country import load_country

    pack = load_country(person.country)
    return [pack.format_local(x) for x in person.phones]


def is_point(fin: Any) -> bool:
    """A cash-out point (agent, ATM, bank counter): the provider's own account, no person's."""
    return str(fin.number).startswith(POINT_PREFIXES)
