"""Answerers for w3-04 Dark-web awareness (see tests/labs/validity.py)."""

from __future__ import annotations

import re

from sandbox.darkweb import SavedCopies, check_onion
from tests.labs.validity import TraineeView

LAB = "w3-04-dark-web"
FINGERPRINT = re.compile(r"key fingerprint: ([0-9A-F ]{49})")


def _safety(text: str) -> str:
    t = text.lower()
    if any(w in t for w in ("message the vendor", "click the links", "download", "post a warning", "pay the vendor")):
        return "never"
    if any(w in t for w in ("tor browser", "register", "test purchase", "keep watching")):
        return "specialist"
    return "allowed"


def careful(view: TraineeView) -> dict:
    copies = SavedCopies(view.case)
    canary = next(p for p in view.case.darkweb if p.kind == "canary")
    signed = set(canary.data["mirrors"])
    mirrors = {}
    for m, address in view.exercise["mirrors"].items():
        if not check_onion(address)["checksum_ok"]:
            mirrors[m] = "typo"
        else:
            mirrors[m] = "genuine" if address in signed else "phishing"
    key_of = {}
    for page_id in [view.exercise["target"]["page_id"], *(p["page_id"] for p in view.exercise["profiles"].values())]:
        found = FINGERPRINT.search(copies.read(page_id))
        key_of[page_id] = found.group(1) if found else ""
    target_key = key_of[view.exercise["target"]["page_id"]]
    vendor = [v for v, p in view.exercise["profiles"].items() if key_of[p["page_id"]] == target_key]
    contact = ""
    for v in vendor:
        text = copies.read(view.exercise["profiles"][v]["page_id"])
        handles = re.findall(r"Contact: \S+ (@\S+?)\.?$", text, flags=re.M)
        contact = contact or (handles[0].rstrip(".") if handles else "")
    return {"mirrors": mirrors, "vendor": vendor, "contact": contact,
            "safety": {s: _safety(t) for s, t in view.exercise["actions"].items()}}


def _same(label: str, part: str):
    def answer(view: TraineeView) -> dict:
        items = view.exercise["mirrors"] if part == "mirrors" else view.exercise["actions"]
        return {part: {k: label for k in items}}
    return answer


def _similar_name(view: TraineeView) -> dict:
    target = view.exercise["target"]["handle"]
    copies = SavedCopies(view.case)
    near = [v for v, p in view.exercise["profiles"].items() if p["handle"].startswith(target[:5])]
    contact = ""
    for v in near:
        handles = re.findall(r"(@\S+?)\.?$", copies.read(view.exercise["profiles"][v]["page_id"]), flags=re.M)
        contact = contact or (handles[0] if handles else "")
    return {"vendor": near, "contact": contact}


NO_SKILL = {
    "nothing": lambda view: {},
    **{f"all {x}": _same(x, "mirrors") for x in ("genuine", "typo", "phishing")},
    **{f"all {x}": _same(x, "safety") for x in ("allowed", "specialist", "never")},
    "every profile": lambda view: {"vendor": list(view.exercise["profiles"])},
    "similar name": _similar_name,
}
CAREFUL = careful
