"""Lab w3-02 "Money trail": follow families' payments through wallets, agents and banks to the cash-out.

Four families (F1..F4) of the trainee's case each made one payment. The statements of every
account those payments passed through are in the exercise, with everyday traffic mixed in, the
providers' fees and the day's exchange rates. A forwarded transfer's amount plus its fee equals
what arrived; a cross-border transfer is credited at the day's rate.

- trail: per family, the ids of the transactions from the payment to the cash-out; F1 of the
  set (the family's own payment, given in the brief, is not counted), averaged over families.
- cashout: per family, the account number where the money left the traceable system and the
  amount credited there (0.6 for the point, 0.4 for the amount within 0.5 %).
- typology: per family, the typology (six published patterns, each with its source); accuracy.
"""

from __future__ import annotations

import random
from typing import Any

from labs import scoring
from labs.w3.common import close, id_list, world_key
from osintlab.i18n import N_, _

PARTS = {"trail": 5.0, "cashout": 4.0, "typology": 3.0}
HINT_UNITS = {"trail": N_("transactions"), "cashout": N_("answers"), "typology": N_("typologies")}
FAMILIES = 4


def typologies() -> dict[str, dict[str, str]]:
    from synthetic_data.generator.flows import TYPOLOGIES

    return {k: {"name": name, "source": source} for k, (name, source) in TYPOLOGIES.items()}


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    key = world_key(case)
    rng = random.Random(f"w3-02\x1f{seed}")
    flows = rng.sample(key.flows, min(FAMILIES, len(key.flows)))
    fins = {f.fin_id: f for f in case.fin_accounts}
    txs = {t.tx_id: t for t in case.transactions}
    accounts = {fid for f in flows for tid in f.tx_ids for fid in (txs[tid].sender, txs[tid].receiver)}
    rows = []
    for t in case.transactions:
        if t.sender in accounts or t.receiver in accounts:
            a, b = fins[t.sender], fins[t.receiver]
            rows.append({"id": t.tx_id, "time": t.time, "from": a.number, "from_holder": a.holder,
                         "from_provider": a.provider, "to": b.number, "to_holder": b.holder,
                         "to_provider": b.provider, "amount": t.amount, "currency": t.currency, "fee": t.fee,
                         "channel": t.channel or "transfer", "fx_rate": t.fx_rate, "received": t.received,
                         "received_currency": t.received_currency, "reference": t.reference})
    families, key_trail, key_cash, key_typ = {}, {}, {}, {}
    for i, flow in enumerate(flows, 1):
        item, first = f"F{i}", txs[flow.tx_ids[0]]
        payer = fins[first.sender]
        families[item] = {"payment": first.tx_id, "time": first.time, "from": payer.number,
                          "holder": payer.holder, "amount": first.amount, "currency": first.currency}
        key_trail[item] = flow.tx_ids[1:]
        key_cash[item] = {"point": fins[flow.cash_out].number, "amount": flow.amount_out, "currency": flow.currency}
        key_typ[item] = flow.typology
    brief = _("Families of victims paid money after the recruiters asked for it. Banks and mobile-money "
             "providers answered a court order with the statements below. For each family payment (F1 ... F4), "
             "follow the money to the point where it left the traceable system (cash-out), say how much arrived "
             "there, and name the typology. Fees are charged on top of the amount; a cross-border transfer is "
             "credited at the day's rate. Memos say little: follow the amounts and the times.")
    rates = [{"date": r.date, "base": r.base, "quote": r.quote, "rate": r.rate} for r in case.fx_rates]
    public = {"title": _("Money trail"), "brief": brief, "families": families, "statements": rows,
              "fx_rates": rates, "typologies": typologies()}
    return public, {"trail": key_trail, "cashout": key_cash, "typology": key_typ}


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("FAMILY PAYMENTS")]
    for item, f in exercise["families"].items():
        lines.append(f"  {item}: {f['time']}  " + _("{holder} ({account}) paid {amount} {currency}").format(
            holder=f["holder"], account=f["from"], amount=f"{f['amount']:,.2f}", currency=f["currency"])
            + "  " + _("[transaction {id}]").format(id=f["payment"]))
    lines += ["", _("TYPOLOGIES")]
    lines += [f"  {k}: {_(v['name'])} " + _("(source: {source})").format(source=v["source"])
              for k, v in exercise["typologies"].items()]
    lines += ["", _("{count} statement lines: {code} (a table with pandas: {table}).").format(
        count=len(exercise["statements"]), code="lab.exercise['statements']",
        table="pd.DataFrame(lab.exercise['statements'])")]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _items(exercise: dict[str, Any]) -> list[str]:
    return list(exercise["families"])


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    items = _items(exercise)
    if type(value) is not dict:
        examples = {"trail": '{"F1": ["tx-...", "tx-..."], ...}', "cashout": '{"F1": {"point": "...", "amount": 0}}',
                    "typology": '{"F1": "agent_cash_out", ...}'}
        return [_("give a dict like {example}.").format(example=examples[part])]
    problems = [_("{item} is not a family of this exercise ({items}).").format(item=repr(k), items=", ".join(items))
                for k in value if k not in items]
    ids = {r["id"] for r in exercise["statements"]}
    for k, v in value.items():
        if part == "trail":
            problems += [_("{item}: {value} is not a transaction id of the statements.").format(item=k, value=repr(t))
                         for t in id_list(v) if t not in ids]
        elif part == "cashout" and (type(v) is not dict or "point" not in v or "amount" not in v):
            problems.append(_("{item}: give {{'point': account number, 'amount': number}}.").format(item=k))
        elif part == "typology" and scoring.norm(v) not in exercise["typologies"]:
            problems.append(_("{item}: {value} is not one of {choices}.").format(
                item=k, value=repr(v), choices=", ".join(exercise["typologies"])))
    return problems[:6]


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if type(value) is not dict:
        return set()
    out = set()
    for k, v in value.items():
        if part == "trail":
            out |= {f"{k}|{t}" for t in id_list(v)}
        elif part == "cashout" and type(v) is dict:
            out.add(f"{k}|{str(v.get('point', '')).strip()}")
        elif part == "typology":
            out.add(f"{k}|{scoring.norm(v)}")
    return out


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == "trail":
        return {f"{k}|{t}": _("a transaction on the trail of {item}").format(item=k)
                for k, ts in key["trail"].items() for t in ts}
    if part == "cashout":
        return {f"{k}|{v['point']}": _("the cash-out point of {item}").format(item=k)
                for k, v in key["cashout"].items()}
    return {f"{k}|{v}": _("the typology of {item}").format(item=k) for k, v in key["typology"].items()}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if type(value) is not dict:
        return 0.0
    expected = key[part]
    total = 0.0
    for item, want in expected.items():
        given = value.get(item)
        if part == "trail":
            if type(given) is dict:  # the clickable form: {"transactions": "tx-1, tx-2"}
                given = str(given.get("transactions", "")).replace(",", " ").split()
            total += scoring.prf(set(id_list(given)), set(want)).f1
        elif part == "cashout":
            if type(given) is dict:
                total += 0.6 * (str(given.get("point", "")).strip() == want["point"])
                total += 0.4 * close(given.get("amount"), want["amount"], 0.005)
        else:
            total += scoring.norm(given) == want
    return total / len(expected)


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == "cashout":
        return {k: {"point": v["point"], "amount": v["amount"]} for k, v in key["cashout"].items()}
    return {k: (list(v) if part == "trail" else v) for k, v in key[part].items()}


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    items = [{"id": k, "text": _("{holder} paid {amount} {currency}").format(
                 holder=f["holder"], amount=f"{f['amount']:,.0f}", currency=f["currency"])}
             for k, f in exercise["families"].items()]
    if part == "typology":
        return {"kind": "choice", "items": items,
                "options": [{"value": k, "label": _(v["name"])} for k, v in exercise["typologies"].items()]}
    if part == "cashout":
        return {"kind": "records", "items": items,
                "fields": [{"name": "point", "label": _("cash-out account number"), "kind": "text"},
                           {"name": "amount", "label": _("amount credited there"), "kind": "number"}]}
    return {"kind": "records", "items": items,
            "fields": [{"name": "transactions", "label": _("transaction ids, in order"), "kind": "text"}],
            "note": _("in code: {example}").format(example="{'F1': ['tx-…', 'tx-…'], ...}")}
