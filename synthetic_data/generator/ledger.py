"""A testnet-style UTXO ledger (case/ledger.jsonl) with its truth (key/addresses.jsonl, key/ledger.jsonl).

Background: wallets of ordinary users, two exchanges and a gaming service pay each other, with
change outputs, reused and fresh addresses, round and odd amounts, deposit sweeps and
withdrawals. Behaviours differ per wallet, so the change heuristics taught in Workshop 3 (fresh
address, round amount, address type, peel, address reuse) are right often, never always.

Storyline: the network's financier receives coins on the addresses of the case (their crypto
fin_accounts), consolidates them (common-input ownership links them), puts one coin through a
CoinJoin (a multi-party transaction: common-input ownership wrongly merges strangers), and peels
the rest in a chain of small payments down to a deposit at an exchange, where a customer can be
identified by a lawful request. A courier's seized wallet (tagged in case/crypto_tags.jsonl)
lets trainees measure each heuristic's error on known truth. All addresses are bech32 testnet
(`tb1q…` P2WPKH, `tb1p…` P2TR); values are tBTC. Draws only from its own stream ("ledger").
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from synthetic_data.generator.context import Gen, iso
from synthetic_data.generator.streams import Stream
from synthetic_data.model import AddressTruth, CryptoTag, LedgerTx, TxTruth
from synthetic_data.safety import testnet_address_fast, testnet_taproot_address

SAT = 100_000_000
LEDGER_TXS = {"tiny": 150, "small": 1_000, "medium": 10_000, "large": 50_000}
USERS = {"tiny": 25, "small": 80, "medium": 500, "large": 2_500}
ROUND = (100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 50_000_000)
DUST = 2_000
FIRST_HEIGHT = 2_400_000
EXCHANGES = ("Harbor Exchange", "Tidewater Coin Desk")
SERVICE = "Lotus Wheel Gaming"


def btc(sats: int) -> float:
    return round(sats / SAT, 8)


@dataclass
class Utxo:
    txid: str
    vout: int
    address: str
    value: int
    owner: str


@dataclass
class Wallet:
    owner: str
    kind: str  # user | exchange | service | person | seized
    taproot: bool = False  # address type of its own addresses
    taproot_change: bool | None = None  # some wallet software sends change to another address type
    reuse_change: float = 0.1  # chance change goes back to an input address
    round_payments: float = 0.4
    utxos: list[Utxo] = field(default_factory=list)
    main: str = ""  # a receiving address it gives out again and again

    def balance(self) -> int:
        return sum(u.value for u in self.utxos)


class LedgerBuilder:
    def __init__(self, g: Gen) -> None:
        self.g, self.s = g, Stream(g, "ledger")
        self.wallets: dict[str, Wallet] = {}
        self.pending_deposits: dict[str, list[Utxo]] = {name: [] for name in EXCHANGES}
        self.epoch = g.start - timedelta(days=90)
        self.events: list[tuple[datetime, str, int]] = []  # (time, what, step): a heap, in time order
        self.user_index: dict[str, int] = {}  # background users' owner -> position in the users list
        self.funded: list[int] = []  # positions of the users that hold coins, sorted (kept up to date by tx)

    def later(self, moment: datetime, what: str, step: int = 0) -> None:
        heapq.heappush(self.events, (moment, what, step))

    # ------------------------------------------------------------ primitives

    def address(self, wallet: Wallet, *, taproot: bool | None = None, attributable: bool = False) -> str:
        use_taproot = wallet.taproot if taproot is None else taproot
        address = testnet_taproot_address(self.s.rng) if use_taproot else testnet_address_fast(self.s.rng)
        self.g.key.addresses.append(AddressTruth(address, wallet.owner, wallet.kind if wallet.kind != "seized"
                                                 else "user", attributable))
        return address

    def adopt(self, wallet: Wallet, address: str, attributable: bool) -> None:
        self.g.key.addresses.append(AddressTruth(address, wallet.owner, wallet.kind, attributable))

    def wallet(self, owner: str, kind: str, **behaviour: float | bool) -> Wallet:
        wallet = Wallet(owner, kind, **behaviour)  # type: ignore[arg-type]
        wallet.main = self.address(wallet)
        self.wallets[owner] = wallet
        return wallet

    def tx(self, moment: datetime, inputs: list[Utxo], outputs: list[tuple[str, int, str]], kind: str, *,
           change_address: str | None = None, trail: str | None = None, step: int | None = None,
           shuffle: bool = True) -> LedgerTx:
        """Spend `inputs` into `outputs` [(address, sats, owner)]; the rest is the fee."""
        if shuffle:
            self.s.rng.shuffle(outputs)
        txid = f"{self.s.rng.getrandbits(256):064x}"
        touched = {u.owner for u in inputs} | {owner for _, _, owner in outputs}
        for u in inputs:
            self.wallets[u.owner].utxos.remove(u)
        outs = []
        change = None
        for n, (address, value, owner) in enumerate(outputs):
            outs.append({"n": n, "address": address, "value": btc(value)})
            wallet = self.wallets.get(owner)
            if wallet is not None:
                utxo = Utxo(txid, n, address, value, owner)
                wallet.utxos.append(utxo)
                if wallet.kind == "exchange" and address != wallet.main:
                    self.pending_deposits[owner].append(utxo)
            if change_address is not None and address == change_address:
                change = n
        ins = [{"txid": u.txid, "vout": u.vout, "address": u.address, "value": btc(u.value)} for u in inputs]
        fee = sum(u.value for u in inputs) - sum(v for _, v, _ in outputs)
        height = FIRST_HEIGHT + int((moment - self.epoch).total_seconds() // 600)
        record = LedgerTx(txid, iso(moment), height, ins, outs, btc(max(0, fee)))
        self.g.case.ledger.append(record)
        self.g.key.ledger.append(TxTruth(txid, kind, change, trail, step))
        for owner in touched:
            self._track(owner)
        return record

    def _track(self, owner: str) -> None:
        """Keep `funded` (users holding coins, in list order) without scanning every user per event."""
        index = self.user_index.get(owner)
        if index is None:
            return
        at = bisect_left(self.funded, index)
        listed = at < len(self.funded) and self.funded[at] == index
        if self.wallets[owner].utxos and not listed:
            self.funded.insert(at, index)
        elif not self.wallets[owner].utxos and listed:
            del self.funded[at]

    def fee(self, n_in: int, n_out: int) -> int:
        return self.s.rng.randint(8, 25) * (11 + 68 * n_in + 31 * n_out)

    def select(self, wallet: Wallet, need: int) -> list[Utxo] | None:
        coins = sorted(wallet.utxos, key=lambda u: (-u.value, u.txid, u.vout))
        chosen, total = [], 0
        for coin in coins:
            chosen.append(coin)
            total += coin.value
            if total >= need:
                return chosen
        return None

    def amount(self, wallet: Wallet, balance: int) -> int:
        if self.s.chance(wallet.round_payments):
            options = [r for r in ROUND if r < balance * 0.6]
            if options:
                return self.s.pick(options)
        return self.s.rng.randint(max(DUST * 5, balance // 100), max(DUST * 6, int(balance * 0.6)))

    def receive_address(self, wallet: Wallet) -> str:
        if wallet.kind == "exchange":  # each deposit gets its own address
            return self.address(wallet)
        return wallet.main if self.s.chance(0.4) else self.address(wallet)

    # ------------------------------------------------------------ transaction kinds

    def pay(self, moment: datetime, sender: Wallet, receiver: Wallet, value: int | None = None,
            kind: str = "payment", to_address: str | None = None) -> LedgerTx | None:
        balance = sender.balance()
        value = value or self.amount(sender, balance)
        inputs = self.select(sender, value + self.fee(3, 2))
        if inputs is None or value < DUST:
            return None
        fee = self.fee(len(inputs), 2)
        change = sum(u.value for u in inputs) - value - fee
        if change < 0:
            return None
        if change > 20 * 100_000 and self.s.chance(0.08):  # "send all but a round sum": the change is round
            keep = max(r for r in ROUND if r < change) if any(r < change for r in ROUND) else 0
            value, change = value + change - keep, keep
        address = to_address or self.receive_address(receiver)
        outputs = [(address, value, receiver.owner)]
        change_address = None
        if change >= DUST:
            if self.s.chance(sender.reuse_change):
                change_address = inputs[0].address
            else:
                change_address = self.address(sender, taproot=sender.taproot_change)
            outputs.append((change_address, change, sender.owner))
        return self.tx(moment, inputs, outputs, kind, change_address=change_address)

    def sweep(self, moment: datetime, name: str, *, force: bool = False) -> LedgerTx | None:
        """An exchange moves its customers' deposits to its hot wallet (many inputs, one output)."""
        exchange = self.wallets[name]
        deposits = [u for u in self.pending_deposits[name] if u in exchange.utxos][:30]
        self.pending_deposits[name] = [u for u in self.pending_deposits[name] if u not in deposits]
        if len(deposits) < (1 if force else 2):
            return None
        value = sum(u.value for u in deposits) - self.fee(len(deposits), 1)
        return self.tx(moment, deposits, [(exchange.main, value, name)], "consolidation")

    def withdraw(self, moment: datetime, name: str, receiver: Wallet, value: int | None = None,
                 to_address: str | None = None, kind: str = "withdrawal") -> LedgerTx | None:
        exchange = self.wallets[name]
        hot = [u for u in exchange.utxos if u.address == exchange.main]
        value = value or self.s.rng.randint(200_000, 30_000_000)
        inputs = self.select(Wallet(name, "exchange", utxos=hot), value + self.fee(2, 2))
        if inputs is None:
            return None
        change = sum(u.value for u in inputs) - value - self.fee(len(inputs), 2)
        outputs = [(to_address or self.receive_address(receiver), value, receiver.owner),
                   (exchange.main, change, name)]
        return self.tx(moment, inputs, outputs, kind, change_address=exchange.main)

    def fund(self, moment: datetime, wallets: list[Wallet]) -> None:
        """New coins (a coinbase-like transaction without inputs) for a batch of wallets."""
        outputs = [(self.receive_address(w) if w.kind != "exchange" else w.main,
                    self.s.rng.randint(5, 200) * (100 if w.kind == "exchange" else 1) * 1_000_000, w.owner)
                   for w in wallets]
        self.tx(moment, [], outputs, "funding", shuffle=False)


# ------------------------------------------------------------------ the storyline


def _financier(b: LedgerBuilder) -> Wallet:
    g = b.g
    person = (g.people("financier") or g.people("broker") or g.people("recruiter"))[0]
    wallet = Wallet(person.person_id, "person")
    by_id = {f.fin_id: f for f in g.case.fin_accounts}
    known = [by_id[f].number for f in person.fin_accounts if by_id[f].rail == "crypto"]
    if not known:
        known = [b.address(wallet, attributable=True) for _ in range(2)]
    else:
        for address in known:
            b.adopt(wallet, address, attributable=True)
    wallet.main = known[0]
    b.wallets[wallet.owner] = wallet
    wallet.known = known  # type: ignore[attr-defined]
    return wallet


def _coinjoin(b: LedgerBuilder, moment: datetime, participants: list[tuple[Wallet, list[Utxo]]]) -> LedgerTx:
    denomination = min(sum(u.value for u in coins) for _, coins in participants) * 8 // 10
    denomination -= denomination % 100_000
    outputs: list[tuple[str, int, str]] = []
    inputs: list[Utxo] = []
    for wallet, coins in participants:
        inputs += coins
        share_fee = b.fee(len(coins), 2)
        change = sum(u.value for u in coins) - denomination - share_fee
        outputs.append((b.address(wallet), denomination, wallet.owner))
        if change >= DUST:
            outputs.append((b.address(wallet), change, wallet.owner))
    return b.tx(moment, inputs, outputs, "coinjoin")


def _peel_hop(b: LedgerBuilder, moment: datetime, step: int, financier: Wallet, recipients: list[Wallet]) -> None:
    """One hop of the peel chain; schedules the next, then the deposit at an exchange and its sweep."""
    s = b.s
    story = financier.story  # type: ignore[attr-defined]
    coin = next(u for u in financier.utxos if u.address == story["next"])
    if step > story["hops"]:
        exchange = b.wallets[story["exchange"]]
        b.tx(moment, [coin], [(b.address(exchange), coin.value - b.fee(1, 1), exchange.owner)], "deposit",
             trail="peel", step=step)
        b.later(moment + timedelta(hours=s.rng.randint(2, 20)), "story-sweep")
        return
    trap = step == story["trap"]
    share = s.rng.uniform(0.55, 0.65) if trap else s.rng.uniform(0.03, 0.1)
    receiver = s.pick([r for r in recipients if r.kind == "user"] if trap else recipients)
    # The trap hop pays more than it keeps, to a Taproot address: "largest output is change" fails
    # there, "same address type as the input" does not.
    taproot = True if trap else s.chance(0.7)
    pay_address = b.address(receiver, taproot=taproot) if receiver.kind == "user" else b.address(receiver)
    value = int(coin.value * share)
    if s.chance(0.5):
        value -= value % 100_000  # many peel payments are round amounts
    change_address = b.address(financier, attributable=True)
    rest = coin.value - value - b.fee(1, 2)
    b.tx(moment, [coin], [(pay_address, value, receiver.owner), (change_address, rest, financier.owner)], "peel",
         change_address=change_address, trail="peel", step=step)
    story["next"] = change_address
    b.later(moment + timedelta(minutes=s.rng.randint(30, 20 * 60)), "story-peel", step + 1)


def make_ledger(g: Gen) -> None:
    b = LedgerBuilder(g)
    s = b.s
    users = [b.wallet(f"user-{i:04d}", "user", taproot=s.chance(0.25), reuse_change=s.pick([0.0, 0.05, 0.3]),
                      round_payments=s.pick([0.2, 0.5, 0.7]), taproot_change=True if s.chance(0.1) else None)
             for i in range(USERS[g.size_name])]
    b.user_index = {w.owner: i for i, w in enumerate(users)}
    for name in EXCHANGES:
        b.wallet(name, "exchange", reuse_change=0.0, round_payments=0.3)
    service = b.wallet(SERVICE, "service", reuse_change=1.0, round_payments=0.8)
    seized = b.wallet("wallet-seized", "seized", taproot=False, reuse_change=0.25, round_payments=0.5,
                      taproot_change=True if s.chance(0.5) else None)
    financier = _financier(b)
    lo, hi = b.epoch, g.end
    b.fund(lo, [b.wallets[n] for n in EXCHANGES] + [service, seized])
    for i in range(0, len(users), 10):
        b.fund(lo + timedelta(seconds=i + 1), users[i : i + 10])
    background = max(50, LEDGER_TXS[g.size_name] - len(g.case.ledger) - 40)
    for _ in range(background):
        b.later(s.moment(lo + timedelta(hours=1), hi), "bg")
    for _ in range(14):
        b.later(s.moment(lo + timedelta(days=1), hi - timedelta(days=5)), "seized")
    t_fund = s.moment(g.start + timedelta(days=10), g.start + timedelta(days=50))
    b.later(t_fund, "story-fund")
    b.later(t_fund + timedelta(days=s.rng.randint(2, 6)), "story-consolidate")
    b.later(t_fund + timedelta(days=s.rng.randint(8, 12)), "story-coinjoin")
    b.later(t_fund + timedelta(days=s.rng.randint(14, 20)), "story-peel", 1)
    hops = s.rng.randint(6, 9)
    financier.story = {"hops": hops, "trap": s.rng.randint(2, hops - 1),  # type: ignore[attr-defined]
                       "exchange": s.pick(EXCHANGES), "next": ""}
    recipients = users[: max(5, len(users) // 3)] + [service] + [b.wallets[n] for n in EXCHANGES]
    while b.events:
        moment, kind, step = heapq.heappop(b.events)
        if kind == "bg":
            _background(b, moment, users, service)
        elif kind == "seized":
            b.pay(moment, seized, s.pick([*users, service]))
        elif kind == "story-peel":
            _peel_hop(b, moment, step, financier, recipients)
        elif kind == "story-sweep":
            b.sweep(moment, financier.story["exchange"], force=True)  # type: ignore[attr-defined]
        else:
            _story_event(b, moment, kind, step, financier, seized, users)
    g.case.crypto_tags.extend(_tags(b, seized))
    g.case.ledger.sort(key=lambda t: (t.time, t.txid))


def _story_event(b: LedgerBuilder, moment: datetime, kind: str, step: int, financier: Wallet, seized: Wallet,
                 users: list[Wallet]) -> None:
    s = b.s
    known: list[str] = financier.known  # type: ignore[attr-defined]
    if kind == "story-fund":  # bought from an exchange: withdrawals to each known address, the first twice
        for i in range(len(known) + 1):  # each at its own time, in turn with the rest of the ledger
            moment += timedelta(minutes=s.rng.randint(5, 120))
            b.later(moment, "story-withdraw", i)
    elif kind == "story-withdraw":
        address = [*known, known[0]][step]
        b.withdraw(moment, EXCHANGES[1], financier, s.rng.randint(30, 120) * 1_000_000, to_address=address,
                   kind="withdrawal")
    elif kind == "story-consolidate":
        coins = list(financier.utxos)
        keep = next(u for u in reversed(coins) if u.address == known[0])
        inputs = [u for u in coins if u is not keep]
        target = b.address(financier, attributable=True)
        b.tx(moment, inputs, [(target, sum(u.value for u in inputs) - b.fee(len(inputs), 1), financier.owner)],
             "consolidation")
        financier.story["next"] = target  # type: ignore[attr-defined]
    elif kind == "story-coinjoin":
        coin = next(u for u in financier.utxos if u.address == known[0])
        others = [w for w in s.rng.sample(users, min(len(users), 8)) if w.utxos][:5]
        mine = b.select(seized, 1)
        participants = [(financier, [coin])] + ([(seized, mine[:1])] if mine else [])
        participants += [(w, [max(w.utxos, key=lambda u: u.value)]) for w in others]
        _coinjoin(b, moment, participants)


def _background(b: LedgerBuilder, moment: datetime, users: list[Wallet], service: Wallet) -> None:
    s = b.s
    roll = s.rng.random()
    if not b.funded or roll < 0.02:
        b.fund(moment, s.rng.sample(users, min(10, len(users))))
        return
    sender = users[s.pick(b.funded)]  # the same draw as picking from [w for w in users if w.utxos]
    if roll < 0.70:
        receiver = s.pick(users)
        if receiver is not sender:
            b.pay(moment, sender, receiver)
    elif roll < 0.82:
        b.pay(moment, sender, b.wallets[s.pick(EXCHANGES)])
    elif roll < 0.88:
        b.pay(moment, sender, service, to_address=service.main)
    elif roll < 0.96:
        b.withdraw(moment, s.pick(EXCHANGES), s.pick(users))
    else:
        b.sweep(moment, s.pick(EXCHANGES))


def _tags(b: LedgerBuilder, seized: Wallet) -> list[CryptoTag]:
    tags = [CryptoTag(b.wallets[name].main, f"{name} hot wallet", "exchange",
                      "the exchange's published proof-of-reserves addresses (synthetic)") for name in EXCHANGES]
    tags.append(CryptoTag(b.wallets[SERVICE].main, f"{SERVICE} deposit address", "service",
                          "the service's own web page (synthetic)"))
    own = sorted({a.address for a in b.g.key.addresses if a.owner == seized.owner})
    tags += [CryptoTag(address, "Seized wallet W-1: own address", "seized_wallet",
                       "wallet file seized lawfully from a courier's phone (synthetic)") for address in own]
    return tags
