"""Lab-owned synthetic people, places and identifiers for labs that need no generated world.

Identifiers follow /work/shared/reference/safe-identifiers.md: domains under .example,
Mongolian numbers from the MN country pack's unallocated prefixes (+976, 8 digits; never 1x:
docs/decisions/0003-mongolian-phone-ranges.md).
"""

from __future__ import annotations

import random
from typing import Any

GIVEN = ["Bat-Erdene", "Oyunchimeg", "Gantulga", "Enkhjargal", "Temuulen", "Sarangerel", "Munkhbat",
         "Nomin", "Tsetseg", "Bayarmaa", "Erdenebileg", "Khulan", "Anujin", "Ganbold", "Uyanga"]
FAMILY = ["Dorj", "Bold", "Ganbaatar", "Tserendorj", "Batbayar", "Sukhbaatar", "Purev", "Lkhagva"]
CITIES = ["Ulaanbaatar", "Darkhan", "Erdenet", "Choibalsan", "Khovd", "Murun"]
DESTINATIONS = ["Thailand", "Malaysia", "Cambodia", "Myanmar", "Laos"]
BOARDS = ["AjilZar", "KhuduluurNet", "JobOrchlon", "TsagAjil"]
SOCIAL = ["Tsahim", "Nairamdal", "Khelkhee"]
MESSENGERS = ["ChatKhuree", "SalkhiMsg"]
STATIONS = [("Ulaanbaatar District 3 Police Station", 47.9185, 106.9176),
            ("Darkhan City Police Department", 49.4867, 105.9228),
            ("Erdenet Police Station", 49.0333, 104.0833)]


def person(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


RECRUITER_TAGS = ["work", "jobs", "agent", "hr", "abroad"]
PRIVATE_TAGS = ["mgl", "ub", "home", "life", "family"]


def username(rng: random.Random, name: str, tags: list[str] = RECRUITER_TAGS) -> str:
    first = name.split()[0].lower().replace("-", "")
    return f"{first}_{rng.choice(tags)}{rng.randint(10, 99)}"


def phone(rng: random.Random) -> str:
    """+976 number with unallocated leading digits from the MN pack (never a real subscriber)."""
    from synthetic_data.country import load_country

    return load_country("MN").mobile_number(rng)


def email(rng: random.Random, name: str, domain: str) -> str:
    first, last = [*name.lower().replace("-", "").split(), "x"][:2]
    return f"{first}.{last}{rng.randint(1, 99)}@{domain}"


def from_case(rng: random.Random, case: Any) -> dict[str, str]:
    """Platform names, a recruiter handle, a person's name and a destination drawn from a world's case.

    Only case data (what a trainee may see) is used, never the key.
    """
    from synthetic_data.country import load_country

    by_kind = {p.kind: p for p in reversed(case.platforms)}  # first platform of each kind wins
    jobs = by_kind["jobs"].platform_id
    handles = sorted(a.username for a in case.accounts if a.platform_id == jobs)
    origin = load_country(case.manifest["countries"]["origin"])
    victim = origin.person_name(rng).latin  # a name of the origin country (a shop's page is not a person)
    dest = case.manifest["countries"]["destination"]
    cities = sorted({p.city for p in case.places if p.country == dest})
    return {"board": by_kind["jobs"].name, "social": by_kind["social"].name,
            "messenger": by_kind["messenger"].name, "user": rng.choice(handles), "victim": victim,
            "dest": load_country(dest).name, "dest_city": rng.choice(cities),
            "origin_tz": case.manifest.get("timezones", {}).get(case.manifest["countries"]["origin"],
                                                                "Asia/Ulaanbaatar")}
