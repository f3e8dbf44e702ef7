"""Lab w1-02 "OPSEC audit": find and classify the leaks planted in a research setup.

Platforms, the target's handle and the persona's city come from the trainee's world (when the
lab uses one); the officer and the station are lab-owned. The setup is a numbered list of
facts about an officer's research persona. For each aspect
(phone, e-mail, photo, time zone, ...) a variant gets either a leaking or a clean fact, so
every trainee audits a different mix. The answer names each leaking fact and its category.
"""

from __future__ import annotations

import random
from typing import Any

from labs import items, names, scoring

PARTS = {"leaks": 8.0}
CATEGORIES = ["identity-link", "location", "timezone", "account-link", "tip-off"]

# aspect -> (leaking fact, its category, clean fact). Placeholders are filled per seed.
ASPECTS: dict[str, tuple[str, str, str]] = {
    "phone": ("The persona's {social} account was registered with the phone number {work_phone}.",
              "identity-link",
              "The persona's {social} account was registered with a prepaid SIM bought for the unit."),
    "email": ("The persona's password-recovery e-mail is {work_email}.",
              "identity-link",
              "The persona's password-recovery e-mail is {persona_email}, made only for this persona."),
    "photo": ("The persona's profile photo still holds GPS coordinates {lat}, {lon} in its EXIF data.",
              "location",
              "The persona's profile photo is a generated image; its EXIF data was removed."),
    "clock": ("The persona says it lives in {persona_city}, but the research browser reports the time zone "
              "Asia/Ulaanbaatar and all posts are made 09:00-17:00 Ulaanbaatar time.",
              "timezone",
              "The research browser's time zone and language match {persona_city}, where the persona says it lives."),
    "follows": ("The persona follows your personal {social} account {officer_user}, and you follow it back.",
                "account-link",
                "The persona follows 120 accounts about food, football and travel; none belongs to the team."),
    "browser": ("The persona is used in the same browser profile where your personal {social} account is logged in.",
                "account-link",
                "The persona is used only in a separate browser profile on the research laptop."),
    "views": ("From the persona you opened the profile of {target} 40 times in one day; {social} shows "
              "each user who visited their profile.",
              "tip-off",
              "You opened the profile of {target} twice, logged out, and saved captures instead of revisiting."),
    "likes": ("While scrolling, the persona 'liked' three old posts of {target} by mistake.",
              "tip-off",
              "The persona has never reacted to, commented on or shared any post of {target}."),
}
NOTES = {c: f"a leak of the kind '{c}'" for c in CATEGORIES}
ALWAYS_CLEAN = [
    "Screenshots go to the unit's evidence drive with the URL, date and time of capture.",
    "The persona account is 14 months old and posts about food and football every week.",
]


def _choose_leaks(rng: random.Random) -> set[str]:
    """5-6 leaking aspects covering all five categories."""
    by_cat: dict[str, list[str]] = {}
    for aspect, (_t, cat, _c) in ASPECTS.items():
        by_cat.setdefault(cat, []).append(aspect)
    leaks = {rng.choice(aspects) for aspects in by_cat.values()}
    rest = [a for a in ASPECTS if a not in leaks]
    return leaks | set(rng.sample(rest, rng.randint(0, 1)))


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    rng = random.Random(f"w1-02\x1f{seed}")
    officer, persona, target = names.person(rng), names.person(rng), names.person(rng)
    station, lat, lon = rng.choice(names.STATIONS)
    world = names.from_case(rng, case) if case is not None else {}
    fill = {"social": world.get("social") or rng.choice(names.SOCIAL), "work_phone": names.phone(rng),
            "work_email": names.email(rng, officer, "police-mn.example"),
            "persona_email": names.email(rng, persona, "mailbox.example"),
            "persona_city": world.get("dest_city") or rng.choice(["Bangkok", "Kuala Lumpur", "Phnom Penh"]),
            "officer_user": names.username(rng, officer, names.PRIVATE_TAGS),
            "target": world.get("user") or names.username(rng, target),
            "lat": f"{lat + rng.uniform(-0.0004, 0.0004):.5f}", "lon": f"{lon + rng.uniform(-0.0004, 0.0004):.5f}"}
    leaks = _choose_leaks(rng)
    facts: list[tuple[str, str | None]] = [
        (leak.format(**fill), cat) if aspect in leaks else (clean.format(**fill), None)
        for aspect, (leak, cat, clean) in ASPECTS.items()
    ] + [(text, None) for text in ALWAYS_CLEAN]
    rng.shuffle(facts)
    setup = {f"S{i}": text for i, (text, _c) in enumerate(facts, 1)}
    key = {f"S{i}": cat for i, (_t, cat) in enumerate(facts, 1) if cat}
    you = (f"You are {officer}, an officer at {station} ({lat:.4f}, {lon:.4f}). Your work phone is "
           f"{fill['work_phone']} and your work e-mail {fill['work_email']}. Your personal {fill['social']} "
           f"account is {fill['officer_user']}. Your persona, '{persona}', says it lives in "
           f"{fill['persona_city']}. The target is the recruiter {fill['target']}.")
    brief = ("A colleague built this research setup to watch a recruiter online. "
             "Before it is used, audit it. Find every fact that could expose the officer, the unit or the "
             "investigation, and say what kind of leak it is.")
    public = {"title": "OPSEC audit", "brief": brief, "you": you, "setup": setup, "categories": CATEGORIES}
    return public, {"leaks": key}


def render(exercise: dict[str, Any]) -> str:
    lines = ["TASK", exercise["brief"], "", "WHO IS WHO", exercise["you"], "", "THE SETUP"]
    lines += [f"{k}. {v}" for k, v in exercise["setup"].items()]
    lines += ["", "LEAK KINDS: " + ", ".join(exercise["categories"])]
    return "\n".join(lines)


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    return items.shape_problems(value, list(exercise["setup"]), None, CATEGORIES)


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    return items.atoms_of(value, None)


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    return {f"{fact}|{cat}": NOTES[cat] for fact, cat in key["leaks"].items()}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    """Half for finding the leaking facts (F1), half for finding them with the right kind (F1)."""
    atoms = answer_atoms(part, value, exercise)
    expected = set(expected_atoms(part, exercise, key))
    found = scoring.prf({a.split("|")[0] for a in atoms}, set(key["leaks"]))
    return 0.5 * found.f1 + 0.5 * scoring.prf(atoms, expected).f1


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    return key["leaks"]


# ---------------------------------------------------------------- answer form (drawn by labs/forms.py)


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    """One choice per fact: its kind of leak, or safe (left out of the answer)."""
    options = [{"value": c, "label": c.replace("-", " ")} for c in exercise["categories"]]
    return {"kind": "choice", "label": "For each fact: what kind of leak is it, or is it safe?",
            "items": [{"id": k, "text": v} for k, v in exercise["setup"].items()],
            "options": [*options, {"value": None, "label": "safe (no leak)"}]}
