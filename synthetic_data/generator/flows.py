"""Money trails of Workshop 3: families' payments through wallets, agents and banks to a cash-out.

Each trail follows one published typology (TYPOLOGIES, with its source) and is arithmetically
consistent: a forwarded transfer's amount plus its fee equals what arrived (fees are charged on
top, as the providers' statements show), cross-border transfers use the day's reference rate
(case/fx_rates.jsonl), and every hop comes hours after the one before. Memos are neutral
("payment", "goods"): the pattern, not the memo, tells the typology. The same accounts also
carry everyday transactions (noise) whose amounts never fit a trail's arithmetic.

Also here: the payments between suspects that a link chart shows (mule to financier, financier
to broker, broker to transporter, recruiter to document forger) and the phone shop (a decoy)
most suspects pay. Draws only from its own stream ("flows").
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from osintlab.i18n import N_
from synthetic_data.country import CountryPack
from synthetic_data.generator.context import Gen, iso
from synthetic_data.generator.network import NetworkLayer, bank
from synthetic_data.generator.streams import Stream
from synthetic_data.model import FinancialAccount, FlowTruth, FxRate, Person, Transaction

REPORTING_THRESHOLD_USD = 1_000  # the structuring typology keeps each transfer below this
NEUTRAL_REFERENCES = ("payment", "transfer", "", "family support", "loan", "thanks")

# typology -> (what an analyst calls it, the published indicator it follows); names are translated where shown
TYPOLOGIES: dict[str, tuple[str, str]] = {
    "agent_cash_out": (
        N_("Collection wallet, then cash-out at a mobile-money agent"),
        "BFIU (2018) MFS typologies: cash-in/cash-out and P2P transfers dominate; FATF-APG (2018) "
        "Financial Flows from Human Trafficking"),
    "structuring": (
        N_("Split into transfers below the reporting threshold, then cash at a bank counter"),
        "FATF-APG (2018) Financial Flows from Human Trafficking: structured transfers below reporting thresholds"),
    "mule_atm": (
        N_("Mule bank account emptied at one ATM"),
        "FATF-APG (2018) Financial Flows from Human Trafficking: accounts opened for others, cards held by "
        "third parties, withdrawals at the same ATM"),
    "digital_hundi": (
        N_("Digital hundi: wallet payment to an informal transfer operator"),
        "BFIU (2018) MFS typologies: 'digital hundi'; FATF (2022) ML/TF Risks Arising from Migrant Smuggling: hawala"),
    "front_business": (
        N_("Front business (recruitment or travel company), then a cross-border transfer"),
        "FATF (2022) ML/TF Risks Arising from Migrant Smuggling: travel agencies and transport companies"),
    "crypto_offramp": (
        N_("Deposit at a crypto exchange (virtual asset service provider)"),
        "UNODC (2024) Convergence of Cyber-Enabled Fraud, Underground Banking and Technological Innovation "
        "in Southeast Asia: unlicensed VASPs and stablecoins"),
}


def decimals(pack: CountryPack) -> int:
    """Minor units shown on statements: none for currencies of thousands per USD (MNT, KHR)."""
    return 0 if pack.usd_rate >= 1000 else 2


def unit(pack: CountryPack) -> int:
    return 10 ** max(0, int(math.log10(pack.usd_rate)) - 1)


def split_fee(incoming: float, rate: float, minimum: float, places: int) -> tuple[float, float]:
    """(amount, fee) with amount + fee == incoming exactly and fee ~ rate * amount (>= minimum)."""
    scale = 10**places
    total = round(incoming * scale)
    amount = math.floor(total / (1 + rate))
    fee = total - amount
    if fee < minimum * scale:
        fee = round(minimum * scale)
        amount = total - fee
    return amount / scale, fee / scale


class Money:
    """Helpers over one world's stream: accounts, transfers, the day's rate."""

    def __init__(self, g: Gen, s: Stream) -> None:
        self.g, self.s = g, s
        self.by_id = {f.fin_id: f for f in g.case.fin_accounts}
        self.rates: dict[str, float] = {}
        self.trail_amounts: dict[str, list[float]] = {}  # fin_id -> amounts a trail moves through it

    def pack(self, fin: FinancialAccount) -> CountryPack:
        return self.g.dest if fin.country == self.g.dest.code else self.g.origin

    def places(self, fin: FinancialAccount) -> int:
        return decimals(self.pack(fin))

    def currency(self, fin: FinancialAccount) -> str:
        return self.pack(fin).currency

    def tx(self, sender: FinancialAccount, receiver: FinancialAccount, amount: float, moment: datetime, *,
           fee: float = 0.0, channel: str = "", reference: str | None = None, trail: bool = False) -> Transaction:
        rail = sender.rail if sender.rail == receiver.rail else "bank"
        ref = self.s.pick(NEUTRAL_REFERENCES) if reference is None else reference
        tx = Transaction(self.s.new_id("tx"), rail, iso(moment), sender.fin_id, receiver.fin_id, float(amount),
                         self.currency(sender), ref, fee=float(fee), channel=channel)
        if sender.country != receiver.country:
            rate = self.rate(moment)
            if sender.country == self.g.dest.code:  # the day's reference rate is quoted origin -> destination
                rate = float(f"{1 / rate:.6g}")
            tx.fx_rate, tx.received_currency = rate, self.currency(receiver)
            tx.received = round(amount * rate, self.places(receiver))
            if self.places(receiver) == 0:
                tx.received = float(int(tx.received))
        self.g.case.transactions.append(tx)
        if trail:
            for fin in (sender, receiver):
                self.trail_amounts.setdefault(fin.fin_id, []).append(amount)
        return tx

    def rate(self, moment: datetime) -> float:
        return self.rates[moment.strftime("%Y-%m-%d")]

    def wallet(self, person: Person) -> FinancialAccount:
        fin = self._own(person, "mobile")
        if fin is None:
            pack = self.g.dest if person.country == self.g.dest.code else self.g.origin
            fin = self.fin("mobile", self.s.pick(pack.wallets), person.phones[0], person.name_latin, pack.code, person)
        return fin

    def bank(self, person: Person) -> FinancialAccount:
        fin = self._own(person, "bank")
        if fin is None:
            pack = self.g.dest if person.country == self.g.dest.code else self.g.origin
            fin = self.fin("bank", self.s.pick(pack.banks), self.s.bank_number(pack), person.name_latin, pack.code,
                             person)
        return fin

    def _own(self, person: Person, rail: str) -> FinancialAccount | None:
        by_id = self.by_id
        return next((by_id[f] for f in person.fin_accounts if f in by_id and by_id[f].rail == rail), None)

    def fin(self, rail: str, provider: str, number: str, holder: str, country: str,
            owner: Person | None = None) -> FinancialAccount:
        account = self.s.fin(rail, provider, number, holder, country, owner)
        self.by_id[account.fin_id] = account
        return account

    def point(self, kind: str, pack: CountryPack, provider: str) -> FinancialAccount:
        """A cash-out point: a mobile-money agent, an ATM or a bank's cash counter."""
        place = self.s.pick(pack.places)
        n = self.s.rng.randint(1000, 9999)
        if kind == "agent":
            return self.fin("mobile", provider, f"AGENT-{n}", f"Agent {n}, {place.name}", pack.code)
        if kind == "atm":
            return self.fin("bank", provider, f"ATM-{n}", f"ATM {n}, {provider}, {place.name}", pack.code)
        return self.fin("bank", provider, f"COUNTER-{n}", f"Cash counter, {provider}, {place.city} branch", pack.code)

    def hop(self, lo: datetime) -> datetime:
        return lo + timedelta(minutes=self.s.rng.randint(45, 30 * 60))


def make_fx_rates(g: Gen, m: Money) -> None:
    """A reference rate origin -> destination for every day, as a small random walk."""
    day = (g.start - timedelta(days=90)).date()
    base = g.dest.usd_rate / g.origin.usd_rate
    level = 1.0
    while day <= (g.end + timedelta(days=10)).date():
        level *= 1 + m.s.rng.uniform(-0.004, 0.004)
        rate = float(f"{base * level:.6g}")
        m.rates[day.isoformat()] = rate
        g.case.fx_rates.append(FxRate(day.isoformat(), g.origin.currency, g.dest.currency, rate,
                                      "reference rate of the day (synthetic)"))
        day += timedelta(days=1)


# ------------------------------------------------------------------ payments between suspects


def network_payments(g: Gen, m: Money, layer: NetworkLayer) -> None:
    s = m.s
    u = unit(g.origin)
    lo, hi = g.start + timedelta(days=10), g.end - timedelta(days=10)
    fin = g.people("financier")[:1]
    for mule in g.people("mule"):
        for _ in range(s.rng.randint(1, 2)):
            if fin:
                amount = s.rng.randint(20, 90) * 10 * u
                m.tx(m.wallet(mule), m.bank(fin[0]), amount, s.moment(lo, hi))
    for broker in g.people("broker"):
        if fin:
            amount = s.rng.randint(3, 12) * 100 * u
            m.tx(m.bank(fin[0]), m.bank(broker), amount, s.moment(lo, hi), channel="international")
        for driver in g.people("driver"):
            if g.people("broker").index(broker) == g.people("driver").index(driver) % len(g.people("broker")):
                amount = s.rng.randint(20, 80) * 10 * unit(g.dest)
                m.tx(m.wallet(broker), m.wallet(driver), amount, s.moment(lo, hi))
    for forger in g.people("forger"):
        for recruiter in g.people("recruiter"):
            m.tx(m.wallet(recruiter), m.wallet(forger), s.rng.randint(10, 40) * 10 * u, s.moment(lo, hi))
    shop_owner = layer.decoys["shop"]
    shop = m.fin("mobile", s.pick(g.origin.wallets), shop_owner.phones[0], layer.shop_name, g.origin.code, shop_owner)
    references = bank()["shop"]["references"]
    payers = list(layer.suspects) + [layer.decoys[k] for k in ("community", "board_support")]
    payers += [p for p in g.people("bystander") if s.chance(0.2) and p not in payers]
    for payer in payers:
        for _ in range(s.rng.randint(1, 2)):
            wallet = m.wallet(payer)  # a payer abroad pays in their own currency's units
            m.tx(wallet, shop, s.rng.randint(1, 30) * unit(m.pack(wallet)), s.moment(g.start, g.end),
                 reference=s.pick(references))


# ------------------------------------------------------------------ family payment trails


def _family_amount(g: Gen, s: Stream) -> float:
    step = unit(g.origin) * 100
    return float(round(s.rng.randint(300, 1400) * g.origin.usd_rate / step) * step)


def _p2p(m: Money, sender: FinancialAccount, receiver: FinancialAccount, incoming: float, at: datetime,
         rate: float = 0.01, channel: str = "", reference: str | None = None) -> Transaction:
    amount, fee = split_fee(incoming, rate, 1 * unit(m.pack(sender)), m.places(sender))
    return m.tx(sender, receiver, amount, at, fee=fee, channel=channel, reference=reference, trail=True)


def make_trails(g: Gen, m: Money) -> None:
    """One trail per paying family (or victim, where a scenario has few families), typologies in turn."""
    s = m.s
    payers = list(g.people("family")) or []
    payers += [v for v in g.people("victim") if len(payers) < 6 and v not in payers]
    mules = g.people("mule") or g.people("recruiter")
    order = list(TYPOLOGIES)
    s.rng.shuffle(order)
    for i, payer in enumerate(payers[:6]):
        typology = order[i % len(order)]
        mule = mules[i % len(mules)]
        start = s.moment(_earliest(g, payer), g.end - timedelta(days=25))
        builder = _BUILDERS[typology]
        txs, cash_out, amount_out, currency = builder(g, m, payer, mule, start)
        _label, indicator = TYPOLOGIES[typology]
        g.key.flows.append(FlowTruth(s.new_id("flow"), typology, payer.person_id, [t.tx_id for t in txs],
                                     cash_out.fin_id, amount_out, currency, indicator))


def _earliest(g: Gen, payer: Person) -> datetime:
    """A family pays once its relative has left and written home; a victim once they answered the
    ad (their journey in generator/journeys.py); never before the twentieth day of the storyline."""
    lo = g.start + timedelta(days=20)
    for journey in g.journeys.values():
        if journey.family == payer.person_id:
            lo = max(lo, datetime.fromisoformat(journey.departed.replace("Z", "+00:00")) + timedelta(days=3))
        elif journey.victim == payer.person_id:
            lo = max(lo, datetime.fromisoformat(journey.answered.replace("Z", "+00:00")))
    return min(lo, g.end - timedelta(days=26))


Built = tuple[list[Transaction], FinancialAccount, float, str]


def _agent_cash_out(g: Gen, m: Money, payer: Person, mule: Person, at: datetime) -> Built:
    wallet = m.wallet(mule)
    first = m.tx(m.wallet(payer), wallet, _family_amount(g, m.s), at, trail=True)
    agent = m.point("agent", g.origin, wallet.provider)
    out = _p2p(m, wallet, agent, first.amount, m.hop(at), rate=0.015, channel="cash_out", reference="")
    return [first, out], agent, out.amount, first.currency


def _structuring(g: Gen, m: Money, payer: Person, mule: Person, at: datetime) -> Built:
    s, wallet = m.s, m.wallet(mule)
    first = m.tx(m.wallet(payer), wallet, _family_amount(g, s) * 2, at, trail=True)
    target = m.bank(g.people("financier")[0] if g.people("financier") else mule)
    limit = REPORTING_THRESHOLD_USD * g.origin.usd_rate
    parts = max(2, math.ceil(first.amount / (limit * 0.9)))
    share = first.amount / parts
    txs, moment, total_in = [first], m.hop(at), 0.0
    for k in range(parts):
        incoming = round(share) if k < parts - 1 else first.amount - sum(t.amount + t.fee for t in txs[1:])
        tx = _p2p(m, wallet, target, incoming, moment, rate=0.005, channel="transfer")
        txs.append(tx)
        total_in += tx.amount
        moment += timedelta(minutes=s.rng.randint(20, 180))
    counter = m.point("counter", g.origin, target.provider)
    out = _p2p(m, target, counter, total_in, m.hop(moment), rate=0.002, channel="cash_out", reference="")
    txs.append(out)
    return txs, counter, out.amount, first.currency


def _mule_atm(g: Gen, m: Money, payer: Person, mule: Person, at: datetime) -> Built:
    s, account = m.s, m.bank(mule)
    first = m.tx(m.wallet(payer), account, _family_amount(g, s), at, channel="transfer", trail=True)
    atm = m.point("atm", g.origin, account.provider)
    note = unit(g.origin) * 100  # withdrawals come in whole banknotes
    fee = float(unit(g.origin) * 5)
    left, moment, txs, out = first.amount, m.hop(at), [first], 0.0
    for _ in range(3):
        cash = min(math.floor((left - fee) / note) * note, math.floor(first.amount / 3 / note + 1) * note)
        if cash <= 0:
            break
        txs.append(m.tx(account, atm, cash, moment, fee=fee, channel="atm", reference="", trail=True))
        left -= cash + fee
        out += cash
        moment += timedelta(minutes=s.rng.randint(2, 40))
    return txs, atm, out, first.currency


def _digital_hundi(g: Gen, m: Money, payer: Person, mule: Person, at: datetime) -> Built:
    s, wallet = m.s, m.wallet(mule)
    first = m.tx(m.wallet(payer), wallet, _family_amount(g, s), at, trail=True)
    name = f"{s.pick(g.content['background']['adjectives'])} Trading"
    operator = m.fin("mobile", wallet.provider, g.origin.mobile_number(s.rng), name, g.origin.code)
    out = _p2p(m, wallet, operator, first.amount, m.hop(at), reference="goods")
    return [first, out], operator, out.amount, first.currency


def _front_business(g: Gen, m: Money, payer: Person, mule: Person, at: datetime) -> Built:
    s = m.s
    fronts = g.orgs_by_group.get("front") or []
    name = fronts[0].name if fronts else f"{s.pick(g.content['background']['adjectives'])} Travel Services"
    company = m.fin("bank", s.pick(g.origin.banks), s.bank_number(g.origin), name, g.origin.code)
    first = m.tx(m.wallet(payer), company, _family_amount(g, s), at, reference="service", trail=True)
    brokers = g.people("broker") or g.people("driver")
    receiver = m.bank(brokers[0])
    moment = m.hop(at)
    cross = _p2p(m, company, receiver, first.amount, moment, rate=0.015, channel="international",
                 reference="invoice")
    atm = m.point("atm", g.dest, receiver.provider)
    note = unit(g.dest) * 100
    received = float(cross.received or 0)
    fee = float(unit(g.dest) * 5)
    cash = math.floor((received - fee) / note) * note
    out = m.tx(receiver, atm, cash, m.hop(moment), fee=fee, channel="atm", reference="", trail=True)
    return [first, cross, out], atm, out.amount, g.dest.currency


def _crypto_offramp(g: Gen, m: Money, payer: Person, mule: Person, at: datetime) -> Built:
    s, wallet, account = m.s, m.wallet(mule), m.bank(mule)
    first = m.tx(m.wallet(payer), wallet, _family_amount(g, s), at, trail=True)
    moment = m.hop(at)
    to_bank = _p2p(m, wallet, account, first.amount, moment, rate=0.005, channel="transfer")
    exchange = g.content["platforms"]["services"]["crypto_exchange"]["name"]
    desk = m.fin("bank", s.pick(g.origin.banks), s.bank_number(g.origin), f"{exchange} (client deposits)",
                 g.origin.code)
    out = _p2p(m, account, desk, to_bank.amount, m.hop(moment), rate=0.001, channel="exchange_deposit",
               reference=f"deposit {s.rng.randint(100000, 999999)}")
    return [first, to_bank, out], desk, out.amount, first.currency


_BUILDERS = {"agent_cash_out": _agent_cash_out, "structuring": _structuring, "mule_atm": _mule_atm,
             "digital_hundi": _digital_hundi, "front_business": _front_business, "crypto_offramp": _crypto_offramp}


# ------------------------------------------------------------------ everyday noise on the same accounts


def noise(g: Gen, m: Money) -> None:
    """Everyday transfers through the accounts the trails use, so a trail is not the only traffic;
    no amount is within 5% of an amount a trail moves through that account."""
    s = m.s
    by_id = m.by_id
    others = [by_id[f] for p in g.people("bystander") for f in p.fin_accounts
              if by_id[f].rail == "mobile" and by_id[f].country == g.origin.code]
    if not others:
        return
    for fin_id, amounts in sorted(m.trail_amounts.items()):
        fin = by_id[fin_id]
        if fin.country != g.origin.code:
            continue
        for _ in range(s.rng.randint(2, 6)):
            amount = _clear_amount(m, amounts)
            other = s.pick(others)
            moment = s.moment(g.start, g.end)
            if fin.number.startswith(("AGENT", "ATM", "COUNTER")):
                m.tx(other, fin, amount, moment, fee=round(amount * 0.015, decimals(g.origin)),
                     channel="cash_out" if fin.number.startswith("AGENT") else "atm", reference="")
            elif s.chance(0.5):
                m.tx(other, fin, amount, moment)
            else:
                m.tx(fin, other, amount, moment, fee=round(amount * 0.01, decimals(g.origin)))


def _clear_amount(m: Money, avoid: list[float]) -> float:
    u = unit(m.g.origin)
    while True:
        amount = float(m.s.rng.randint(5, 900) * u)
        if all(abs(amount - a) > 0.05 * a for a in avoid):
            return amount


def make_flows(g: Gen, layer: NetworkLayer) -> None:
    m = Money(g, Stream(g, "flows"))
    make_fx_rates(g, m)
    network_payments(g, m, layer)
    make_trails(g, m)
    noise(g, m)
    g.case.transactions.sort(key=lambda t: (t.time, t.tx_id))
