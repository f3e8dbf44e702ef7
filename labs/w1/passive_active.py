"""Lab w1-01 "Passive or active?": decide each proposed investigative action as a whole.

A variant draws 2 actions of each of the five decisions from the bank
(labs/w1-01-passive-active/bank.yml, 54 actions), fills them with names from the trainee's own
world and numbers them A1..A10 in a seeded order. The brief prints the rules, checked in order:

    not-allowed       no supervisor can approve it
    active-approval   someone sees or receives something from you: approval before you act
    too-much          passive, but collects people or years the case does not need
    passive-approval  passive, but watches one person again and again over time
    passive           passive and within the case: go ahead, and record it

One part, "actions": {"A1": "passive", ...}; each action scores only when its decision is right
(a whole decision: a constant answer earns one action in five).
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path
from typing import Any

from labs import items, names
from osintlab.i18n import N_, _

PARTS = {"actions": 6.0}
BANK_FILE = Path(__file__).resolve().parents[1] / "w1-01-passive-active" / "bank.yml"
PER_DECISION = 2
DECISIONS: dict[str, str] = {  # id -> what the trainee reads
    "not-allowed": N_("Not allowed: no supervisor can approve it"),
    "active-approval": N_("Active: approval needed before you act"),
    "too-much": N_("Passive, but too much: it collects more than the case needs"),
    "passive-approval": N_("Passive, but it watches one person over time: approval first"),
    "passive": N_("Passive: go ahead, and record it"),
}
RULES = [
    N_("Is it NOT ALLOWED, so that no supervisor can approve it? That is: threats or warnings to anyone; "
       "a password or login that is not yours, or a link or file that tracks or breaks into a device; "
       "posing as a real, existing person; talking someone into a crime they did not plan; contact from "
       "anything that shows who you are (your personal accounts, your work phone or e-mail, the unit's "
       "official page); putting a victim's photo, documents or details in public. Then: not-allowed."),
    N_("Is it ACTIVE: will anyone see or receive something from you (a message, a call, a comment or "
       "question, a reaction, a request to connect or join, an application, a CV, a click the owner is "
       "shown)? Then: active-approval."),
    N_("It is passive. Does it collect people who are not part of the case (followers, relatives, "
       "classmates, neighbours, everyone in a group or a place) or years of data the case does not "
       "need? Then: too-much."),
    N_("Does it watch one person again and again over a period (each day, each week, until a date)? "
       "Then: passive-approval."),
    N_("Otherwise it is passive and within the case: passive. Go ahead, and record it."),
]
BANK_SCHEMA = {
    "type": "object",
    "required": ["actions"],
    "additionalProperties": False,
    "properties": {"actions": {"type": "array", "minItems": 40, "items": {
        "type": "object", "required": ["decision", "text"], "additionalProperties": False,
        "properties": {"decision": {"enum": list(DECISIONS)}, "text": {"type": "string", "minLength": 20}}}}},
}


@cache
def bank() -> tuple[tuple[str, str], ...]:
    """(decision, text template) for every action of the bank file (validated)."""
    data = items.load_bank(BANK_FILE, BANK_SCHEMA)
    return tuple((a["decision"], a["text"]) for a in data["actions"])


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    rng = random.Random(f"w1-01\x1f{seed}")
    if case is not None:  # names, platforms and destination of the trainee's own world
        fill = names.from_case(rng, case)
    else:
        fill = {"user": names.username(rng, names.person(rng)), "board": rng.choice(names.BOARDS),
                "social": rng.choice(names.SOCIAL), "messenger": rng.choice(names.MESSENGERS),
                "dest": rng.choice(names.DESTINATIONS), "victim": names.person(rng)}
    chosen: list[tuple[str, str]] = []
    for decision in DECISIONS:
        chosen += rng.sample([b for b in bank() if b[0] == decision], PER_DECISION)
    rng.shuffle(chosen)
    actions = {f"A{i}": _(text).format_map(fill) for i, (_d, text) in enumerate(chosen, 1)}  # bank texts are extracted
    key = {f"A{i}": decision for i, (decision, _t) in enumerate(chosen, 1)}
    city = rng.choice(names.CITIES)
    brief = _("{victim}, 24, from {city}, left three weeks ago for a 'customer service job' in {dest}. "
              "The job was advertised by {user} on the job board {board}. The family says there has been "
              "no call home since the arrival. Your supervisor asks you to plan the first online steps. "
              "Below are the actions your team proposed: decide each one with the rules.").format(
        victim=fill["victim"], city=city, dest=fill["dest"], user=fill["user"], board=fill["board"])
    exercise = {"title": _("Passive or active?"), "brief": brief, "actions": actions,
                "decisions": {d: _(label) for d, label in DECISIONS.items()}, "rules": [_(rule) for rule in RULES]}
    return exercise, {"actions": key}


def render(exercise: dict[str, Any]) -> str:
    lines = [_("CASE BRIEF"), exercise["brief"], "", _("THE RULES (ask them in this order)")]
    lines += [f"{i}. {_(rule)}" for i, rule in enumerate(exercise["rules"], 1)]
    lines += ["", _("DECISIONS")]
    lines += [f"  {d}: {_(label)}" for d, label in exercise["decisions"].items()]
    lines += ["", _("PROPOSED ACTIONS")]
    lines += [f"{k}. {v}" for k, v in exercise["actions"].items()]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _decisions(value: Any, exercise: dict[str, Any]) -> dict[str, str]:
    """item -> decision id for every answered action (unknown items and decisions left out)."""
    if type(value) is not dict:
        return {}
    known = exercise["decisions"]
    return {item: items.norm_choice(v) for item, v in value.items()
            if item in exercise["actions"] and items.norm_choice(v) in known}


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    return items.shape_problems(value, list(exercise["actions"]), None, list(exercise["decisions"]))


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    return {f"{item}|{d}" for item, d in _decisions(value, exercise).items()}


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    # Translators: a hint's unit; {item} is an action's id such as A3.
    return {f"{item}|{d}": _("{item}: a decision").format(item=item) for item, d in key["actions"].items()}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    """Share of the actions whose whole decision matches the key."""
    given = _decisions(value, exercise)
    return sum(given.get(item) == d for item, d in key["actions"].items()) / len(key["actions"])


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    return dict(key["actions"])


def feedback(part: str, value: Any, exercise: dict[str, Any], hints: items.Hints) -> list[str]:
    """Practice-mode check: which actions are not right yet (never which decision is)."""
    given = _decisions(value, exercise)
    wrong = [item for item, d in given.items() if not hints.has(f"{item}|{d}")]
    missing = [item for item in exercise["actions"] if item not in given]
    lines = []
    if wrong:
        lines.append(_("Not right yet: {items}. Ask the rules again, in their order.").format(items=", ".join(wrong)))
    if missing:
        lines.append(_("No decision yet: {items}.").format(items=", ".join(missing)))
    if not wrong and not missing:
        lines.append(_("All decisions are right. Well done."))
    return lines


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    """One decision per action (labs/README.md, "Answer forms": choice)."""
    return {"kind": "choice", "label": _("Decide every action"),
            "items": [{"id": k, "text": v} for k, v in exercise["actions"].items()],
            "options": [{"value": d, "label": _(label)} for d, label in exercise["decisions"].items()]}
