"""Lab w3-04 "Dark-web awareness": fake mirrors, vendor attribution from passive clues, officer safety.

Everything is a saved copy (case/darkweb.jsonl); nothing is visited, and nobody is contacted.

- mirrors: each address of a forum's "working mirrors" post (M1..) is genuine (on the market's
  signed list, checksum valid), typo (checksum fails: Tor refuses it) or phishing (valid checksum,
  not on the signed list). Macro F1 over the three labels.
- vendor: which other vendor profiles (V1..) are the same actor as the market vendor of the
  brief: the same key fingerprint, not a similar handle or the same wording. F1.
- contact: the messenger handle the actor gives on a linked profile (exact, "@" optional).
- safety: for each proposed action (S1..): allowed (offline, on saved copies), specialist (needs
  the specialist unit, an authorisation and an approved environment), or never. Macro F1.
"""

from __future__ import annotations

import random
import re
from typing import Any

from labs import scoring
from labs.items import coded_options
from labs.w3.common import id_list, labelled, macro_f1_labels, world_key
from osintlab.i18n import N_, NP_, _

PARTS = {"mirrors": 4.0, "vendor": 3.0, "contact": 2.0, "safety": 3.0}
HINT_UNITS = {"mirrors": N_("labels"), "vendor": N_("profiles"), "contact": N_("answers"), "safety": N_("labels")}
# Translators: the answer options of lab W3-04 (the brief names them): your word, then the English code in
# brackets, e.g. "word (genuine)". The code is what the answer holds.
MIRROR_LABELS = (NP_("answer option", "genuine"), NP_("answer option", "typo"), NP_("answer option", "phishing"))
SAFETY_LABELS = (NP_("answer option", "allowed"), NP_("answer option", "specialist"), NP_("answer option", "never"))
ACTIONS = {
    "allowed": [
        N_("Read the saved copy of the market page that the specialist unit gave you."),
        N_("Check an onion address's checksum offline with the course tool."),
        N_("Compare the key fingerprints shown on two saved vendor pages."),
        N_("Search the case's own records for a contact handle found on a saved page."),
        N_("Write down the time each saved copy was made (UTC) and its hash."),
    ],
    "specialist": [
        N_("Open the market's onion address in Tor Browser to see if the listing is still online."),
        N_("Register an account on the forum to read the members-only threads."),
        N_("Make a test purchase from the vendor to learn how documents are delivered."),
        N_("Keep watching the market every week for new listings by the vendor."),
    ],
    "never": [
        N_("Message the vendor from your own messenger account to ask for a price."),
        N_("Click the links inside a saved page from your office computer."),
        N_("Download the vendor's 'sample documents' onto the case laptop to look at them."),
        N_("Post a warning about the vendor on the forum under your own name."),
        N_("Pay the vendor from a personal wallet to see whether the listing is real."),
    ],
}
RULES = N_("Allowed for you: reading saved copies and checking things offline. Needs the specialist unit, an "
         "authorisation and an approved environment: anything that visits, registers, watches or buys. Never: "
         "contact from your own accounts, opening links or files from saved pages on office or personal devices, "
         "paying, or posting.")


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    key = world_key(case)
    rng = random.Random(f"w3-04\x1f{seed}")
    truths = {t.page_id: t for t in key.darkweb}
    pages = {p.page_id: p for p in case.darkweb}
    post = next(p for p in case.darkweb if p.kind == "mirrors")
    labels = truths[post.page_id].details
    mirrors = {f"M{i}": a for i, a in enumerate(post.data["addresses"], 1)}
    vendors = [p for p in case.darkweb if p.kind == "vendor"]
    market = next(p.title.split(":")[0] for p in case.darkweb if p.kind == "market_home")
    target = next(p for p in vendors if truths[p.page_id].person_id and p.data["site"] == market)
    others = [p for p in vendors if p.page_id != target.page_id]
    rng.shuffle(others)
    profiles = {f"V{i}": p.page_id for i, p in enumerate(others, 1)}
    same = [v for v, pid in profiles.items() if truths[pid].actor == truths[target.page_id].actor]
    linked = [pages[profiles[v]] for v in same]
    contact = next(m.group(1) for p in linked if (m := re.search(r"^Contact: .*?@(\S+?)\.?$", p.text, re.M)))
    actions = [(a, label) for label, texts in ACTIONS.items() for a in rng.sample(texts, 2 + (label == "allowed"))]
    rng.shuffle(actions)
    safety = {f"S{i}": _(text) for i, (text, _label) in enumerate(actions, 1)}  # the bank's texts are extracted
    brief = _("A specialist unit saved copies of a dark-web market and a forum where travel documents are sold. "
             "Nothing may be visited and nobody may be contacted. (1) A forum post lists 'working mirrors' of the "
             "market: label each address genuine, typo or phishing. (2) Which other vendor profiles belong to the "
             "same actor as the market vendor '{handle}'? (3) Which messenger handle does that "
             "actor give? (4) For each proposed action, say whether it is allowed for you, needs the specialist "
             "unit, or must never be done.").format(handle=target.data["handle"])
    public = {"title": _("Dark-web awareness"), "brief": brief, "rules": _(RULES), "mirrors": mirrors,
              "target": {"handle": target.data["handle"], "page_id": target.page_id},
              "profiles": {v: {"page_id": pid, "handle": pages[pid].data["handle"], "site": pages[pid].data["site"]}
                           for v, pid in profiles.items()}, "actions": safety}
    key_out = {"mirrors": {m: labels[a] for m, a in mirrors.items()}, "vendor": sorted(same), "contact": contact,
               "safety": {f"S{i}": label for i, (_text, label) in enumerate(actions, 1)}}
    return public, key_out


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("RULES"), exercise["rules"], "", _("MIRRORS IN THE FORUM POST")]
    lines += [f"  {m}: {a}" for m, a in exercise["mirrors"].items()]
    lines += ["", _("TARGET: vendor {handle} (saved page {page})").format(
        handle=exercise["target"]["handle"], page=exercise["target"]["page_id"]), "", _("OTHER VENDOR PROFILES")]
    lines += [f"  {v}: " + _("{handle} on {site} (saved page {page})").format(
        handle=p["handle"], site=p["site"], page=p["page_id"]) for v, p in exercise["profiles"].items()]
    lines += ["", _("PROPOSED ACTIONS")] + [f"  {s}: {t}" for s, t in exercise["actions"].items()]
    lines += ["", _("Saved pages: {code}").format(
        code="copies = SavedCopies(lab.case); copies.pages(); print(copies.read(page_id))")]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _handle(value: Any) -> str:
    return scoring.norm(value).lstrip("@") if type(value) is str else ""


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    if part == "contact":
        return [] if _handle(value) else [_("give the handle as text, like {example}.").format(example='"@handle"')]
    if part == "vendor":
        given = id_list(value)
        last = f"V{len(exercise['profiles'])}"
        return [_("{value} is not a profile (V1 to {last}).").format(value=repr(v), last=last)
                for v in given if v.upper() not in exercise["profiles"]][:5]
    items, labels = (exercise["mirrors"], MIRROR_LABELS) if part == "mirrors" else (exercise["actions"], SAFETY_LABELS)
    if type(value) is not dict:
        example = '{"' + next(iter(items)) + '": "' + labels[0] + '", ...}'
        return [_("give a dict like {example}.").format(example=example)]
    problems = [_("{item} is not an item of this exercise.").format(item=repr(k)) for k in value if k not in items]
    problems += [_("{item}: {value} is not one of {choices}.").format(item=k, value=repr(v), choices=", ".join(labels))
                 for k, v in value.items()
                 if scoring.norm(v) not in labels]
    return problems[:6]


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if part == "contact":
        return {_handle(value)} if _handle(value) else set()
    if part == "vendor":
        return {v.upper() for v in id_list(value)}
    items, labels = (exercise["mirrors"], MIRROR_LABELS) if part == "mirrors" else (exercise["actions"], SAFETY_LABELS)
    return {f"{k}|{v}" for k, v in labelled(value, items, labels).items()}


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == "contact":
        return {scoring.norm(key["contact"]): _("the actor's messenger handle")}
    if part == "vendor":
        return {v: _("a profile of the same actor") for v in key["vendor"]}
    # Translators: a hint's unit; {label} is an answer code such as genuine, typo, allowed or never.
    return {f"{k}|{v}": _("a {label} item").format(label=v) for k, v in key[part].items()}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if part == "contact":
        return float(_handle(value) == scoring.norm(key["contact"]))
    if part == "vendor":
        return scoring.prf({v.upper() for v in id_list(value)}, set(key["vendor"])).f1
    items, labels = (exercise["mirrors"], MIRROR_LABELS) if part == "mirrors" else (exercise["actions"], SAFETY_LABELS)
    return macro_f1_labels(labelled(value, items, labels), key[part])


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == "contact":
        return "@" + key["contact"]
    if part == "vendor":
        return list(key["vendor"])
    return dict(key[part])


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    if part == "contact":
        return {"kind": "text", "placeholder": "@handle"}
    if part == "vendor":
        return {"kind": "ranking", "items": [{"id": v, "text": f"{p['handle']} ({p['site']})"}
                                             for v, p in exercise["profiles"].items()]}
    items, labels = (exercise["mirrors"], MIRROR_LABELS) if part == "mirrors" else (exercise["actions"], SAFETY_LABELS)
    return {"kind": "choice", "items": [{"id": k, "text": t} for k, t in items.items()],
            "options": coded_options(labels)}
