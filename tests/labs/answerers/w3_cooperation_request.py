"""Answerers for w3-06 Preservation and cooperation request (see tests/labs/validity.py)."""

from __future__ import annotations

from tests.labs.validity import TraineeView

LAB = "w3-06-cooperation-request"
CHANNELS = ("preservation", "mla", "domestic", "emergency", "none")


def _suspects(view: TraineeView) -> dict[str, dict]:
    return {c: p for c, p in view.exercise["persons"].items() if p["status"].startswith("suspect")}


def _messages_of(view: TraineeView, handle: str) -> list[str]:
    return [m["time"] for m in view.exercise["messages"] if handle == m["from"] or handle in m["to"]]


def _payments_of(view: TraineeView, number: str) -> list[str]:
    return [t["time"] for t in view.exercise["payments"] if number in (t["from"], t["to"])]


def _need(text: str) -> str:
    """The reader's decision table, from the brief's channels."""
    t = text.lower()
    if "moved tonight" in t or "know now" in t:
        return "emergency"
    if "to be sure" in t or "already given a statement" in t:
        return "none"
    if "delete their accounts" in t or "keep the account's data" in t:
        return "preservation"
    if "your own country" in t:
        return "domestic"
    return "mla"


def careful(view: TraineeView) -> dict:
    ex = view.exercise
    preserve, records = [], []
    for person in _suspects(view).values():
        for handle in person["handles"]:
            times = _messages_of(view, handle)
            if times:
                preserve.append({"account": handle, "from": min(times)[:10], "to": max(times)[:10]})
        for account in person["accounts"]:
            times = _payments_of(view, account["number"])
            if times:
                channel = "domestic" if account["country"] == ex["requesting_country"] else "mla"
                records.append({"provider": account["provider"], "account": account["number"],
                                "from": min(times)[:10], "to": max(times)[:10], "channel": channel})
    return {"preserve": preserve, "records": records, "channel": {k: _need(v) for k, v in ex["needs"].items()}}


def _whole_file(view: TraineeView) -> tuple[str, str]:
    times = [m["time"] for m in view.exercise["messages"]] + [t["time"] for t in view.exercise["payments"]]
    return min(times)[:10], max(times)[:10]


def _everything(view: TraineeView) -> dict:
    start, end = _whole_file(view)
    handles = sorted({h for m in view.exercise["messages"] for h in [m["from"], *m["to"]]})
    accounts = sorted({(t[f"{side}_provider"], t[side]) for t in view.exercise["payments"] for side in ("from", "to")})
    return {"preserve": [{"account": h, "from": start, "to": end} for h in handles],
            "records": [{"provider": p, "account": a, "from": start, "to": end, "channel": "mla"}
                        for p, a in accounts]}


def _suspects_whole_period(view: TraineeView) -> dict:
    """Right persons and identifiers, but every range the whole file's period (over-broad)."""
    start, end = _whole_file(view)
    right = careful(view)
    return {part: [dict(row, **{"from": start, "to": end}) for row in right[part]] for part in ("preserve", "records")}


def _names(view: TraineeView) -> dict:
    """Persons' names where the platform needs usernames, and every person's account 'just in case'."""
    start, end = _whole_file(view)
    return {"preserve": [{"account": p["name"], "from": start, "to": end} for p in _suspects(view).values()],
            "records": [{"provider": a["provider"], "account": a["number"], "from": start, "to": end,
                         "channel": "domestic"} for p in view.exercise["persons"].values() for a in p["accounts"]]}


def _one_channel(label: str):
    return lambda view: {"channel": {k: label for k in view.exercise["needs"]}}


NO_SKILL = {
    "nothing": lambda view: {},
    "everything, whole period": _everything,
    "suspects, whole period": _suspects_whole_period,
    "names and every account": _names,
    **{f"all {c}": _one_channel(c) for c in CHANNELS},
}
CAREFUL = careful
