"""Lab w3-03 "Crypto trace": cluster the financier's addresses, follow the peel chain, find the exchange.

The trainee's case holds a testnet-style UTXO ledger (case/ledger.jsonl), public tags of services
and a seized wallet's own records. The brief gives one address from the financier's phone.

- cluster: the addresses attributable to the same person: co-spent with the seed outside any
  CoinJoin, the consolidation's output and the change of every peel hop. F1 against the key.
  Naive common-input ownership also pulls in the strangers of a CoinJoin (precision falls).
- peel: the ids of the peel chain's transactions, from the first hop to the deposit at an
  exchange. F1 of the set.
- deposit: the deposit address at the end of the chain (0.5), the exchange that holds it (0.25)
  and the amount deposited in tBTC within 0.5 % (0.25).
The notebook shows each heuristic's measured error on the seized wallet (sandbox.crypto).
"""

from __future__ import annotations

import random
from typing import Any

from labs import scoring
from labs.w3.common import close, id_list, world_key
from osintlab.i18n import N_, _

PARTS = {"cluster": 4.0, "peel": 4.0, "deposit": 4.0}
HINT_UNITS = {"cluster": N_("addresses"), "peel": N_("transactions"), "deposit": N_("answers")}
EXCHANGES = ("Harbor Exchange", "Tidewater Coin Desk")


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    key = world_key(case)
    rng = random.Random(f"w3-03\x1f{seed}")
    peel = sorted((t for t in key.ledger if t.trail == "peel"), key=lambda t: t.step or 0)
    financier = next(a.owner for a in key.addresses if a.attributable)
    person = key.person_by_id[financier]
    fins = {f.fin_id: f for f in case.fin_accounts}
    known = [fins[f].number for f in person.fin_accounts if fins[f].rail == "crypto"]
    cluster = sorted(a.address for a in key.addresses if a.attributable and a.owner == financier)
    seeds = [a for a in known if a in cluster] or cluster
    seed_address = rng.choice(seeds[:1])  # the address co-spent in the CoinJoin: the naive trap is always there
    ledger = {t.txid: t for t in case.ledger}
    last = ledger[peel[-1].txid]
    deposit = last.outputs[0]
    owners = {a.address: a.owner for a in key.addresses}
    brief = _("The financier's phone, seized under a warrant, held a wallet app with the address below. "
             "Using the ledger explorer: (1) list every address you can attribute to the same person with sound "
             "methods (inputs spent together outside a CoinJoin, and change outputs); (2) follow the peel chain "
             "that starts after the coins were consolidated, hop by hop, to its end; (3) say where it ends: the "
             "deposit address, the exchange that holds it (the point where a customer can be identified by a "
             "lawful request) and the amount deposited.")
    public = {"title": _("Crypto trace"), "brief": brief, "seed_address": seed_address, "exchanges": list(EXCHANGES)}
    return public, {"cluster": cluster, "peel": [t.txid for t in peel],
                    "deposit": {"address": deposit["address"], "exchange": owners[deposit["address"]],
                                "amount": deposit["value"]}}


def render(exercise: dict[str, Any]) -> str:
    return "\n".join([_("TASK"), exercise["brief"], "",
                      _("Address from the financier's phone: {address}").format(address=exercise["seed_address"]),
                      _("Exchanges known in the region: {names}").format(names=", ".join(exercise["exchanges"])), "",
                      _("Open the explorer: {code}").format(
                          code="explorer = Explorer(lab.case)  (from sandbox.crypto import Explorer)")])


# ---------------------------------------------------------------- answers


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    from synthetic_data.safety import is_safe_crypto_address

    if part == "deposit":
        if type(value) is not dict or not {"address", "exchange", "amount"} <= set(value):
            return [_("give {example}.").format(example='{"address": "tb1...", "exchange": "...", "amount": 0.0}')]
        problems = []
        if not is_safe_crypto_address(str(value["address"])):
            problems.append(_("{value} is not a testnet address (tb1...).").format(value=repr(value["address"])))
        if value["exchange"] not in exercise["exchanges"]:
            problems.append(_("exchange must be one of {choices}.").format(choices=", ".join(exercise["exchanges"])))
        return problems
    items = id_list(value)
    if not items:
        return [_("give a list of addresses.") if part == "cluster" else _("give a list of transaction ids.")]
    if part == "cluster":
        return [_("{value} is not a testnet address.").format(value=repr(a))
                for a in items if not is_safe_crypto_address(a)][:5]
    return [_("{value} is not a transaction id (64 hex digits).").format(value=repr(t))
            for t in items if len(t) != 64][:5]


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if part == "deposit":
        return {str(value.get("address", "")).strip()} if type(value) is dict else set()
    return set(id_list(value))


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == "deposit":
        return {key["deposit"]["address"]: _("the deposit address at the end of the chain")}
    note = _("an address of the same person") if part == "cluster" else _("a hop of the peel chain")
    return {x: note for x in key[part]}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if part == "deposit":
        if type(value) is not dict:
            return 0.0
        want = key["deposit"]
        return (0.5 * (str(value.get("address", "")).strip() == want["address"])
                + 0.25 * (scoring.norm(value.get("exchange")) == scoring.norm(want["exchange"]))
                + 0.25 * close(value.get("amount"), want["amount"], 0.005))
    return scoring.prf(set(id_list(value)), set(key[part])).f1


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == "deposit":
        return dict(key["deposit"])
    return list(key[part])


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    if part == "deposit":
        return {"kind": "record", "fields": [
            {"name": "address", "label": _("deposit address"), "kind": "text"},
            {"name": "exchange", "label": _("exchange"), "kind": "choice",
             "options": [{"value": e, "label": e} for e in exercise["exchanges"]]},
            {"name": "amount", "label": _("amount deposited (tBTC)"), "kind": "number"}]}
    return {"kind": "text", "multiline": True,
            "placeholder": _("one address per line") if part == "cluster" else _("one transaction id per line")}
