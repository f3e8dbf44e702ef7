"""A generation step with a random stream of its own, and the record helpers such steps share.

The world's main RNG (`Gen.rng`) drives the original steps in a fixed order. A step added later
draws from `Step.rng`, seeded from the world seed and the step's name, so it never shifts the
streams of the steps before or after it (other steps change while it is written). Ids come from
the step's stream too, checked against every id the world already holds.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from synthetic_data.generator.context import Gen, iso
from synthetic_data.model import Account, Page, Person, Platform

T = TypeVar("T")


class Step:
    """One step's RNG (`osintlab-world:<seed>:<name>`) and id allocation over the world `g`."""

    def __init__(self, g: Gen, name: str) -> None:
        self.g = g
        self.name = name
        self.rng = random.Random(f"osintlab-world:{g.seed}:{name}")

    def new_id(self, prefix: str) -> str:
        ids = self.g._ids  # the world's id set: ids stay unique across every step
        while True:
            candidate = f"{prefix}-{self.rng.getrandbits(40):010x}"
            if candidate not in ids:
                ids.add(candidate)
                return candidate

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def moment(self, lo: datetime, hi: datetime) -> datetime:
        span = max(1, int((hi - lo).total_seconds()))
        return lo + timedelta(seconds=self.rng.randrange(span))

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        return self.rng.sample(list(items), min(k, len(items)))


# ------------------------------------------------------------------ records


def platform_of(g: Gen, account: Account) -> Platform:
    return g.platform_by_id[account.platform_id]


def new_account(
    step: Step,
    person: Person | None,
    platform: Platform,
    username: str,
    display_name: str,
    created: datetime,
    **fields: Any,
) -> Account:
    """An account on `platform` (the username must be free there), added to the world and its owner."""
    g = step.g
    taken = g.usernames.setdefault(platform.platform_id, set())
    if username in taken:
        raise ValueError(f"username {username!r} is already taken on {platform.platform_id}")
    taken.add(username)
    account = Account(
        account_id=step.new_id("acc"),
        platform_id=platform.platform_id,
        username=username,
        display_name=display_name,
        url=platform.profile_url.format(username=username),
        created=iso(created),
        **fields,
    )
    if person is not None:
        person.accounts.append(account.account_id)
    g.case.accounts.append(account)
    g.account_by_id[account.account_id] = account
    return account


def free(g: Gen, platform: Platform, username: str) -> bool:
    return username not in g.usernames.get(platform.platform_id, set())


def new_page(step: Step, kind: str, title: str, text: str, published: datetime, *, url: str,
             account: Account | None = None, domain: str | None = None, **extra: Any) -> Page:
    """A live page of the world (its URL is given: steps choose their own URL shapes)."""
    g = step.g
    if domain is None:
        assert account is not None, "a page needs a domain or an account"
        domain = g.platform_by_id[account.platform_id].domain
    page = Page(page_id=step.new_id("pg"), url=url, domain=domain, kind=kind, title=title, text=text,
                published=iso(published), author=account.account_id if account else None, **extra)
    g.case.pages.append(page)
    return page


def profile_page(step: Step, account: Account) -> Page | None:
    """The public profile page of an account (as pages.make_profiles writes them); none on a messenger."""
    g = step.g
    platform = g.platform_by_id[account.platform_id]
    if platform.kind == "messenger":
        return None
    lines = [line for line in (
        account.bio,
        f"Lives in {account.location}" if account.location else "",
        f"Phone: {account.phone}" if account.phone else "",
        f"E-mail: {account.email}" if account.email else "",
        f"Website: {account.website}" if account.website else "",
        f"Joined {account.created[:7]}",
    ) if line]
    created = datetime.fromisoformat(account.created.replace("Z", "+00:00"))
    return new_page(step, "profile", f"{account.display_name} (@{account.username}) - {platform.name}",
                    "\n".join(lines), created, account=account, url=account.url)


def post_url(step: Step, account: Account) -> str:
    g = step.g
    domain = g.platform_by_id[account.platform_id].domain
    return f"https://{domain}/{account.username}/posts/{step.rng.randint(10000, 999999)}"
