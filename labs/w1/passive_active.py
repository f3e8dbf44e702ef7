"""Lab w1-01 "Passive or active?": classify proposed investigative actions from a case brief.

Each action has three answers: mode (passive/active), authorisation (not needed/needed
before you act) and proportionate (yes/no). The actions are drawn per seed from a bank and
filled with lab-owned synthetic names, so every trainee variant has a different set.
"""

from __future__ import annotations

import random
from typing import Any

from labs import items, names

PARTS = {"actions": 6.0}
FIELDS = {"mode": ["passive", "active"], "authorisation": ["not needed", "needed"], "proportionate": ["yes", "no"]}

# (text, mode, authorisation, proportionate). Placeholders are filled per seed.
BANK: list[tuple[str, str, str, str]] = [
    ("Open the public job ad by {user} on {board} and save a full-page capture with the URL, date and time.",
     "passive", "not needed", "yes"),
    ("Search {board} for other public ads that give the same phone number as the ad.",
     "passive", "not needed", "yes"),
    ("Look at the public {social} profile of {user} without logging in and note when the account was created.",
     "passive", "not needed", "yes"),
    ("Check the web archive for older versions of the ad's URL to see what was changed.",
     "passive", "not needed", "yes"),
    ("Search the public company register for the company name used in the ad.",
     "passive", "not needed", "yes"),
    ("Save the public profiles of all 900 followers of {user}, with their family photos, in case they matter later.",
     "passive", "not needed", "no"),
    ("Collect every public post that the relatives of {victim} wrote in the last ten years.",
     "passive", "not needed", "no"),
    ("Watch the public profile of {user} every day for three months and keep a log of each new post and contact.",
     "passive", "needed", "yes"),
    ("Reply to the ad from an undercover persona and ask which documents the job needs.",
     "active", "needed", "yes"),
    ("Ask to join the closed {social} group \"Work in {dest}\" with a persona to read the recruitment posts.",
     "active", "needed", "yes"),
    ("Start a chat with {user} on {messenger} as a job seeker to learn how travel is arranged.",
     "active", "needed", "yes"),
    ("Send {user} a friend request from your personal {social} account to see private posts.",
     "active", "needed", "no"),
    ("Message {user} as a relative of {victim} and threaten to call the police unless {victim} is sent home.",
     "active", "needed", "no"),
    ("Call the phone number in the ad from your own work mobile to ask about the job.",
     "active", "needed", "no"),
    ("Apply for the job with a persona, send a made-up passport copy and agree a travel date.",
     "active", "needed", "no"),
]
# How many actions of each (mode, authorisation, proportionate) a variant gets: 8 in all.
MIX = {("passive", "not needed", "yes"): 2, ("passive", "not needed", "no"): 1, ("passive", "needed", "yes"): 1,
       ("active", "needed", "yes"): 2, ("active", "needed", "no"): 2}
NOTES = {
    "mode": "a mode answer: ask 'does anyone see or receive something from me?'",
    "authorisation": "an authorisation answer: contact with a person, or watching one person over time, needs approval",
    "proportionate": "a proportionality answer: is it needed for this case, and no more than needed?",
}


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    rng = random.Random(f"w1-01\x1f{seed}")
    if case is not None:  # names, platforms and destination of the trainee's own world
        fill = names.from_case(rng, case)
    else:
        fill = {"user": names.username(rng, names.person(rng)), "board": rng.choice(names.BOARDS),
                "social": rng.choice(names.SOCIAL), "messenger": rng.choice(names.MESSENGERS),
                "dest": rng.choice(names.DESTINATIONS), "victim": names.person(rng)}
    victim = fill["victim"]
    chosen: list[tuple[str, str, str, str]] = []
    for labels, count in MIX.items():
        chosen += rng.sample([b for b in BANK if b[1:] == labels], count)
    rng.shuffle(chosen)
    actions = {f"A{i}": text.format_map(fill) for i, (text, *_rest) in enumerate(chosen, 1)}
    key = {f"A{i}": dict(zip(FIELDS, labels, strict=True)) for i, (_t, *labels) in enumerate(chosen, 1)}
    city = rng.choice(names.CITIES)
    brief = (f"{victim}, 24, from {city}, left three weeks ago for a 'customer service job' in {fill['dest']}. "
             f"The job was advertised by {fill['user']} on the job board {fill['board']}. "
             "The family says there has been no call home since the arrival. "
             "Your supervisor asks you to plan the first online steps. Below are actions your team proposed.")
    return {"title": "Passive or active?", "brief": brief, "actions": actions}, {"actions": key}


def render(exercise: dict[str, Any]) -> str:
    lines = ["CASE BRIEF", exercise["brief"], "", "PROPOSED ACTIONS"]
    lines += [f"{k}. {v}" for k, v in exercise["actions"].items()]
    return "\n".join(lines)


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    return items.shape_problems(value, list(exercise["actions"]), FIELDS)


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    return items.atoms_of(value, list(FIELDS))


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    return {f"{item}|{f}|{v}": NOTES[f] for item, labels in key["actions"].items() for f, v in labels.items()}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    """Share of the 3 x 8 answers that match the key."""
    expected = set(expected_atoms(part, exercise, key))
    return len(answer_atoms(part, value, exercise) & expected) / len(expected)


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    return key["actions"]


# ---------------------------------------------------------------- answer form (drawn by labs/forms.py)


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    """Three choices for each proposed action (labs/README.md, "Answer forms": records)."""
    labels = {"mode": "Mode", "authorisation": "Authorisation", "proportionate": "Proportionate?"}
    return {"kind": "records", "label": "Classify every action",
            "items": [{"id": k, "text": v} for k, v in exercise["actions"].items()],
            "fields": [{"name": f, "label": labels[f], "kind": "choice", "options": list(values)}
                       for f, values in FIELDS.items()]}
