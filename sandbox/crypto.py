"""A block explorer over the case's testnet-style ledger, and the tracing heuristics with their error.

Offline and small: the whole ledger of a case (10,000 transactions in a medium world) loads in
well under a second, where GraphSense or BlockSci need servers. Views follow the free tracing
tools' convention: inputs (senders) on the left, outputs (recipients) on the right, with tags.

Heuristics (names as in BlockSci's change_address.hpp; each returns the index of the output it
believes is change, or None when it cannot tell):
- fresh: the only output whose address was never seen before (Meiklejohn et al. 2013);
- round: in a two-output payment, the output that is NOT a round amount (BlockSci PowerOfTen);
- type: the only output with the same address type as all the inputs (BlockSci AddressType);
- peel: the larger of two outputs of a one-input transaction (BlockSci PeelingChain);
- reuse: an output paying back to an input address (BlockSci AddressReuse).
Common-input ownership (cluster) assumes every input of a transaction has one owner: a CoinJoin
breaks it. None of these is proof: `heuristic_report` measures each on a seized wallet whose own
records say which output was change (Möser & Narayanan 2022 built such ground truth).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from osintlab.errors import UserError
from osintlab.i18n import _

if TYPE_CHECKING:
    import pandas

    from synthetic_data.bundle import Case
    from synthetic_data.model import LedgerTx

SAT = 100_000_000


def address_type(address: str) -> str:
    """p2wpkh (tb1q…, 42 characters), p2wsh (tb1q…, 62) or p2tr (tb1p…)."""
    if address.startswith("tb1p") or address.startswith("bcrt1p"):
        return "p2tr"
    return "p2wpkh" if len(address) <= 44 else "p2wsh"


def sats(value: float) -> int:
    return round(value * SAT)


class Explorer:
    """The ledger of one case: transactions, addresses, tags, spends, heuristics."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.txs: list[LedgerTx] = sorted(case.ledger, key=lambda t: (t.time, t.txid))
        self.by_txid = {t.txid: t for t in self.txs}
        self.tags = {t.address: t.label for t in case.crypto_tags}

    @cached_property
    def _index(self) -> tuple[dict[tuple[str, int], str], dict[str, list[str]], dict[str, int]]:
        spent_by: dict[tuple[str, int], str] = {}
        by_address: dict[str, list[str]] = {}
        first_seen: dict[str, int] = {}
        for i, tx in enumerate(self.txs):
            for inp in tx.inputs:
                spent_by[(inp["txid"], inp["vout"])] = tx.txid
                by_address.setdefault(inp["address"], []).append(tx.txid)
            for out in tx.outputs:
                by_address.setdefault(out["address"], []).append(tx.txid)
                first_seen.setdefault(out["address"], i)
        return spent_by, by_address, first_seen

    # ------------------------------------------------------------ looking things up

    def tx(self, txid: str) -> LedgerTx:
        tx = self.by_txid.get(txid.strip())
        if tx is None:
            raise UserError(_("no transaction {txid} in this ledger: copy an id from a table.").format(txid=txid))
        return tx

    def spent_in(self, txid: str, n: int) -> str | None:
        """The transaction that spends output `n` of `txid`, or None if it is unspent."""
        return self._index[0].get((txid, n))

    def transactions_of(self, address: str) -> list[str]:
        return list(dict.fromkeys(self._index[1].get(address, [])))

    def address(self, address: str) -> pandas.DataFrame:
        """Every transaction of an address: time, txid, received or sent, value (tBTC)."""
        import pandas

        rows = []
        for txid in self.transactions_of(address):
            tx = self.by_txid[txid]
            got = sum(o["value"] for o in tx.outputs if o["address"] == address)
            sent = sum(i["value"] for i in tx.inputs if i["address"] == address)
            rows.append({"time": tx.time, "txid": txid, "received": round(got, 8), "sent": round(sent, 8),
                         "inputs": len(tx.inputs), "outputs": len(tx.outputs)})
        return pandas.DataFrame(rows, columns=["time", "txid", "received", "sent", "inputs", "outputs"])

    def show(self, txid: str) -> str:
        """A transaction as text: inputs on the left, outputs on the right, tags and where each output went."""
        tx = self.tx(txid)
        lines = [f"{tx.txid}  {tx.time}  block {tx.height}  fee {tx.fee:.8f} tBTC"]
        if self.is_coinjoin(tx):
            lines.append(_("  ! looks like a CoinJoin: many owners' inputs, equal outputs"))
        ins = [f"{i['address']} {i['value']:.8f}" + (f" [{self.tags[i['address']]}]" if i["address"] in self.tags
                                                    else "") for i in tx.inputs] or [_("(new coins)")]
        outs = []
        for o in tx.outputs:
            spent = self.spent_in(tx.txid, o["n"])
            tag = f" [{self.tags[o['address']]}]" if o["address"] in self.tags else ""
            outs.append(f"#{o['n']} {o['address']} {o['value']:.8f}{tag} -> "
                        + (spent[:12] + "…" if spent else _("unspent")))
        width = max(len(x) for x in ins)
        for k in range(max(len(ins), len(outs))):
            left = ins[k] if k < len(ins) else ""
            right = outs[k] if k < len(outs) else ""
            lines.append(f"  {left:<{width}}  {'=>' if k == 0 else '  '}  {right}")
        return "\n".join(lines)

    # ------------------------------------------------------------ heuristics

    @staticmethod
    def is_coinjoin(tx: LedgerTx) -> bool:
        """Three or more inputs from three or more addresses, and three or more outputs of one equal value."""
        if len(tx.inputs) < 3 or len({i["address"] for i in tx.inputs}) < 3:
            return False
        values = [o["value"] for o in tx.outputs]
        return max(values.count(v) for v in values) >= 3

    def cluster(self, seed: str, *, skip_coinjoin: bool = True) -> set[str]:
        """Addresses linked to `seed` by common-input ownership (optionally ignoring CoinJoins)."""
        found, todo = {seed}, [seed]
        while todo:
            address = todo.pop()
            for txid in self.transactions_of(address):
                tx = self.by_txid[txid]
                if address not in {i["address"] for i in tx.inputs}:
                    continue
                if skip_coinjoin and self.is_coinjoin(tx):
                    continue
                for inp in tx.inputs:
                    if inp["address"] not in found:
                        found.add(inp["address"])
                        todo.append(inp["address"])
        return found

    def change_fresh(self, tx: LedgerTx) -> int | None:
        position = self.txs.index(tx) if len(self.txs) < 50 else self._position(tx)
        first_seen = self._index[2]
        fresh = [o["n"] for o in tx.outputs if first_seen.get(o["address"]) == position]
        return fresh[0] if len(fresh) == 1 and len(tx.outputs) > 1 else None

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {t.txid: i for i, t in enumerate(self.txs)}

    def _position(self, tx: LedgerTx) -> int:
        return self._positions[tx.txid]

    @staticmethod
    def change_round(tx: LedgerTx) -> int | None:
        if len(tx.outputs) != 2:
            return None
        rounds = [sats(o["value"]) % 100_000 == 0 for o in tx.outputs]
        return tx.outputs[rounds.index(False)]["n"] if rounds.count(True) == 1 else None

    @staticmethod
    def change_type(tx: LedgerTx) -> int | None:
        kinds = {address_type(i["address"]) for i in tx.inputs}
        if len(kinds) != 1 or len(tx.outputs) < 2:
            return None
        same = [o["n"] for o in tx.outputs if address_type(o["address"]) in kinds]
        return same[0] if len(same) == 1 else None

    @staticmethod
    def change_peel(tx: LedgerTx) -> int | None:
        if len(tx.inputs) != 1 or len(tx.outputs) != 2:
            return None
        return max(tx.outputs, key=lambda o: o["value"])["n"]

    @staticmethod
    def change_reuse(tx: LedgerTx) -> int | None:
        back = [o["n"] for o in tx.outputs if o["address"] in {i["address"] for i in tx.inputs}]
        return back[0] if len(back) == 1 and len(tx.outputs) > 1 else None

    def heuristics(self) -> dict[str, Callable[[LedgerTx], int | None]]:
        return {"fresh": self.change_fresh, "round": self.change_round, "type": self.change_type,
                "peel": self.change_peel, "reuse": self.change_reuse}

    def change(self, txid: str) -> dict[str, int | None]:
        """What each change heuristic says about one transaction."""
        tx = self.tx(txid)
        return {name: rule(tx) for name, rule in self.heuristics().items()}

    def heuristic_report(self) -> pandas.DataFrame:
        """Each heuristic's precision and recall on the seized wallet (whose own addresses are tagged):
        for its payments the true change is the output back to one of its own addresses.
        Common-input ownership is measured as the share of a cluster that really is the wallet's."""
        import pandas

        own = {t.address for t in self.case.crypto_tags if t.category == "seized_wallet"}
        if not own:
            raise UserError(_("this case has no seized wallet with labelled addresses to measure on."))
        spends = [t for t in self.txs if t.inputs and all(i["address"] in own for i in t.inputs)
                  and len(t.outputs) > 1]
        truth = {t.txid: next((o["n"] for o in t.outputs if o["address"] in own), None) for t in spends}
        rows = []
        for name, rule in self.heuristics().items():
            said = {t.txid: rule(t) for t in spends}
            made = [k for k, v in said.items() if v is not None]
            right = [k for k in made if said[k] == truth[k]]
            with_change = [k for k, v in truth.items() if v is not None]
            rows.append({"heuristic": name, "transactions": len(spends), "answered": len(made),
                         "right": len(right), "precision": round(len(right) / len(made), 3) if made else None,
                         "recall": round(len(right) / len(with_change), 3) if with_change else None})
        for skip in (False, True):
            cluster: set[str] = set()
            for seed in sorted(own):
                if seed not in cluster:
                    cluster |= self.cluster(seed, skip_coinjoin=skip)
            label = "common inputs, CoinJoins skipped" if skip else "common inputs, naive"
            rows.append({"heuristic": label, "transactions": len(cluster), "answered": len(cluster),
                         "right": len(cluster & own), "precision": round(len(cluster & own) / len(cluster), 3),
                         "recall": round(len(cluster & own) / len(own), 3)})
        return pandas.DataFrame(rows, columns=["heuristic", "transactions", "answered", "right", "precision",
                                               "recall"])


def measure_on_key(case: Case, key: Any) -> pandas.DataFrame:
    """Trainer's view: each change heuristic's precision and recall on every transaction of the ledger,
    against the world's key (key/ledger.jsonl)."""
    import pandas

    explorer = Explorer(case)
    truth = {t.txid: t.change for t in key.ledger if t.kind in ("payment", "peel", "withdrawal")}
    rows = []
    for name, rule in explorer.heuristics().items():
        made = right = 0
        for txid, change in truth.items():
            said = rule(explorer.by_txid[txid])
            if said is not None:
                made += 1
                right += said == change
        with_change = sum(1 for c in truth.values() if c is not None)
        rows.append({"heuristic": name, "precision": round(right / made, 3) if made else None,
                     "recall": round(right / with_change, 3) if with_change else None})
    return pandas.DataFrame(rows, columns=["heuristic", "precision", "recall"])
