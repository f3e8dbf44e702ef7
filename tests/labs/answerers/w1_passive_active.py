"""Answerers for lab w1-01 (Passive or active?): no skill, and a careful reader of the rules.

The careful reader uses only the printed exercise (the rules and the action texts). It reads
each action the way the rules ask: first what the officer would do and with what (threats,
someone else's login, a real person's identity, an identifying account), then whether anyone
sees or receives something, then whom and how much it collects, then whether it repeats over a
period. It never looks at the bank file or the key.
"""

from __future__ import annotations

import re
from typing import Any

from tests.labs.answerers._common import first_match, nothing
from tests.labs.validity import TraineeView

LAB = "w1-01-passive-active"
PART = "actions"


def _actions(view: TraineeView) -> dict[str, str]:
    return dict(view.exercise["actions"])


def one_label(decision: str):  # type: ignore[no-untyped-def]
    def answer(view: TraineeView) -> dict[str, Any]:
        return {PART: {item: decision for item in _actions(view)}}

    answer.__name__ = f"always {decision}"
    return answer


def every_label(view: TraineeView) -> dict[str, Any]:
    """Every decision for every action (a list where one decision is asked)."""
    return {PART: {item: list(view.exercise["decisions"]) for item in _actions(view)}}


# Keyword rules built from the words of the printed rules, applied in the rules' order.
KEYWORDS = [
    ("not-allowed", ("threat", "warning", "password", "login", "real", "crime", "personal", "work phone",
                     "official page", "victim's photo", "in public")),
    ("active-approval", ("message", "call", "comment", "question", "reaction", "request", "connect", "join",
                         "application", "apply", "cv", "click")),
    ("too-much", ("followers", "relatives", "classmates", "neighbours", "everyone", "years")),
    ("passive-approval", ("each day", "each week", "until", "again")),
]


def keyword_rules(view: TraineeView) -> dict[str, Any]:
    return {PART: {item: first_match(text, KEYWORDS, "passive") for item, text in _actions(view).items()}}


# ---------------------------------------------------------------- the careful reader

# Rule 1: what no approval makes lawful (the officer's own act, not what others do or say).
THREAT = re.compile(r"^warn\b|\bthreaten|\b(say|tell)\b.*?\b(hurt|harm|unless)\b", re.I)
NOT_YOURS = re.compile(r"^(try|use|log in)\b.*?\b(password|login)s?\b", re.I)
TRACKING = re.compile(r"\blink that records\b|\btracking link\b|\bmalware\b|\bphishing\b", re.I)
REAL_PERSON = re.compile(r"\busing the name and photos of\b|\bpretend(ing)? to be\b", re.I)
INCITE = re.compile(r"^(talk|persuade|push)\b.*?\binto\b", re.I)
IDENTIFYING = re.compile(r"\b(from|use|using) (your|the unit's|your police station's) (personal|own work|official)\b",
                         re.I)
EXPOSE_VICTIM = re.compile(r"^(put|post|share|publish)\b.*?\b(passport|photo|documents|details)\b.*?\bpublic\b",
                           re.I)
# Rule 2: somebody sees or receives something (an act of the officer's, said by the sentence's verb).
ACTIVE_VERBS = re.compile(
    r"^(from the persona, |with the persona, |with a persona, )?"
    r"(reply|send|ask|call|answer|leave a|take part|press|react|add \S+ as a contact|message|start a chat|"
    r"comment|like|follow \S+'s account|apply|join)\b", re.I)
# Rule 3: collecting people who are not part of the case, or years of a person's posts.
COLLECT = r"\b(save|collect|download|copy|keep a copy|record|take screenshots)\b.*?"
OUTSIDERS = re.compile(
    COLLECT + r"\b(people who follow|followers|cousins|aunts|relatives|sisters|brothers|classmates|students in|"
    r"neighbours|lives in \S+ street|member list|everyone|from anyone|all [\d,]+ people|every person)\b", re.I)
YEARS = re.compile(COLLECT + r"\b(ten|\d+) years of .*?'s\b|" + COLLECT + r"\bsince (19|20)\d\d\b", re.I)
# Rule 4: again and again over a period.
REPEATED = re.compile(
    r"\b(each (day|week|shift|morning|evening)|every (day|week|morning|evening)|daily|twice a day|"
    r"for the next|over the (next|coming)|for (a|one|two|three|six) (month|week)s?|for six weeks|"
    r"until (the|a)|keep (watching|it running)|rest of the year|each day for)\b", re.I)


def decide(text: str) -> str:
    """The rules of the brief, asked in order."""
    if any(p.search(text) for p in (THREAT, NOT_YOURS, TRACKING, REAL_PERSON, INCITE, IDENTIFYING, EXPOSE_VICTIM)):
        return "not-allowed"
    if ACTIVE_VERBS.search(text):
        return "active-approval"
    if OUTSIDERS.search(text) or YEARS.search(text):
        return "too-much"
    if REPEATED.search(text):
        return "passive-approval"
    return "passive"


def careful(view: TraineeView) -> dict[str, Any]:
    return {PART: {item: decide(text) for item, text in _actions(view).items()}}


NO_SKILL = {
    **{f"always {d}": one_label(d) for d in ("passive", "passive-approval", "active-approval", "too-much",
                                              "not-allowed")},
    "every label": every_label,
    "nothing": nothing,
    "keyword rules": keyword_rules,
}
CAREFUL = careful
