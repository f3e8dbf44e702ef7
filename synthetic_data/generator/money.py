"""Financial accounts, everyday transactions and injected money-flow typologies.

A realistic background first (person-to-person transfers, salaries, shop payments), then
labelled typology subgraphs (AMLSim-style: fan-in, fan-out, cycle, scatter-gather,
gather-scatter, fiat to crypto cash-out), kept well under 5% of all transactions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

from synthetic_data.country import CountryPack
from synthetic_data.generator.context import Gen, iso
from synthetic_data.model import FinancialAccount, Journey, Person, Transaction, TypologyAttempt
from synthetic_data.safety import testnet_address

REPORTING_THRESHOLD_USD = 1_000  # structuring keeps each transfer just under this
# Memos people write on everyday transfers. Payments to traffickers carry the same ones: a memo
# like "ransom for a relative" would give the ledger exercise away (and nobody writes it).
NEUTRAL_MEMOS = ("", "", "", "thanks", "loan", "gift", "family", "rent", "for you")


def _fin(g: Gen, rail: str, provider: str, number: str, holder: str, country: str) -> FinancialAccount:
    account = FinancialAccount(g.new_id("fin"), rail, provider, number, holder, country)
    g.case.fin_accounts.append(account)
    return account


def _bank_number(g: Gen, pack: CountryPack) -> str:
    r = g.rng.randint
    return f"{pack.code}{r(10, 99)} {r(1000, 9999)} {r(1000, 9999)} {r(10, 99)}"


def open_accounts(g: Gen) -> None:
    for person in g.key.people:
        pack = g.dest if person.country == g.dest.code else g.origin
        roles = set(person.roles)
        if roles & {"mule", "victim", "family", "recruiter"} or g.chance(0.65):
            provider = g.wallet_provider.get(person.person_id) or g.pick(pack.wallets)
            wallet = _fin(g, "mobile", provider, person.phones[0], person.name_latin, pack.code)
            person.fin_accounts.append(wallet.fin_id)
            g.wallet_of[person.person_id] = wallet.fin_id
        if roles & {"mule", "recruiter", "broker", "financier"} or g.chance(0.35):
            bank = _fin(g, "bank", g.pick(pack.banks), _bank_number(g, pack), person.name_latin, pack.code)
            person.fin_accounts.append(bank.fin_id)
        if roles & {"financier"}:
            for _ in range(g.rng.randint(2, 3)):
                person.fin_accounts.append(_fin(g, "crypto", "Bitcoin testnet", testnet_address(g.rng), "", "").fin_id)


def _rate(g: Gen, fin: FinancialAccount) -> float:
    return g.dest.usd_rate if fin.country == g.dest.code else g.origin.usd_rate


def _currency(g: Gen, fin: FinancialAccount) -> str:
    if fin.rail == "crypto":
        return "BTC"
    return g.dest.currency if fin.country == g.dest.code else g.origin.currency


def _tx(
    g: Gen, sender: FinancialAccount, receiver: FinancialAccount, usd: float, moment: datetime, ref: str = ""
) -> Transaction:
    amount = round(usd / 60_000, 6) if sender.rail == "crypto" else round(usd * _rate(g, sender), 0)
    tx = Transaction(
        g.new_id("tx"),
        sender.rail if sender.rail == receiver.rail else "bank",
        iso(moment),
        sender.fin_id,
        receiver.fin_id,
        amount,
        _currency(g, sender),
        ref,
    )
    g.case.transactions.append(tx)
    return tx


def _fins(g: Gen, people: list[Person], rail: str | None = None) -> list[FinancialAccount]:
    by_id = {f.fin_id: f for f in g.case.fin_accounts}
    return [by_id[f] for p in people for f in p.fin_accounts if rail is None or by_id[f].rail == rail]


# ------------------------------------------------------------------ typologies


def _attempt(
    g: Gen, typology: str, txs: list[Transaction], roles: dict[str, str], cash_out: str | None = None, purpose: str = ""
) -> None:
    g.key.typologies.append(
        TypologyAttempt(g.new_id("att"), typology, [t.tx_id for t in txs], roles, cash_out, purpose)
    )


def fan_in(g: Gen, sources: list[FinancialAccount], sinks: list[FinancialAccount], purpose: str) -> None:
    """Victims or families pay the collector's wallet, each when the chats told them to.

    A journey whose thread gave the wallet number pays a few hours to two days after that message.
    A world without such threads keeps the plain pattern: many sources, one sink.
    """
    by_id = {f.fin_id: f for f in g.case.fin_accounts}
    collector = g.wallet_of.get(g.collector.person_id) if g.collector else None
    sink = by_id[collector] if collector in by_id else g.pick(sinks)
    txs: list[Transaction] = []
    for journey in g.key.journeys:
        payer, moment = _payer_and_moment(g, journey)
        wallet = g.wallet_of.get(payer) if payer else None
        if wallet is None or wallet not in by_id or moment is None:
            continue
        tx = _tx(g, by_id[wallet], sink, g.rng.randint(5, 30) * 100, moment, g.pick(NEUTRAL_MEMOS))
        journey.payments.append(tx.tx_id)
        journey.collector = sink.fin_id
        txs.append(tx)
    if not txs:
        start = g.moment(g.start + timedelta(days=30), g.end - timedelta(days=20))
        txs = [
            _tx(g, s, sink, g.rng.randint(5, 30) * 100, start + timedelta(hours=g.rng.randint(0, 300)),
                g.pick(NEUTRAL_MEMOS))
            for s in sources
        ]
    roles = {t.sender: "source" for t in txs}
    _attempt(g, "fan_in", txs, {**roles, sink.fin_id: "collector"}, purpose=purpose)


def _payer_and_moment(g: Gen, journey: Journey) -> tuple[str | None, datetime | None]:
    """Who pays on this journey, and when: a few hours to two days after the message that gives
    the wallet number (nobody pays a number they were never given)."""
    asked = g.pay_after.get(journey.victim)
    if asked is None:
        return None, None
    moment, role = asked
    payer = journey.family if role == "family" else journey.victim
    return payer, min(moment + timedelta(hours=g.rng.uniform(2, 48)), g.end)


def fan_out(g: Gen, sources: list[FinancialAccount], sinks: list[FinancialAccount]) -> None:
    hub = g.pick(sources)
    targets = [f for f in sinks if f is not hub] or sinks
    start = g.moment(g.start + timedelta(days=40), g.end - timedelta(days=10))
    txs = [
        _tx(
            g,
            hub,
            g.pick(targets),
            REPORTING_THRESHOLD_USD * g.rng.uniform(0.85, 0.99),
            start + timedelta(hours=i * g.rng.randint(2, 20)),
        )
        for i in range(g.rng.randint(4, 8))
    ]
    _attempt(g, "fan_out", txs, {hub.fin_id: "hub", **{t.receiver: "recipient" for t in txs}})


def cycle(g: Gen, accounts: list[FinancialAccount]) -> None:
    ring = g.rng.sample(accounts, min(len(accounts), g.rng.randint(3, 4)))
    if len(ring) < 3:
        return
    usd = g.rng.randint(20, 60) * 100
    moment = g.moment(g.start + timedelta(days=20), g.end - timedelta(days=15))
    txs = []
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        txs.append(_tx(g, a, b, usd, moment, "loan repayment"))
        usd *= g.rng.uniform(0.95, 0.99)
        moment += timedelta(hours=g.rng.randint(3, 48))
    _attempt(g, "cycle", txs, {a.fin_id: "ring" for a in ring})


def scatter_gather(
    g: Gen,
    sources: list[FinancialAccount],
    middle: list[FinancialAccount],
    sinks: list[FinancialAccount],
    gather_first: bool = False,
) -> None:
    moment = g.moment(g.start + timedelta(days=30), g.end - timedelta(days=15))
    mids = g.rng.sample(middle, min(len(middle), g.rng.randint(2, 4)))
    txs: list[Transaction] = []
    if gather_first:  # many sources -> one hub -> many sinks
        hub = g.pick(sinks)
        for s in sources:
            txs.append(_tx(g, s, hub, g.rng.randint(3, 12) * 100, moment))
            moment += timedelta(hours=g.rng.randint(1, 12))
        for m in mids:
            txs.append(_tx(g, hub, m, g.rng.randint(5, 15) * 100, moment))
            moment += timedelta(hours=g.rng.randint(1, 12))
        roles = {**{s.fin_id: "source" for s in sources}, hub.fin_id: "hub", **{m.fin_id: "recipient" for m in mids}}
        _attempt(g, "gather_scatter", txs, roles)
        return
    source, sink = g.pick(sources), g.pick(sinks)
    usd = g.rng.randint(30, 80) * 100
    for m in mids:
        txs.append(_tx(g, source, m, usd / len(mids), moment))
        moment += timedelta(hours=g.rng.randint(1, 24))
    for m in mids:
        txs.append(_tx(g, m, sink, usd / len(mids) * 0.97, moment))
        moment += timedelta(hours=g.rng.randint(1, 24))
    _attempt(
        g, "scatter_gather", txs, {source.fin_id: "source", **{m.fin_id: "layer" for m in mids}, sink.fin_id: "sink"}
    )


def crypto_cashout(g: Gen, sources: list[FinancialAccount], financier: Person) -> None:
    """Fiat to an OTC desk, bought as testnet-style coins, hopped through the financier's
    addresses, deposited at an exchange abroad, and paid out in local money to a suspect there."""
    wallets = _fins(g, [financier], "crypto")
    if not wallets:
        return
    adjectives = g.content["background"]["adjectives"]
    otc_name = g.content["platforms"]["services"]["otc_desk"]["name"].format(adj=g.pick(adjectives))
    otc_bank = _fin(g, "bank", g.pick(g.origin.banks), _bank_number(g, g.origin), otc_name, g.origin.code)
    otc_coin = _fin(g, "crypto", "Bitcoin testnet", testnet_address(g.rng), "", "")
    exchange_name = g.content["platforms"]["services"]["crypto_exchange"]["name"]
    deposit = _fin(g, "crypto", "Bitcoin testnet", testnet_address(g.rng), "", "")
    exchange_bank = _fin(g, "bank", g.pick(g.dest.banks), _bank_number(g, g.dest), exchange_name, g.dest.code)
    receivers = _fins(g, g.people("broker"), "bank")
    payout = g.pick(receivers) if receivers else _fin(
        g, "bank", g.pick(g.dest.banks), _bank_number(g, g.dest), financier.name_latin, g.dest.code)
    source = g.pick(sources)
    usd = g.rng.randint(40, 120) * 100
    moment = g.moment(g.start + timedelta(days=60), g.end - timedelta(days=5))
    txs = [_tx(g, source, otc_bank, usd, moment, "invoice")]
    steps = [(otc_coin, wallets[0], 0.97), *((a, b, 0.96) for a, b in pairwise(wallets)),
             (wallets[-1], deposit, 0.95), (exchange_bank, payout, 0.94)]
    for sender, receiver, share in steps:
        moment += timedelta(hours=g.rng.randint(1, 30))
        txs.append(_tx(g, sender, receiver, usd * share, moment, "withdrawal" if sender is exchange_bank else ""))
    roles = {
        source.fin_id: "source",
        otc_bank.fin_id: "otc_desk",
        otc_coin.fin_id: "otc_desk",
        **{w.fin_id: "hop" for w in wallets},
        deposit.fin_id: "exchange",
        exchange_bank.fin_id: "exchange",
        payout.fin_id: "cash_out",
    }
    _attempt(g, "crypto_cashout", txs, roles, cash_out=payout.fin_id)


def inject_typologies(g: Gen) -> None:
    for item in g.scenario.data["money"]:
        sources = _fins(g, g.people(item["from"]), "mobile")
        sinks = _fins(g, g.people(item["to"]))
        if not sources or not sinks:
            continue
        typology = item["typology"]
        if typology == "fan_in":
            fan_in(g, sources, [s for s in sinks if s.rail == "mobile"] or sinks, item.get("purpose", ""))
        elif typology == "fan_out":
            fan_out(g, sources, sinks)
        elif typology == "cycle":
            cycle(g, _fins(g, g.people(item["from"])))
        elif typology in ("scatter_gather", "gather_scatter"):
            others = _fins(g, g.people("mule") + g.people("recruiter"))
            scatter_gather(g, sources, others, sinks, gather_first=typology == "gather_scatter")
        elif typology == "crypto_cashout" and g.people(item["to"]):
            crypto_cashout(g, _fins(g, g.people(item["from"]), "bank") or sources, g.people(item["to"])[0])


# ------------------------------------------------------------------ background


def background_transactions(g: Gen) -> None:
    adjectives = g.content["background"]["adjectives"]
    shops = [
        _fin(g, "bank", g.pick(g.origin.banks), _bank_number(g, g.origin), f"{g.pick(adjectives)} Mart", g.origin.code)
        for _ in range(12)
    ]
    employers = [
        _fin(g, "bank", g.pick(g.origin.banks), _bank_number(g, g.origin), f"{g.pick(adjectives)} LLC", g.origin.code)
        for _ in range(8)
    ]
    by_id = {f.fin_id: f for f in g.case.fin_accounts}
    personal = [
        by_id[f]
        for p in g.key.people
        if "bystander" in p.roles or "namesake" in p.roles
        for f in p.fin_accounts
        if by_id[f].rail != "crypto"
    ] or [f for f in g.case.fin_accounts if f.rail == "mobile"]
    target = g.size.transactions - len(g.case.transactions)
    lo = g.start - timedelta(days=90)
    for _ in range(max(0, target)):
        roll = g.rng.random()
        moment = g.moment(lo, g.end)
        if roll < 0.55:
            a, b = g.pick(personal), g.pick(personal)
            if a is b:
                continue
            _tx(
                g,
                a,
                b,
                round(g.rng.lognormvariate(3.0, 0.9), 2),
                moment,
                g.pick(NEUTRAL_MEMOS),
            )
        elif roll < 0.85:
            _tx(g, g.pick(personal), g.pick(shops), round(g.rng.lognormvariate(2.5, 0.8), 2), moment, "purchase")
        else:
            _tx(g, g.pick(employers), g.pick(personal), g.rng.randint(250, 700), moment, "salary")
    g.case.transactions.sort(key=lambda t: (t.time, t.tx_id))
