"""Lab-owned synthetic people, places and identifiers for labs that need no generated world.

Identifiers follow /work/shared/reference/safe-identifiers.md: domains under .example,
Mongolian mobiles with unallocated leading digits 10 and 13-19 (+976, 8 digits).
"""

from __future__ import annotations

import random

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
    """+976 mobile with unallocated leading digits (never a real subscriber)."""
    return f"+976{rng.choice(['10', '13', '14', '15', '16', '17', '18', '19'])}{rng.randint(0, 999999):06d}"


def email(rng: random.Random, name: str, domain: str) -> str:
    first, last = [*name.lower().replace("-", "").split(), "x"][:2]
    return f"{first}.{last}{rng.randint(1, 99)}@{domain}"
