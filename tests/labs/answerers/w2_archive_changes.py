"""Answerers for w2-05 "Archive and changes".

The careful reader lists each page's captures, keeps those with content (HTTP 200), drops the
noise line (views, "posted ... ago"), and compares neighbours: the first pair that differs in
substance is the change; a 404 after content is a deletion; nothing else is "none".
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from labs.w2.common import opsec_answer
from tests.labs.validity import TraineeView

LAB = "w2-05-archive-changes"


def _answer(changes: Any) -> dict[str, Any]:
    return {"changes": changes, "window": changes, "opsec": opsec_answer({"changes": changes, "window": changes})}


def nothing(view: TraineeView) -> dict[str, Any]:
    return {}


def nothing_changed(view: TraineeView) -> dict[str, Any]:
    return _answer({k: {"change": "none"} for k in view.exercise["pages"]})


def first_and_last(view: TraineeView) -> dict[str, Any]:
    """'It was deleted' for every page, dated by the first and last capture, no values."""
    out = {}
    for item, page in view.exercise["pages"].items():
        caps = view.sandbox.archive.captures(page["url"])
        out[item] = {"change": "deleted", "before": "", "after": "", "last_before": caps.capture_id.iloc[0],
                     "first_after": caps.capture_id.iloc[-1]}
    return _answer(out)


NO_SKILL = {"nothing": nothing, "nothing changed": nothing_changed, "deleted, first and last": first_and_last}

_FIELDS = {"destination": r"Work in (.+?)\.", "salary": r"Salary ([\d,]+) USD", "phone": r"Call or message (.+?)\.$"}


def _values(text: str) -> dict[str, str]:
    out = {}
    for name, pattern in _FIELDS.items():
        match = re.search(pattern, text, re.MULTILINE)
        out[name] = match.group(1).strip() if match else ""
    return out


def careful(view: TraineeView) -> dict[str, Any]:
    sb, ex = view.sandbox, view.exercise
    out = {}
    for item, page in ex["pages"].items():
        caps = sb.archive.captures(page["url"])
        content = [(row.capture_id, row.http_status) for row in caps.itertuples() if row.http_status in (200, 404)]
        answer: dict[str, Any] = {"change": "none", "before": "", "after": "", "last_before": "", "first_after": ""}
        for (old, old_status), (new, new_status) in pairwise(content):
            if old_status != 200:
                continue
            if new_status == 404:
                phone = _values(sb.archive.text(old))["phone"]
                answer = {"change": "deleted", "before": sb.footprint.normalise_phone(phone, ex["region"]), "after": "",
                          "last_before": old, "first_after": new}
                break
            a, b = _values(sb.archive.text(old)), _values(sb.archive.text(new))
            changed = [name for name in _FIELDS if a[name] != b[name]]
            if changed:
                name = changed[0]
                before, after = a[name], b[name]
                if name == "phone":
                    before = sb.footprint.normalise_phone(before, ex["region"])
                    after = sb.footprint.normalise_phone(after, ex["region"])
                answer = {"change": name, "before": before, "after": after, "last_before": old, "first_after": new}
                break
        out[item] = answer
    return _answer(out)


CAREFUL = careful
