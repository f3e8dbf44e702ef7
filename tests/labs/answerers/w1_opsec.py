"""Answerers for lab w1-02 (OPSEC audit): no skill, and a careful auditor.

The careful auditor uses only the printed exercise: it reads the "who is who" card (the
officer's real name, birth date, phones, e-mails, own account and phone, the station and its
Wi-Fi, time zone and language; the unit's page; the persona's cover story; the target) and
compares every artefact field with it, asking the printed definitions of the kinds of leak.
"""

from __future__ import annotations

import math
import re
from typing import Any

from tests.labs.answerers._common import first_match, nothing
from tests.labs.validity import TraineeView

LAB = "w1-02-opsec-audit"
PART = "leaks"


def _fields(view: TraineeView) -> dict[str, tuple[str, str]]:
    artefacts = view.exercise["artefacts"].values()
    return {item: (label, value) for a in artefacts for item, (label, value) in a["fields"].items()}


def one_label(kind: str):  # type: ignore[no-untyped-def]
    def answer(view: TraineeView) -> dict[str, Any]:
        return {PART: {item: kind for item in _fields(view)}}

    return answer


# The words of the printed definitions, matched against each field (label and value).
KEYWORDS = [
    ("tip-off", ("reaction", "liked", "heart", "request", "comment", "wrote", "visit", "story")),
    ("account-link", ("follows", "signed in", "sync", "contacts", "browser profile", "profile you use")),
    ("location", ("gps", "network", "wi-fi", "station", "police", "lives in", "city")),
    ("clock-language", ("time zone", "clock", "language", "hours", "time")),
    ("identity-link", ("name", "birth", "phone", "e-mail", "face", "sim", "owner")),
]


def keyword_rules(view: TraineeView) -> dict[str, Any]:
    out = {}
    for item, (label, value) in _fields(view).items():
        kind = first_match(f"{label}: {value}", KEYWORDS, "")
        if kind:
            out[item] = kind
    return {PART: out}


def everything_visible(view: TraineeView) -> dict[str, Any]:
    """Every field, with the kind its label suggests."""
    out = {}
    for item, (label, _value) in _fields(view).items():
        out[item] = first_match(label, KEYWORDS, "identity-link")
    return {PART: out}


# ---------------------------------------------------------------- the careful auditor


def _card(view: TraineeView) -> dict[str, str]:
    return {label: value for label, value in view.exercise["card"]}


def _known(view: TraineeView) -> dict[str, Any]:
    card = _card(view)
    get = lambda prefix: next(v for k, v in card.items() if k.startswith(prefix))  # noqa: E731
    officer = get("You (the officer)")
    name, birth = officer.split(", born ")
    station = get("Your station")
    coords = re.search(r"\((-?\d+\.\d+), (-?\d+\.\d+)\)", station)
    tz_lang = get("Your time zone and language")
    persona_tz = get("The persona's time zone")
    persona = get("The persona (cover story)")
    return {
        "names": [n.lower() for n in name.split()],
        "birth": birth.strip(),
        "phones": re.findall(r"\+\d+", get("Your phones")),
        "emails": re.findall(r"[\w.+-]+@[\w.-]+", get("Your e-mails")),
        "own_handle": get("Your own ").strip().lstrip("@"),
        "device": get("Your own phone").strip(),
        "station": station.split(",")[0],
        "station_city": station.split(", ")[1].split(" (")[0],
        "wifi": station.rsplit("staff Wi-Fi ", 1)[1],
        "station_at": (float(coords.group(1)), float(coords.group(2))) if coords else None,
        "tz": tz_lang.split(" ")[0],
        "offset": re.search(r"UTC([+-]\d\d:\d\d)", tz_lang).group(1),  # type: ignore[union-attr]
        "language": tz_lang.rsplit(", ", 1)[1],
        "persona_offset": re.search(r"UTC([+-]\d\d:\d\d)", persona_tz).group(1),  # type: ignore[union-attr]
        "persona_city": persona.split("lives in ")[1].split(";")[0],
        "unit_page": re.search(r"@([\w.]+)", get("The unit")).group(1),  # type: ignore[union-attr]
        "target": re.search(r"@([\w.]+)", get("The target")).group(1),  # type: ignore[union-attr]
    }


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = math.radians(b[0] - a[0])
    dlon = math.radians(b[1] - a[1]) * math.cos(math.radians(a[0]))
    return 6371 * math.hypot(dlat, dlon)


CONNECTS = ("Follows", "Accounts signed in", "Browser profile", "Sync", "Contacts", "Apps signed in")


def audit(label: str, value: str, k: dict[str, Any]) -> str | None:
    low = value.lower()
    handles = {h.lower() for h in re.findall(r"@([\w.]+)", value)}
    # tip-off: the target can see the interest
    if k["target"].lower() in handles:
        interacts = re.search(r"\b(liked|heart|friend request|asked to follow|wrote|watched every story)\b", low)
        shown = "opened the profile" in low and "does not show" not in low and "shows" in low
        if interacts or shown:
            return "tip-off"
    # account-link: connected to the officer's or unit's own accounts or devices
    if label in CONNECTS:
        own = {k["own_handle"].lower(), k["unit_page"].lower()}
        mine = any(e.lower() in low for e in k["emails"]) or "your own" in low or "you use every day" in low
        if handles & own or mine:
            return "account-link"
    # clock-language: fits the officer, not the persona's city
    if k["tz"].lower() in low or k["language"].lower() in low:
        return "clock-language"
    if k["offset"] != k["persona_offset"] and k["offset"] in value:
        return "clock-language"
    # location: where the officer or the unit really is
    coords = re.search(r"(-?\d+\.\d+), (-?\d+\.\d+)", value)
    if coords and k["station_at"] and _km(k["station_at"], (float(coords.group(1)), float(coords.group(2)))) < 1:
        return "location"
    if k["wifi"].lower() in low or k["station"].lower() in low or "police car" in low or "station's network" in low:
        return "location"
    if k["station_city"] != k["persona_city"] and re.search(rf"\b{re.escape(k['station_city'].lower())}\b", low):
        return "location"
    # identity-link: shows who the officer is (other people's handles are theirs, not the officer's name)
    low = re.sub(rf"@{re.escape(k['target'].lower())}\b", "@target", low)
    digits = re.sub(r"\D", "", value)
    if any(re.sub(r"\D", "", p) in digits for p in k["phones"] if digits) or k["birth"] in value:
        return "identity-link"
    if any(e.lower() in low for e in k["emails"]) or "your own face" in low or "your own sim" in low:
        return "identity-link"
    if k["device"].lower() in low or any(re.search(rf"(?<![a-z]){re.escape(n)}", low) for n in k["names"]):
        return "identity-link"
    return None


def careful(view: TraineeView) -> dict[str, Any]:
    known = _known(view)
    out = {}
    for item, (label, value) in _fields(view).items():
        kind = audit(label, value, known)
        if kind:
            out[item] = kind
    return {PART: out}


NO_SKILL = {
    **{f"always {k}": one_label(k) for k in ("identity-link", "location", "clock-language", "account-link", "tip-off")},
    "nothing": nothing,
    "everything visible": everything_visible,
    "keyword rules": keyword_rules,
}
CAREFUL = careful
