"""Answerers for w3-02 Money trail (see tests/labs/validity.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.labs.validity import TraineeView

LAB = "w3-02-money-trail"
END = ("cash_out", "atm", "exchange_deposit")


def _t(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def trace(view: TraineeView, item: str) -> tuple[list[str], dict, str]:
    """Follow one payment: (ids after the first, cash-out {point, amount}, typology)."""
    rows = view.exercise["statements"]
    first = next(r for r in rows if r["id"] == view.exercise["families"][item]["payment"])
    path, current, channels = [], first, []
    while True:
        account = current["to"]
        arrived = current["received"] if current.get("received") is not None else current["amount"]
        after = [r for r in rows if r["from"] == account and _t(current["time"]) < _t(r["time"])
                 <= _t(current["time"]) + timedelta(hours=72)]
        exact = [r for r in after if abs(r["amount"] + r["fee"] - arrived) < 0.006]
        if exact:
            current = exact[0]
            path.append(current["id"])
            channels.append(current["channel"])
            if current["channel"] in END:
                return path, {"point": current["to"], "amount": current["amount"]}, _typology(channels, current)
            continue
        atm = [r for r in after if r["channel"] == "atm"]
        if atm:
            point = atm[0]["to"]
            cash = [r for r in atm if r["to"] == point]
            path += [r["id"] for r in cash]
            channels.append("atm")
            return path, {"point": point, "amount": sum(r["amount"] for r in cash)}, _typology(channels, cash[0])
        split = _split(after, arrived)
        if split:
            path += [r["id"] for r in split]
            channels.append("split")
            merged = dict(split[-1], amount=sum(r["amount"] for r in split), received=None)
            current = merged
            continue
        return path, {"point": account, "amount": arrived}, "digital_hundi"


def _split(after: list[dict], arrived: float) -> list[dict]:
    by_receiver: dict[str, list[dict]] = {}
    for r in sorted(after, key=lambda r: r["time"]):
        by_receiver.setdefault(r["to"], []).append(r)
    for rows in by_receiver.values():
        if len(rows) > 1 and abs(sum(r["amount"] + r["fee"] for r in rows) - arrived) < 0.006:
            return rows
    return []


def _typology(channels: list[str], last: dict) -> str:
    if "international" in channels:
        return "front_business"
    if last["channel"] == "exchange_deposit":
        return "crypto_offramp"
    if "split" in channels:
        return "structuring"
    if last["channel"] == "atm":
        return "mule_atm"
    return "agent_cash_out"


def careful(view: TraineeView) -> dict:
    out: dict = {"trail": {}, "cashout": {}, "typology": {}}
    for item in view.exercise["families"]:
        path, point, typology = trace(view, item)
        out["trail"][item], out["cashout"][item], out["typology"][item] = path, point, typology
    return out


def _first_receiver(view: TraineeView) -> dict:
    rows = view.exercise["statements"]
    out: dict = {"trail": {}, "cashout": {}}
    for item, fam in view.exercise["families"].items():
        first = next(r for r in rows if r["id"] == fam["payment"])
        out["trail"][item] = [r["id"] for r in rows if r["from"] == first["to"]]
        out["cashout"][item] = {"point": first["to"], "amount": fam["amount"]}
    return out


def _one_typology(name: str):
    return lambda view: {"typology": {item: name for item in view.exercise["families"]}}


NO_SKILL = {
    "nothing": lambda view: {},
    "everything": lambda view: {"trail": {i: [r["id"] for r in view.exercise["statements"]]
                                          for i in view.exercise["families"]}},
    "first receiver": _first_receiver,
    **{f"all {t}": _one_typology(t) for t in ("agent_cash_out", "structuring", "mule_atm", "digital_hundi",
                                              "front_business", "crypto_offramp")},
}
CAREFUL = careful
