"""Answerers for lab w1-04 (Job-ad triage): no skill, and a careful reader of the definitions.

The careful reader uses only what a trainee sees: the printed brief and red-flag definitions,
each ad's title, text and closing line, and the case through the sandbox (the names of the
platforms, the cities of the places gazetteer). It tags a red flag whenever the printed
definition fits, then escalates and orders by the brief's rule.
"""

from __future__ import annotations

import re
from typing import Any

from tests.labs.answerers._common import nothing
from tests.labs.validity import TraineeView

LAB = "w1-04-job-ad-triage"
FLAGS = ("RF-GENERIC-ROLE", "RF-HIGH-PAY", "RF-NO-EXPERIENCE", "RF-ALL-PAID", "RF-VAGUE-EMPLOYER",
         "RF-VAGUE-LOCATION", "RF-MESSENGER-MOVE", "RF-URGENT", "RF-TOURIST-TRAVEL", "RF-WORKER-FEE")


def _ads(view: TraineeView) -> dict[str, str]:
    return {item: f"{ad['title']}\n{ad['text']}" for item, ad in view.exercise["ads"].items()}


def one_label(view: TraineeView) -> dict[str, Any]:
    """The most common red flag on every ad; escalate in the printed order."""
    ads = list(_ads(view))
    return {"tags": {item: ["RF-HIGH-PAY"] for item in ads}, "escalate": ads}


def every_label(view: TraineeView) -> dict[str, Any]:
    ads = list(_ads(view))
    return {"tags": {item: list(view.exercise["indicators"]) for item in ads}, "escalate": ads}


def keyword_rules(view: TraineeView) -> dict[str, Any]:
    """A flag wherever a word of its name or definition appears; escalate by the count of hits."""
    words = {flag: [w for w in re.findall(r"[a-z]{4,}", f"{info['name']} {info['hint']}".lower())
                    if w not in {"with", "that", "from", "only", "often", "your", "work", "given", "days"}]
             for flag, info in view.exercise["indicators"].items()}
    tags = {item: [f for f, ws in words.items() if any(w in text.lower() for w in ws)]
            for item, text in _ads(view).items()}
    escalate = sorted((i for i, t in tags.items() if len(t) >= 2), key=lambda i: -len(tags[i]))
    return {"tags": tags, "escalate": escalate}


# ---------------------------------------------------------------- the careful reader

GENERIC = re.compile(r"customer service|chat support|typist|typing|data entry|online marketing|translat|"
                     r"simple office work|office work on a computer", re.I)
USD = re.compile(r"\bUSD\b|US\$|\$\s?\d", re.I)
NO_EXPERIENCE = re.compile(r"\bno (experience|diploma|skills?)\b|basic english|typing only|no cv needed", re.I)
PAID_THINGS = r"(ticket|flight|visa|accommodation|room|housing|meals|food|hotel|apartment)"
ALL_PAID = re.compile(rf"\b(free|paid by the company|company pays|pays your|are (all )?paid|is paid|provided|covered)\b"
                      rf"[^.]*\b{PAID_THINGS}\b|\b{PAID_THINGS}\b[^.]*\b(free|paid by the company|are (all )?paid|"
                      rf"provided|covered)\b", re.I)
NOT_COMPANY_PAID = re.compile(r"paid by the worker|you pay|worker pays", re.I)
VAGUE_EMPLOYER = re.compile(r"\b(an? (big|fast-growing|international|large)[\w -]*company|our partner company|"
                            r"overseas company|company name (will be|is) given|a big factory|partner factories|"
                            r"an international (online )?company|an international restaurant group)\b", re.I)
COMPANY_NAME = re.compile(r"\b([A-Z][\w&-]+ ){1,4}(Co\., Ltd\.|Group|Factory|Services|HR|Recruitment|Staffing|Jobs|"
                          r"Agency|Manpower|Logistics|Hotel|Resort|Restaurant|Garments?|Construction|Processing|"
                          r"Software|Overseas Jobs|Future HR|Link Staffing|Travel|Tours)\b")
URGENT = re.compile(r"places left|this week|decide today|leaves on|start next week|start immediately|"
                    r"applications close|departure this week|register today", re.I)
TOURIST = re.compile(r"tourist|on holiday|say you are|do not mention work", re.I)
FEE = re.compile(r"\b(fee|fees)\b", re.I)
NO_FEE = re.compile(r"\b(no|nothing|never|free of)\b.*\bfees?\b", re.I)
MESSENGER_WORDS = re.compile(r"\b(message|write to us|send your (cv|photo)|apply only by|chat)\b", re.I)


def flags_of(text: str, cities: list[str], messengers: list[str]) -> set[str]:
    found: set[str] = set()
    sentences = re.split(r"(?<=[.!?])\s+|\n+", text)
    if GENERIC.search(text):
        found.add("RF-GENERIC-ROLE")
    if USD.search(text):
        found.add("RF-HIGH-PAY")
    if NO_EXPERIENCE.search(text):
        found.add("RF-NO-EXPERIENCE")
    if any(ALL_PAID.search(s) and not NOT_COMPANY_PAID.search(s) for s in sentences):
        found.add("RF-ALL-PAID")
    if VAGUE_EMPLOYER.search(text) or not COMPANY_NAME.search(text):
        found.add("RF-VAGUE-EMPLOYER")
    if not any(re.search(rf"\b{re.escape(c)}\b", text) for c in cities):
        found.add("RF-VAGUE-LOCATION")
    for s in sentences:
        names_messenger = any(m.lower() in s.lower() for m in messengers)
        if names_messenger and re.search(r"\b(apply|send|write|message|contact|by)\b", s, re.I):
            found.add("RF-MESSENGER-MOVE")
        if MESSENGER_WORDS.search(s) and names_messenger:
            found.add("RF-MESSENGER-MOVE")
    if URGENT.search(text):
        found.add("RF-URGENT")
    if TOURIST.search(text):
        found.add("RF-TOURIST-TRAVEL")
    if any(FEE.search(s) and not NO_FEE.search(s) for s in sentences):
        found.add("RF-WORKER-FEE")
    return found


def priority(flags: set[str]) -> tuple[int, int]:
    return (int(bool(flags & {"RF-TOURIST-TRAVEL", "RF-URGENT"})), len(flags))


def careful(view: TraineeView) -> dict[str, Any]:
    from synthetic_data.country import load_country  # the real cities of the two countries: general knowledge

    case = view.case
    countries = case.manifest["countries"].values()
    known = {p.city for p in case.places} | {c.name for code in countries for c in load_country(code).cities}
    cities = sorted(known, key=len, reverse=True)
    messengers = [p.name for p in case.platforms if p.kind == "messenger"]
    tags = {item: flags_of(text, cities, messengers) for item, text in _ads(view).items()}
    escalate = sorted((i for i, t in tags.items() if len(t) >= 2), key=lambda i: (-priority(tags[i])[0],
                                                                                    -priority(tags[i])[1], int(i[1:])))
    return {"tags": {item: sorted(t) for item, t in tags.items()}, "escalate": escalate}


NO_SKILL = {
    "one label": one_label,
    "every label": every_label,
    "nothing": nothing,
    "keyword rules": keyword_rules,
}
CAREFUL = careful
