"""The state of one world while it is being generated, and the helpers every step uses.

Every random choice goes through `Gen.rng` (one seeded random.Random per world), never the
global RNG, so the same inputs always give the same world.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from synthetic_data.bundle import Case, Key
from synthetic_data.country import CountryPack
from synthetic_data.model import Account, Journey, Organisation, Page, Person, Platform
from synthetic_data.scenario import Scenario

T = TypeVar("T")


@dataclass(frozen=True)
class Size:
    people: int
    pages: int
    images: int
    transactions: int


SIZES: dict[str, Size] = {
    # "tiny" is for tests that sweep hundreds of worlds; the CLI offers small, medium and large.
    "tiny": Size(people=40, pages=400, images=20, transactions=200),
    "small": Size(people=80, pages=1_500, images=60, transactions=800),
    "medium": Size(people=300, pages=10_000, images=200, transactions=5_000),
    "large": Size(people=3_000, pages=100_000, images=1_000, transactions=50_000),
}


def iso(moment: datetime) -> str:
    if moment.utcoffset():
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def slugify(text: str, limit: int = 48) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "page"


class Gen:
    """Mutable generation state: inputs, the RNG, id allocation and the growing world."""

    def __init__(
        self,
        origin: CountryPack,
        destination: CountryPack,
        scenario: Scenario,
        seed: int,
        size_name: str,
        content: dict[str, Any],
    ) -> None:
        self.origin = origin
        self.dest = destination
        self.scenario = scenario
        self.seed = seed
        self.size_name = size_name
        self.size = SIZES[size_name]
        self.rng = random.Random(f"osintlab-world:{seed}")
        self.content = content  # background banks, platforms and services
        start = date.fromisoformat(scenario.data["start"]) + timedelta(days=self.rng.randrange(0, 60))
        self.start = datetime(start.year, start.month, start.day, tzinfo=UTC)
        self.end = self.start + timedelta(days=scenario.data["days"])
        self.case = Case(manifest={})
        self.key = Key(truth={})
        self._ids: set[str] = set()
        self.platforms: dict[str, Platform] = {}  # kind -> platform
        self.platform_by_id: dict[str, Platform] = {}
        self.account_by_id: dict[str, Account] = {}
        self.accounts_by_person: dict[str, dict[str, Account]] = {}  # person -> kind -> account
        self.usernames: dict[str, set[str]] = {}  # platform_id -> taken
        self.by_role: dict[str, list[Person]] = {}
        self.person_by_id: dict[str, Person] = {}
        self.orgs_by_group: dict[str, list[Organisation]] = {}
        self.org_accounts: dict[str, Account] = {}  # org_id -> jobs-board account
        self.assigned_recruiter: dict[str, Person] = {}  # victim person_id -> recruiter
        self.family_of: dict[str, Person] = {}  # victim person_id -> family member
        self.messenger_handle: dict[str, str] = {}  # person_id -> messenger username
        self.wallet_of: dict[str, str] = {}  # person_id -> fin_id of main wallet
        self.place_ids: dict[tuple[str, str], str] = {}  # (country, place name) -> place_id
        self.slot_table: dict[str, Callable[[Any], str]] | None = None  # built on first use (slots.py)
        self.pixels: dict[str, Any] = {}  # image_id -> PIL image, kept only while reposting
        self.pending_reposts: list[tuple[str, str, Person | None]] = []  # (repost, source, poster)
        # The storyline's timeline (generator/journeys.py): each victim's journey, the lure pages
        # each recruiter posted (with the job they offer), and the mule whose wallet collects.
        self.journeys: dict[str, Journey] = {}  # victim person_id -> journey
        self.lures: dict[str, list[tuple[Page, str]]] = {}  # recruiter person_id -> [(page, job)]
        self.collector: Person | None = None
        self.wallet_provider: dict[str, str] = {}  # person_id -> wallet brand decided before accounts open
        self.pay_after: dict[str, tuple[datetime, str]] = {}  # victim -> (message asking to pay, payer's role)
        self.text_source: dict[str, tuple[str, Any]] = {}  # page_id -> (text bank, Ctx): for language.py

    # ------------------------------------------------------------ randomness

    def new_id(self, prefix: str) -> str:
        while True:
            candidate = f"{prefix}-{self.rng.getrandbits(40):010x}"
            if candidate not in self._ids:
                self._ids.add(candidate)
                return candidate

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def count(self, bounds: Sequence[int]) -> int:
        return self.rng.randint(bounds[0], bounds[1])

    def moment(self, lo: datetime | None = None, hi: datetime | None = None) -> datetime:
        lo = lo or self.start
        hi = hi or self.end
        span = max(1, int((hi - lo).total_seconds()))
        return lo + timedelta(seconds=self.rng.randrange(span))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # ------------------------------------------------------------ lookups

    def people(self, role: str) -> list[Person]:
        return self.by_role.get(role, [])

    def account(self, person: Person, kind: str) -> Account | None:
        return self.accounts_by_person.get(person.person_id, {}).get(kind)


class Slots(dict[str, str]):
    """Template slots computed on first use, so each text draws only what it needs."""

    def __init__(self, resolver: Callable[[str], str]) -> None:
        super().__init__()
        self._resolver = resolver

    def __missing__(self, name: str) -> str:
        value = self._resolver(name)
        self[name] = value
        return value
