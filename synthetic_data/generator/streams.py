"""Random streams of their own for generation steps added later (Workshop 3 and on).

A step that draws from the world's main RNG would shift every draw after it, and so change
the worlds other steps make. A `Stream` draws from `random.Random("osintlab-world:<seed>:<step>")`
instead, and registers its ids with the world so ids stay unique across streams.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from synthetic_data.country import CountryPack
from synthetic_data.generator.cast import ascii_fold
from synthetic_data.generator.context import Gen, iso
from synthetic_data.model import Account, FinancialAccount, Person

T = TypeVar("T")


class Stream:
    """One step's RNG, ids and small helpers (the same API as Gen's, on the step's own RNG)."""

    def __init__(self, g: Gen, step: str) -> None:
        self.g = g
        self.rng = random.Random(f"osintlab-world:{g.seed}:{step}")

    def new_id(self, prefix: str) -> str:
        while True:
            candidate = f"{prefix}-{self.rng.getrandbits(40):010x}"
            if candidate not in self.g._ids:
                self.g._ids.add(candidate)
                return candidate

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def moment(self, lo: datetime, hi: datetime) -> datetime:
        span = max(1, int((hi - lo).total_seconds()))
        return lo + timedelta(seconds=self.rng.randrange(span))

    # ------------------------------------------------------------ records of the world

    def person(self, pack: CountryPack, roles: list[str]) -> Person:
        """A new adult in `pack`'s country (a bystander, a shop owner, a platform's staff)."""
        g = self.g
        name = pack.person_name(self.rng)
        person = Person(
            person_id=self.new_id("p"),
            name=name.native,
            name_latin=name.latin,
            gender=name.gender,
            birth_year=g.start.year - self.rng.randint(22, 55),
            country=pack.code,
            city=self.pick(pack.cities).name,
            roles=roles,
            phones=[pack.mobile_number(self.rng)],
        )
        given = ascii_fold(name.given_latin).replace(" ", "") or "user"
        domain = self.pick(g.content["platforms"]["services"]["mail_domains"])
        person.emails.append(f"{given}{self.rng.randint(10, 99)}@{domain}")
        for role in roles:
            g.by_role.setdefault(role, []).append(person)
        g.key.people.append(person)
        g.person_by_id[person.person_id] = person
        return person

    def account(self, person: Person | None, kind: str, username: str, display_name: str) -> Account:
        """An account on the `kind` platform (a username already taken gets a number added)."""
        g = self.g
        platform = g.platforms[kind]
        taken = g.usernames[platform.platform_id]
        name = username
        while name in taken:
            name = f"{username}{self.rng.randint(2, 999)}"
        taken.add(name)
        created = self.moment(g.start - timedelta(days=3 * 365), g.start - timedelta(days=30))
        account = Account(self.new_id("acc"), platform.platform_id, name, display_name,
                          platform.profile_url.format(username=name), iso(created))
        if person is not None:
            person.accounts.append(account.account_id)
            g.accounts_by_person.setdefault(person.person_id, {}).setdefault(kind, account)
        g.case.accounts.append(account)
        g.account_by_id[account.account_id] = account
        return account

    def fin(self, rail: str, provider: str, number: str, holder: str, country: str,
            owner: Person | None = None) -> FinancialAccount:
        account = FinancialAccount(self.new_id("fin"), rail, provider, number, holder, country)
        self.g.case.fin_accounts.append(account)
        if owner is not None:
            owner.fin_accounts.append(account.fin_id)
        return account

    def bank_number(self, pack: CountryPack) -> str:
        r = self.rng.randint
        return f"{pack.code}{r(10, 99)} {r(1000, 9999)} {r(1000, 9999)} {r(10, 99)}"
