"""Country packs: names, places, phones and money details of one country, as data.

A pack is a folder `synthetic_data/countries/<CODE>/` with `pack.yml` (validated against
`schemas/country.schema.json`) and `SOURCES.md`. Adding a country is data only: any folder
holding a pack.yml is discovered. Every random choice takes a `random.Random` passed in, so
worlds are deterministic.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import phonenumbers

from osintlab.errors import UserError
from osintlab.jsonschema_lite import jsonschema
from osintlab.yamlfile import read_yaml

PACKAGE_DIR = Path(__file__).resolve().parent
COUNTRIES_DIR = PACKAGE_DIR / "countries"
SCHEMA_PATH = PACKAGE_DIR / "schemas" / "country.schema.json"

# What a pack author should do about each kind of schema error.
_ADVICE = {
    "required": "add it",
    "additionalProperties": "remove it or correct its spelling",
    "type": "change it to the expected type",
    "enum": "use one of the allowed values",
    "pattern": "change it to match the expected format",
    "minItems": "add entries",
    "uniqueItems": "remove the duplicate",
    "minimum": "use a larger value",
    "maximum": "use a smaller value",
    "minLength": "fill it in",
}


@dataclass(frozen=True, slots=True)
class PersonName:
    native: str  # as written locally, e.g. "Батын Болд"
    latin: str  # given + family/patronymic as on a passport, e.g. "Bold Bat"
    given_latin: str
    family_latin: str  # surname, or patronymic root for MN; "" where none
    gender: str  # "f" | "m"
    short_native: str  # e.g. "Б. Болд"; == native where there is no short form


@dataclass(frozen=True, slots=True)
class City:
    name: str
    native: str
    region: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class PublicPlace:
    name: str
    kind: str
    city: str
    lat: float
    lon: float
    native: str = ""  # the name in the national language, "" where the pack has none


@dataclass(frozen=True, slots=True)
class NamePart:
    native: str
    latin: str
    genitive: str = ""  # MN: the father's name as a patronymic, e.g. Бат -> Батын
    gender: str = ""  # family names used by one gender only (BD: Begum, Akter); "" = both


@dataclass(frozen=True, slots=True)
class AvoidPrefix:
    """Leading national digits that libphonenumber calls invalid but someone answers."""

    digits: str
    why: str  # e.g. "toll-free 1800 numbers (business and bank hotlines)"


@dataclass(frozen=True, slots=True)
class Route:
    """A recruitment or smuggling route that a public source reports for the country."""

    kind: str  # trafficking | smuggling
    purpose: str  # forced_labour | forced_criminality | sexual_exploitation | irregular_migration | ...
    direction: str  # outbound | inbound | transit | domestic
    to: tuple[str, ...]  # ISO codes, or "domestic"
    via: tuple[str, ...]
    summary: str
    source: str


@dataclass(frozen=True, slots=True)
class Law:
    title: str
    native: str
    year: int
    covers: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class Authority:
    name: str
    native: str
    role: str  # police | immigration | labour_migration | anti_trafficking | ...
    source: str


@dataclass(frozen=True, slots=True)
class LocalPlatform:
    name: str  # invented brand
    kind: str  # social | jobs | classifieds | forum | news | payments | messenger
    like: str  # the kind of real service it stands for


@dataclass(frozen=True)
class CountryPack:
    code: str
    name: str
    demonym: str
    languages: tuple[str, ...]
    currency: str
    currency_symbol: str
    usd_rate: float
    monthly_wage: tuple[int, int]
    timezone: str
    phone_country_code: int
    mobile_nsn_length: int
    unallocated_prefixes: tuple[str, ...]
    cities: tuple[City, ...]
    places: tuple[PublicPlace, ...]
    banks: tuple[str, ...]
    wallets: tuple[str, ...]
    local_jobs: tuple[str, ...]
    sources: dict[str, str]
    path: Path
    name_style: str = "given_family"  # "patronymic" | "given_family" | "family_given" | "given_only"
    male: tuple[NamePart, ...] = ()
    female: tuple[NamePart, ...] = ()
    family: tuple[NamePart, ...] = ()
    local_format: str = ""  # "X" stands for each national digit, e.g. "0XX-XXX-XXXX"
    avoid_prefixes: tuple[AvoidPrefix, ...] = ()
    script: str = "Latn"  # ISO 15924 script of the native names
    faker_locale: str = ""
    bbox: tuple[float, float, float, float] = (-90.0, 90.0, -180.0, 180.0)  # south, north, west, east
    routes: tuple[Route, ...] = ()
    law: tuple[Law, ...] = ()
    authorities: tuple[Authority, ...] = ()
    agencies: tuple[str, ...] = ()
    platforms: tuple[LocalPlatform, ...] = ()
    # The other countries of the world being generated: a number written locally must not read
    # as one of theirs either (see `with_readers`).
    readers: tuple[CountryPack, ...] = ()

    def with_readers(self, *others: CountryPack) -> CountryPack:
        """This pack inside a world with `others`: its numbers, as locals write them, are never
        valid or avoided numbers of those countries (a "012-345-6789" can be Thai or Malaysian)."""
        return replace(self, readers=tuple(o for o in others if o.code != self.code))

    def authority(self, role: str) -> Authority | None:
        """The first authority with `role` (e.g. "labour_migration"), or None."""
        return next((a for a in self.authorities if a.role == role), None)

    def avoided(self, national: str) -> AvoidPrefix | None:
        """The avoid rule a national number (digits, no trunk 0) falls under, or None."""
        return next((a for a in self.avoid_prefixes if national.startswith(a.digits)), None)

    def person_name(self, rng: random.Random, gender: str | None = None) -> PersonName:
        if gender not in (None, "f", "m"):
            raise ValueError(f"gender must be 'f', 'm' or None, not {gender!r}")
        gender = gender or rng.choice(("f", "m"))
        given = rng.choice(self.male if gender == "m" else self.female)
        if self.name_style == "patronymic":
            father = rng.choice([p for p in self.male if p.genitive])
            return PersonName(
                native=f"{father.genitive} {given.native}",
                latin=f"{given.latin} {father.latin}",
                given_latin=given.latin,
                family_latin=father.latin,
                gender=gender,
                short_native=f"{father.native[0]}. {given.native}",
            )
        if self.name_style == "given_only":
            # No family name (Burmese, Bhutanese): the name's first word stands for the given
            # name and the rest for the second field, as in "aung.kyaw" usernames.
            first, _, rest = given.latin.partition(" ")
            return PersonName(given.native, given.latin, first, rest, gender, given.native)
        family = rng.choice([f for f in self.family if f.gender in ("", gender)])
        # Khmer names are written family name first; `latin` keeps one order (given first) for all packs.
        parts = (family, given) if self.name_style == "family_given" else (given, family)
        native = f"{parts[0].native} {parts[1].native}"
        return PersonName(native, f"{given.latin} {family.latin}", given.latin, family.latin, gender, native)

    def mobile_number(self, rng: random.Random) -> str:
        """An E.164 mobile number of the right length that no operator can have been given.

        Never one whose leading digits spell an avoided range (toll-free, hotline, short code):
        such a number is drawn again. Raises RuntimeError if phonenumbers now calls it valid.
        """
        while True:
            prefix = rng.choice(self.unallocated_prefixes)
            rest = "".join(rng.choice("0123456789") for _ in range(self.mobile_nsn_length - len(prefix)))
            if not self.avoided(prefix + rest) and not self._read_as_other(prefix + rest):
                break
        e164 = f"+{self.phone_country_code}{prefix}{rest}"
        number = phonenumbers.PhoneNumber(country_code=self.phone_country_code, national_number=int(prefix + rest))
        if not phonenumbers.is_possible_number(number) or phonenumbers.is_valid_number(number):
            # The numbering plan changed (phonenumbers upgraded): a real subscriber could own this.
            state = "valid" if phonenumbers.is_valid_number(number) else "impossible"
            raise RuntimeError(
                f"country pack {self.code}: prefix {prefix!r} gave {e164}, which phonenumbers "
                f"{phonenumbers.__version__} reports as {state}; remove the prefix from {self.path} "
                "and pick an unallocated one."
            )
        return e164

    def reads_as_other(self, e164: str) -> bool:
        """Whether this pack's number `e164`, written as locals write it, reads as a valid or avoided
        number of one of the world's other countries (see `with_readers`)."""
        return self._read_as_other(e164.replace(" ", "")[len(f"+{self.phone_country_code}"):])

    def _read_as_other(self, national: str) -> bool:
        """Whether the number, written as locals write it, reads as a valid or avoided number of
        one of the world's other countries (their local formats)."""
        if not self.readers:
            return False
        from synthetic_data.safety import _local_reason

        local = self.format_local(f"+{self.phone_country_code}{national}")
        return _local_reason(local.encode(), tuple(sorted(r.code for r in self.readers))) is not None

    def format_local(self, e164: str) -> str:
        """The number as locals write it, e.g. "+97640123456" -> "4012 3456"."""
        head = f"+{self.phone_country_code}"
        nsn = e164.replace(" ", "")[len(head) :]
        if not e164.replace(" ", "").startswith(head) or len(nsn) != self.mobile_nsn_length or not nsn.isdigit():
            raise ValueError(f"{e164!r} is not a {self.code} mobile number ({head} + {self.mobile_nsn_length} digits)")
        digits = iter(nsn)
        return "".join(next(digits) if ch == "X" else ch for ch in self.local_format)


# ---------------------------------------------------------------- loading


def _display(path: Path) -> str:
    """The path as a pack author knows it: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(PACKAGE_DIR.parent))
    except ValueError:
        return str(path)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _field(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _read(pack_yml: Path) -> dict[str, Any]:
    where = _display(pack_yml)
    data = read_yaml(pack_yml, shown_as=where)
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        error = jsonschema.exceptions.best_match(errors) or errors[0]
        advice = _ADVICE.get(str(error.validator), "fix it")
        raise UserError(f"{where}: {_field(error.absolute_path)}: {error.message}; {advice}.")
    return data


def _check(data: dict[str, Any], where: str) -> None:
    """Rules a JSON Schema cannot express: cross-references between lists."""
    cities = {c["name"] for c in data["cities"]}
    for i, place in enumerate(data["places"]):
        if place["city"] not in cities:
            raise UserError(f"{where}: places[{i}].city: {place['city']!r} is not in cities; add the city or fix it.")
    digits = data["phone"]["local_format"].count("X")
    if digits != data["phone"]["mobile_nsn_length"]:
        raise UserError(
            f"{where}: phone.local_format: has {digits} X digits but mobile_nsn_length is "
            f"{data['phone']['mobile_nsn_length']}; make them agree."
        )
    style, names = data["names"]["style"], data["names"]
    if style == "patronymic" and not any(n.get("genitive") for n in names["male"]):
        raise UserError(f"{where}: names.male: a patronymic pack needs 'genitive' on male names; add it.")
    if style in ("given_family", "family_given"):
        for gender in ("f", "m"):
            if not any(f.get("gender", "") in ("", gender) for f in names.get("family", [])):
                raise UserError(f"{where}: names.family: no family name usable for gender {gender!r}; add one.")
    for i, avoid in enumerate(data["phone"].get("avoid_prefixes", [])):
        clash = [p for p in data["phone"]["unallocated_prefixes"] if p.startswith(avoid["digits"])]
        if clash:
            raise UserError(
                f"{where}: phone.avoid_prefixes[{i}]: {avoid['digits']!r} would rule out every number of "
                f"unallocated prefix {clash[0]!r}; remove that prefix."
            )
    box = data["bbox"]
    if not (box["south"] < box["north"] and box["west"] < box["east"]):
        raise UserError(f"{where}: bbox: south must be below north and west left of east; fix the numbers.")
    for field in ("cities", "places"):
        for i, spot in enumerate(data[field]):
            if not (box["south"] <= spot["lat"] <= box["north"] and box["west"] <= spot["lon"] <= box["east"]):
                raise UserError(
                    f"{where}: {field}[{i}]: {spot['name']!r} at {spot['lat']}, {spot['lon']} lies outside the "
                    "country's bbox; check the coordinates (latitude first)."
                )
    lists = LISTS_NEEDING_SOURCES
    for key in lists:
        if key not in data["sources"]:
            raise UserError(f"{where}: sources.{key}: missing; cite where the {key} data comes from.")


# Every list a pack author fills in, each needing its `sources` entry.
LISTS_NEEDING_SOURCES = (
    "names", "cities", "places", "banks", "wallets", "local_jobs", "usd_rate", "monthly_wage", "phone",
    "agencies", "platforms", "routes", "law", "authorities", "bbox",
)


def _parts(items: list[dict[str, str]]) -> tuple[NamePart, ...]:
    return tuple(NamePart(i["native"], i["latin"], i.get("genitive", ""), i.get("gender", "")) for i in items)


def _build(data: dict[str, Any], pack_yml: Path) -> CountryPack:
    phone, names = data["phone"], data["names"]
    return CountryPack(
        code=data["code"],
        name=data["name"],
        demonym=data["demonym"],
        languages=tuple(data["languages"]),
        currency=data["currency"],
        currency_symbol=data["currency_symbol"],
        usd_rate=float(data["usd_rate"]),
        monthly_wage=(int(data["monthly_wage"][0]), int(data["monthly_wage"][1])),
        timezone=data["timezone"],
        phone_country_code=int(phone["country_code"]),
        mobile_nsn_length=int(phone["mobile_nsn_length"]),
        unallocated_prefixes=tuple(phone["unallocated_prefixes"]),
        cities=tuple(
            City(c["name"], c["native"], c["region"], float(c["lat"]), float(c["lon"])) for c in data["cities"]
        ),
        places=tuple(
            PublicPlace(p["name"], p["kind"], p["city"], float(p["lat"]), float(p["lon"]), p.get("native", ""))
            for p in data["places"]
        ),
        banks=tuple(data["banks"]),
        wallets=tuple(data["wallets"]),
        local_jobs=tuple(data["local_jobs"]),
        sources=dict(data["sources"]),
        path=pack_yml.parent,
        name_style=names["style"],
        male=_parts(names["male"]),
        female=_parts(names["female"]),
        family=_parts(names.get("family", [])),
        local_format=phone["local_format"],
        avoid_prefixes=tuple(AvoidPrefix(a["digits"], a["why"]) for a in phone.get("avoid_prefixes", [])),
        script=data["script"],
        faker_locale=data.get("faker_locale", ""),
        bbox=tuple(float(data["bbox"][k]) for k in ("south", "north", "west", "east")),  # type: ignore[arg-type]
        routes=tuple(
            Route(r["kind"], r["purpose"], r.get("direction", "outbound"), tuple(r["to"]), tuple(r.get("via", [])),
                  r["summary"], r["source"])
            for r in data["routes"]
        ),
        law=tuple(Law(x["title"], x.get("native", ""), int(x["year"]), tuple(x["covers"]), x["source"])
                  for x in data["law"]),
        authorities=tuple(Authority(a["name"], a.get("native", ""), a["role"], a["source"])
                          for a in data["authorities"]),
        agencies=tuple(data["agencies"]),
        platforms=tuple(LocalPlatform(p["name"], p["kind"], p["like"]) for p in data["platforms"]),
    )


def load_pack_file(pack_yml: Path) -> CountryPack:
    """Read, validate and build one pack (uncached: for authors checking a new pack)."""
    where = _display(pack_yml)
    data = _read(pack_yml)
    _check(data, where)
    if data["code"] != pack_yml.parent.name:
        raise UserError(f"{where}: code: {data['code']!r} differs from its folder name; rename one to match.")
    if data["timezone"] not in _timezones():
        raise UserError(f"{where}: timezone: {data['timezone']!r} is not an IANA time zone; use e.g. 'Asia/Dhaka'.")
    return _build(data, pack_yml)


@cache
def _timezones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def _codes(packs_dir: Path) -> list[str]:
    return sorted(p.parent.name for p in Path(packs_dir).glob("*/pack.yml"))


@cache
def _load_cached(code: str, packs_dir: Path) -> CountryPack:
    return load_pack_file(packs_dir / code / "pack.yml")


def load_country(code: str, packs_dir: Path = COUNTRIES_DIR) -> CountryPack:
    """The pack for `code` (e.g. "MN"); cached per process."""
    packs_dir = Path(packs_dir).resolve()
    codes = _codes(packs_dir)
    if code not in codes:
        raise UserError(
            f"unknown country {code!r}: valid codes are {', '.join(codes) or '(none)'} "
            f"(packs in {_display(packs_dir)}); use one of them or add a pack."
        )
    return _load_cached(code, packs_dir)


def list_countries(packs_dir: Path = COUNTRIES_DIR) -> list[CountryPack]:
    """Every pack found in `packs_dir`, sorted by code."""
    packs_dir = Path(packs_dir).resolve()
    return [_load_cached(code, packs_dir) for code in _codes(packs_dir)]
