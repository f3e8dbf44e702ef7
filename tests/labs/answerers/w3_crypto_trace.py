"""Answerers for w3-03 Crypto trace (see tests/labs/validity.py)."""

from __future__ import annotations

from sandbox.crypto import Explorer
from tests.labs.validity import TraineeView

LAB = "w3-03-crypto-trace"


def careful(view: TraineeView) -> dict:
    explorer = Explorer(view.case)
    seed = view.exercise["seed_address"]
    cluster = explorer.cluster(seed, skip_coinjoin=True)
    start = next(t for t in explorer.txs if len(t.outputs) == 1 and len(t.inputs) > 1
                 and not explorer.is_coinjoin(t) and {i["address"] for i in t.inputs} <= cluster)
    cluster.add(start.outputs[0]["address"])
    peel, txid = [], explorer.spent_in(start.txid, 0)
    while txid:
        tx = explorer.tx(txid)
        peel.append(txid)
        if len(tx.outputs) == 1:
            break
        said = explorer.change(txid)
        change = said["type"] if said["type"] is not None else said["peel"]
        cluster.add(tx.outputs[change]["address"])
        txid = explorer.spent_in(txid, change)
    last = explorer.tx(peel[-1])
    out = last.outputs[0]
    sweep = explorer.tx(explorer.spent_in(last.txid, 0))
    tag = explorer.tags.get(sweep.outputs[0]["address"], "")
    exchange = next((e for e in view.exercise["exchanges"] if tag.startswith(e)), "")
    return {"cluster": sorted(cluster), "peel": peel,
            "deposit": {"address": out["address"], "exchange": exchange, "amount": out["value"]}}


def _everything(view: TraineeView) -> dict:
    explorer = Explorer(view.case)
    addresses = sorted({o["address"] for t in explorer.txs for o in t.outputs})
    return {"cluster": addresses, "peel": [t.txid for t in explorer.txs]}


def _seed_only(view: TraineeView) -> dict:
    explorer = Explorer(view.case)
    seed = view.exercise["seed_address"]
    return {"cluster": [seed], "peel": explorer.transactions_of(seed),
            "deposit": {"address": seed, "exchange": view.exercise["exchanges"][0], "amount": 1.0}}


NO_SKILL = {"nothing": lambda view: {}, "everything": _everything, "seed only": _seed_only}
CAREFUL = careful
