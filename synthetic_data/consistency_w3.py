"""Does the Workshop 3 layer of a world hold together? The checks a financial investigator and a
block-explorer user would make (used by synthetic_data.consistency, and testable on their own).

    problems = list(violations(world))   # [] for a consistent world; else one sentence each

- **money trails** (key/flows.jsonl): every transaction exists; along a trail no account sends
  on more than arrived (amount plus fee against what was credited), and exactly what arrived
  unless the hop is an ATM (whole notes leave a remainder); hops in time order; the amount the
  key says reached the cash-out is what the statements credit there;
- **exchange rates**: a cross-border transfer uses the reference rate of its day
  (case/fx_rates.jsonl), in the direction of the transfer, and credits amount x rate, rounded to
  the receiving currency's minor unit;
- **the UTXO ledger**: each input spends an earlier output with the same address and value, no
  output is spent twice, inputs minus outputs is the fee, times and block heights in order;
- **references**: roles name persons of the key, the ledger's truth names its transactions,
  every address of the ledger has an owner in the key, tags name ledger addresses, saved dark-web
  pages and their truth match, and a mirror list's labels cover the addresses it shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

SAT = 100_000_000


def violations(world: Any) -> Iterator[str]:
    """Every inconsistency of the Workshop 3 records of `world`, one sentence each."""
    yield from _trails(world)
    yield from _rates(world)
    yield from _ledger(world)
    yield from _references(world)


# ---------------------------------------------------------------- money trails


def _credited(tx: Any) -> float:
    return tx.received if tx.received is not None else tx.amount


def _unit(value: float) -> float:
    """Rounding slack of an amount: a whole-unit currency rounds to 1, others to a cent."""
    return 1.0 if float(value).is_integer() else 0.01


def _trails(world: Any) -> Iterator[str]:
    txs = {t.tx_id: t for t in world.case.transactions}
    fins = {f.fin_id for f in world.case.fin_accounts}
    people = {p.person_id for p in world.key.people}
    for flow in world.key.flows:
        who = f"money trail {flow.flow_id}"
        missing = [t for t in flow.tx_ids if t not in txs]
        missing += [x for x, known in ((flow.family, people), (flow.cash_out, fins)) if x not in known]
        if missing:
            yield f"{who} names {', '.join(missing)}, which is not in the world."
            continue
        trail = [txs[t] for t in flow.tx_ids]
        for before, after in pairwise(trail):
            if after.time < before.time:
                yield f"{who}: {after.tx_id} ({after.time}) comes before {before.tx_id} ({before.time})."
        arrived: dict[str, float] = {}
        for tx in trail:
            arrived[tx.receiver] = arrived.get(tx.receiver, 0.0) + _credited(tx)
        for account in arrived:
            out = [t for t in trail[1:] if t.sender == account]
            if not out:
                continue
            sent = sum(t.amount + t.fee for t in out)
            slack = len(out) * _unit(arrived[account])
            if sent > arrived[account] + slack:
                yield f"{who}: {account} sends on {sent:,.2f} but only {arrived[account]:,.2f} arrived."
            elif all(t.channel != "atm" for t in out) and abs(sent - arrived[account]) > slack:
                yield (f"{who}: {account} received {arrived[account]:,.2f} but sends on {sent:,.2f} "
                       "(amount plus fee must equal what arrived).")
        cashed = sum(_credited(t) for t in trail if t.receiver == flow.cash_out)
        if abs(cashed - flow.amount_out) > _unit(flow.amount_out):
            yield f"{who}: the key says {flow.amount_out:,.2f} reached the cash-out, the statements {cashed:,.2f}."


# ---------------------------------------------------------------- exchange rates


def _rates(world: Any) -> Iterator[str]:
    rates = {(r.date, r.base, r.quote): r.rate for r in world.case.fx_rates}
    for tx in world.case.transactions:
        if tx.fx_rate is None:
            continue
        day = tx.time[:10]
        forward = rates.get((day, tx.currency, tx.received_currency))
        backward = rates.get((day, tx.received_currency, tx.currency))
        expected = forward if forward is not None else (1 / backward if backward else None)
        if expected is None:
            yield f"transaction {tx.tx_id} converts {tx.currency} to {tx.received_currency} on {day}, a day without " \
                  "a reference rate."
            continue
        # a rate quoted the other way is inverted and shown to 6 significant digits
        if abs(tx.fx_rate - expected) > (1e-9 if forward is not None else 5e-6) * expected:
            yield f"transaction {tx.tx_id} uses the rate {tx.fx_rate}, not the day's {expected:.6g}."
        if tx.received is None or abs(tx.received - tx.amount * tx.fx_rate) > _unit(tx.received):
            yield f"transaction {tx.tx_id} credits {tx.received} {tx.received_currency} for {tx.amount} x " \
                  f"{tx.fx_rate}."


# ---------------------------------------------------------------- the UTXO ledger


def _ledger(world: Any) -> Iterator[str]:
    outputs: dict[tuple[str, int], tuple[str, int, str]] = {}  # (txid, n) -> (address, sats, time)
    spent: set[tuple[str, int]] = set()
    last = ("", -1)
    for tx in sorted(world.case.ledger, key=lambda t: (t.time, t.txid)):
        if (tx.time, tx.height) < last and tx.height < last[1]:
            yield f"ledger transaction {tx.txid[:12]}… has block {tx.height}, below an earlier transaction's."
        last = (tx.time, tx.height)
        total_in = 0
        for i in tx.inputs:
            ref = (i["txid"], int(i["vout"]))
            value = round(float(i["value"]) * SAT)
            total_in += value
            if ref in spent:
                yield f"ledger transaction {tx.txid[:12]}… spends output {ref[0][:12]}…:{ref[1]} a second time."
            spent.add(ref)
            source = outputs.get(ref)
            if source is None:
                yield f"ledger transaction {tx.txid[:12]}… spends {ref[0][:12]}…:{ref[1]}, no earlier output."
            elif source[:2] != (i["address"], value):
                yield (f"ledger transaction {tx.txid[:12]}… spends {ref[0][:12]}…:{ref[1]} with another address "
                       "or value.")
        total_out = 0
        for o in tx.outputs:
            value = round(float(o["value"]) * SAT)
            total_out += value
            outputs[(tx.txid, int(o["n"]))] = (o["address"], value, tx.time)
        if tx.inputs and total_in - total_out != round(tx.fee * SAT):
            yield f"ledger transaction {tx.txid[:12]}…: inputs minus outputs is not its fee."
        if total_in < total_out and tx.inputs:
            yield f"ledger transaction {tx.txid[:12]}… pays out more than it spends."


# ---------------------------------------------------------------- references


def _references(world: Any) -> Iterator[str]:
    case, key = world.case, world.key
    people = {p.person_id for p in key.people}
    for role in key.roles:
        if role.person_id not in people:
            yield f"the network role of {role.person_id} names no person of the world."
    ledger = {t.txid: t for t in case.ledger}
    for truth in key.ledger:
        tx = ledger.get(truth.txid)
        if tx is None:
            yield f"the key's ledger transaction {truth.txid[:12]}… is not in the ledger."
        elif truth.change is not None and not 0 <= truth.change < len(tx.outputs):
            yield f"the key's change output {truth.change} of {truth.txid[:12]}… does not exist."
    owned = {a.address for a in key.addresses}
    seen = {o["address"] for t in case.ledger for o in t.outputs}
    for address in sorted(seen - owned):
        yield f"ledger address {address} has no owner in the key."
    for tag in case.crypto_tags:  # a seized wallet also lists addresses it made but never used
        if tag.category != "seized_wallet" and tag.address not in seen:
            yield f"the tag {tag.label!r} names {tag.address}, which no ledger transaction pays."
    pages = {p.page_id: p for p in case.darkweb}
    truths = {t.page_id: t for t in key.darkweb}
    for page_id in sorted(set(pages) ^ set(truths)):
        yield f"saved dark-web page {page_id} is only in the {'case' if page_id in pages else 'key'}."
    for truth in key.darkweb:
        if truth.person_id is not None and truth.person_id not in people:
            yield f"saved dark-web page {truth.page_id} names person {truth.person_id}, who does not exist."
        page = pages.get(truth.page_id)
        if page is not None and page.kind == "mirrors":
            shown = set(page.data.get("addresses", []))
            if shown != set(truth.details):
                yield f"the mirror list {truth.page_id} shows other addresses than its key labels."
