"""Lab w1-02 "OPSEC audit": audit the artefacts of a research set-up against who the officer is.

The trainee gets a "who is who" card (the officer's real details, the unit's assets, the
persona's cover story, the target) and five artefacts: the persona's profile, the research
browser, the research phone, a photo the persona posted, and what the persona did this week.
Every field of the bank (labs/w1-02-opsec-audit/bank.yml) appears once; five of them, one of
each kind, carry a leaking value and the rest a clean one. Whether a value leaks depends on the
card (is that the officer's e-mail? the station's Wi-Fi? the officer's time zone?), so the words
of a field do not decide it: the audit is a comparison, as it is in real life.

One part, "leaks": {"B3": "clock-language", ...}, the leaking fields only (a field the answer
form marks "no leak" may be given as None). Graded by F1 over (field, kind): a right field
with the wrong kind counts as a miss and a false alarm.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from labs import items, names, scoring
from osintlab.i18n import NP_, _

PARTS = {"leaks": 8.0}
BANK_FILE = Path(__file__).resolve().parents[1] / "w1-02-opsec-audit" / "bank.yml"
# Translators: the kinds of leak a trainee picks in lab W1-02 (the brief lists them): your word, then the
# English code in brackets, e.g. "word (location)".
KINDS = (
    NP_("answer option", "identity-link"),
    NP_("answer option", "location"),
    NP_("answer option", "clock-language"),
    NP_("answer option", "account-link"),
    NP_("answer option", "tip-off"),
)
ORDER = ("tip-off", "account-link", "clock-language", "location", "identity-link")  # asked in this order
_STRINGS = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 2}}
BANK_SCHEMA = {
    "type": "object", "required": ["kinds", "artefacts", "fields"], "additionalProperties": False,
    "properties": {
        "kinds": {"type": "object", "required": list(KINDS), "additionalProperties": False,
                  "properties": {k: {"type": "string"} for k in KINDS}},
        "artefacts": {"type": "object", "additionalProperties": {"type": "string"}},
        "fields": {"type": "array", "minItems": 20, "items": {
            "type": "object", "required": ["artefact", "label", "clean"], "additionalProperties": False,
            "properties": {
                "artefact": {"type": "string", "pattern": "^[A-Z]$"}, "label": {"type": "string"},
                "clean": _STRINGS,
                "leaks": {"type": "array", "items": {
                    "type": "object", "required": ["kind", "value"], "additionalProperties": False,
                    "properties": {"kind": {"enum": list(KINDS)}, "value": {"type": "string"}}}}}}},
    },
}
LANGUAGE_NAMES = {"mn": "Mongolian", "bn": "Bengali", "th": "Thai", "km": "Khmer", "lo": "Lao", "my": "Burmese",
                  "vi": "Vietnamese", "ms": "Malay", "id": "Indonesian", "ne": "Nepali", "si": "Sinhala"}


@cache
def bank() -> dict[str, Any]:
    data = items.load_bank(BANK_FILE, BANK_SCHEMA)
    for f in data["fields"]:
        if f["artefact"] not in data["artefacts"]:
            from osintlab.errors import UserError

            raise UserError(f"{BANK_FILE}: field {f['label']!r}: artefact {f['artefact']!r} is not listed "
                            "under artefacts; add it there.")
    return data


# ---------------------------------------------------------------- the officer, the unit, the persona


def _offset(tz: str, on: date) -> str:
    delta = datetime(on.year, on.month, on.day, 12, tzinfo=ZoneInfo(tz)).utcoffset() or timedelta(0)
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _birth(rng: random.Random, lo: int, hi: int) -> str:
    day = date(rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28))
    return f"{day.day} {day:%B %Y}"


def _station(rng: random.Random, origin: Any) -> tuple[str, str, float, float]:
    """(station name, city, lat, lon): a police station at a city centre (a public place)."""
    if origin.code == "MN":
        name, lat, lon = rng.choice(names.STATIONS)
        city = name.split()[0]
        return name, city, lat, lon
    city = rng.choice(origin.cities)
    return f"{city.name} Central Police Station", city.name, city.lat, city.lon


def _fill(rng: random.Random, case: Any) -> dict[str, str]:
    from synthetic_data.country import load_country
    from synthetic_data.scenario import CONTENT_DIR, read_yaml

    origin = load_country(case.manifest["countries"]["origin"] if case is not None else "MN")
    dest = load_country(case.manifest["countries"]["destination"] if case is not None else "TH")
    world = names.from_case(rng, case) if case is not None else {}
    officer, persona = origin.person_name(rng), dest.person_name(rng)
    birth = _birth(rng, 1975, 1995)
    station, station_city, lat, lon = _station(rng, origin)
    persona_city = rng.choice([c for c in dest.cities if c.name != station_city])
    place = rng.choice([p for p in dest.places if p.city == persona_city.name] or list(dest.places))
    today = date(2025, 6, 1)
    device = rng.choice(read_yaml(CONTENT_DIR / "platforms.yml")["services"]["devices"])
    given, family = officer.given_latin, officer.family_latin or officer.given_latin
    login = "".join(c for c in given.lower() if c.isalnum()) + birth[-2:]
    used = {login}

    def handle(base: str) -> str:
        out = base
        while out in used:
            out = f"{base}{rng.randint(2, 99)}"
        used.add(out)
        return out

    persona_handle = handle(f"{''.join(c for c in persona.given_latin.lower() if c.isalnum())}_"
                            f"{''.join(c for c in persona_city.name.lower() if c.isalnum())[:3]}")
    fill = {
        "officer_name": f"{given} {family}", "officer_given": given, "officer_family": family,
        "officer_login": login, "officer_birth": birth,
        "officer_phone": origin.mobile_number(rng), "officer_work_phone": origin.mobile_number(rng),
        "research_sim": origin.mobile_number(rng),
        "officer_email": names.email(rng, f"{given} {family}", "mailbox.example"),
        "officer_work_email": names.email(rng, f"{given} {family}", f"police.{origin.code.lower()}.example"),
        "officer_handle": handle(names.username(rng, f"{given} {family}", names.PRIVATE_TAGS)),
        "officer_device": f"{device['make']} {device['model']}",
        "station": station, "station_city": station_city,
        "station_wifi": f"{station_city[:3].upper()}-POLICE-STAFF",
        "station_gps": f"{lat + rng.uniform(-0.0015, 0.0015):.5f}, {lon + rng.uniform(-0.0015, 0.0015):.5f}",
        "station_at": f"{lat:.4f}, {lon:.4f}",
        "unit_page": handle(f"{station_city.lower().replace(' ', '')}_police"),
        "officer_tz": origin.timezone, "officer_offset": _offset(origin.timezone, today),
        "officer_lang": LANGUAGE_NAMES.get(origin.languages[0], origin.languages[0]),
        "persona_name": persona.latin, "persona_family": persona.family_latin or persona.given_latin,
        "persona_handle": persona_handle, "persona_birth": _birth(rng, 1994, 2002),
        "persona_email": names.email(rng, persona.latin, "post.test"),
        "persona_city": persona_city.name, "persona_tz": dest.timezone, "persona_offset": _offset(dest.timezone, today),
        "persona_lang": LANGUAGE_NAMES.get(dest.languages[0], dest.languages[0]),
        "persona_gps": f"{place.lat:.5f}, {place.lon:.5f}",
        "cover_1": handle(f"{persona_city.name.lower().replace(' ', '')[:6]}_street_food"),
        "cover_2": handle(rng.choice(["football_asia", "travel_snaps", "music_daily", "cooking_at_home"])),
        "target": world.get("user") or handle(names.username(rng, names.person(rng))),
        "social": world.get("social") or rng.choice(names.SOCIAL),
        "messenger": world.get("messenger") or rng.choice(names.MESSENGERS),
    }
    return fill


def _card(fill: dict[str, str]) -> list[list[str]]:
    """The 'who is who' card: label, value (what the trainee compares the artefacts with)."""
    return [
        [_("You (the officer)"),
         _("{name}, born {birth}").format(name=fill["officer_name"], birth=fill["officer_birth"])],
        # Translators: {p} is the personal phone number (or e-mail), {w} the work one.
        [_("Your phones"), _("personal {p}; work {w}").format(p=fill["officer_phone"], w=fill["officer_work_phone"])],
        [_("Your e-mails"), _("personal {p}; work {w}").format(p=fill["officer_email"], w=fill["officer_work_email"])],
        [_("Your own {social} account").format(social=fill["social"]), "@" + fill["officer_handle"]],
        [_("Your own phone"), fill["officer_device"]],
        [_("Your station"), _("{station}, {city} ({at}); staff Wi-Fi {wifi}").format(
            station=fill["station"], city=fill["station_city"], at=fill["station_at"], wifi=fill["station_wifi"])],
        [_("Your time zone and language"),
         f"{fill['officer_tz']} (UTC{fill['officer_offset']}), {fill['officer_lang']}"],
        [_("The unit"), _("official {social} page @{page}; research SIM {sim}").format(
            social=fill["social"], page=fill["unit_page"], sim=fill["research_sim"])],
        [_("The persona (cover story)"),
         _("{name}, born {birth}, lives in {city}; e-mail {email}; {social} @{handle}").format(
            name=fill["persona_name"], birth=fill["persona_birth"], city=fill["persona_city"],
            email=fill["persona_email"], social=fill["social"], handle=fill["persona_handle"])],
        [_("The persona's time zone and language"),
         f"{fill['persona_tz']} (UTC{fill['persona_offset']}), {fill['persona_lang']}"],
        [_("Cover accounts (harmless pages the persona follows)"), f"@{fill['cover_1']}, @{fill['cover_2']}"],
        [_("The target"),
         _("the recruiter @{target} on {social}").format(target=fill["target"], social=fill["social"])],
    ]


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    rng = random.Random(f"w1-02\x1f{seed}")
    fill = _fill(rng, case)
    data = bank()
    same_offset = fill["officer_offset"] == fill["persona_offset"]
    # One leaking field of each kind; a leak that only an offset shows is left out when the two
    # places share one (the auditor could not see it).
    eligible = {k: [(i, leak) for i, f in enumerate(data["fields"]) for leak in f.get("leaks", [])
                    if leak["kind"] == k and not (same_offset and "offset}" in leak["value"])] for k in KINDS}
    leaking: dict[int, dict[str, str]] = {}
    for kind in KINDS:
        options = [(i, leak) for i, leak in eligible[kind] if i not in leaking]
        i, leak = rng.choice(options)
        leaking[i] = leak
    artefacts: dict[str, dict[str, Any]] = {a: {"title": _(t.strip()).format_map(fill), "fields": {}} for a, t in
                                            data["artefacts"].items()}  # the bank's texts are extracted
    key: dict[str, str] = {}
    by_artefact: dict[str, list[int]] = {}
    for i, f in enumerate(data["fields"]):
        by_artefact.setdefault(f["artefact"], []).append(i)
    for letter, indices in by_artefact.items():
        rng.shuffle(indices)
        for n, i in enumerate(indices, 1):
            f, item = data["fields"][i], f"{letter}{n}"
            value = leaking[i]["value"] if i in leaking else rng.choice(f["clean"])
            artefacts[letter]["fields"][item] = [_(f["label"]), value.format_map(fill)]
            if i in leaking:
                key[item] = leaking[i]["kind"]
    brief = _("A colleague built this research set-up to watch a recruiter online. Before it is used, audit "
              "it: compare every field of the artefacts below with the card 'who is who', and list each field "
              "that leaks, with the kind of leak. Leave out the fields that are safe. If a field fits two "
              "kinds, ask the kinds in the order they are listed: the first that fits is its kind.")
    exercise = {"title": _("OPSEC audit"), "brief": brief, "card": _card(fill), "artefacts": artefacts,
                "kinds": {k: _(data["kinds"][k].strip()) for k in ORDER}}
    return exercise, {"leaks": key}


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("WHO IS WHO")]
    lines += [f"  {label}: {value}" for label, value in exercise["card"]]
    lines += ["", _("KINDS OF LEAK")]
    lines += [f"  {k}: {v}" for k, v in exercise["kinds"].items()]
    for letter, artefact in exercise["artefacts"].items():
        lines += ["", _("ARTEFACT {letter}: {title}").format(letter=letter, title=artefact["title"])]
        lines += [f"  {item}  {label}: {value}" for item, (label, value) in artefact["fields"].items()]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def field_ids(exercise: dict[str, Any]) -> list[str]:
    return [item for artefact in exercise["artefacts"].values() for item in artefact["fields"]]


def _leaks(value: Any, exercise: dict[str, Any]) -> dict[str, str]:
    if type(value) is not dict:
        return {}
    ids, kinds = set(field_ids(exercise)), exercise["kinds"]
    return {item: items.norm_choice(v) for item, v in value.items()
            if item in ids and type(v) is str and items.norm_choice(v) in kinds}


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    return items.shape_problems(value, field_ids(exercise), None, list(exercise["kinds"]), allow_none=True)


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    return {f"{item}|{kind}" for item, kind in _leaks(value, exercise).items()}


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    return {f"{item}|{kind}": _("a leak of the kind '{kind}'").format(kind=kind) for item, kind in key["leaks"].items()}


def hint_extras(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, Any]:
    """How many leaks each artefact holds (a practice check may say 'artefact D still has a leak')."""
    counts: dict[str, int] = {}
    for item in key["leaks"]:
        counts[item[0]] = counts.get(item[0], 0) + 1
    return {"artefacts": counts}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    """F1 over (field, kind): finding the leaking fields, each with its kind."""
    return scoring.prf(answer_atoms(part, value, exercise), {f"{i}|{k}" for i, k in key["leaks"].items()}).f1


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    return dict(key["leaks"])


def feedback(part: str, value: Any, exercise: dict[str, Any], hints: items.Hints) -> list[str]:
    """Practice-mode check: per field, whether it is no leak or another kind; per artefact, what is missing."""
    given = _leaks(value, exercise)
    lines: list[str] = []
    found_in: set[str] = set()
    for item, kind in given.items():
        if hints.has(f"{item}|{kind}"):
            found_in.add(item)
        elif any(hints.has(f"{item}|{other}") for other in exercise["kinds"]):
            lines.append(_("{item}: a leak, but of another kind.").format(item=item))
        else:
            lines.append(_("{item}: not a leak; compare it with the card again.").format(item=item))
    for letter, count in hints.extras.get("artefacts", {}).items():
        fields = exercise["artefacts"][letter]["fields"]
        if sum(item in fields for item in found_in) < count:
            lines.append(_("Artefact {letter} still has a leak you have not listed.").format(letter=letter))
    if not lines:
        lines.append(_("Every leak is found, each with its kind. Well done."))
    return lines


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    """One choice per field: its kind of leak, or no leak (None, left out of the answer)."""
    options = items.coded_options(exercise["kinds"])
    return {"kind": "choice", "label": _("For each field: what kind of leak is it, or is it safe?"),
            "items": [{"id": item, "text": f"{label}: {value}"} for artefact in exercise["artefacts"].values()
                      for item, (label, value) in artefact["fields"].items()],
            "options": [*options, {"value": None, "label": _("no leak")}]}
