"""The Workshop 3 layer of a world: consistent (trails, rates, ledger, references), only adding to
what earlier steps made, the same every time; and every W3 consistency check catches its error."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from synthetic_data.bundle import world_files
from synthetic_data.consistency_w3 import violations
from synthetic_data.generator import footprint, generate_world, language, w3
from synthetic_data.generator.flows import TYPOLOGIES

SCENARIOS = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "synthetic_data" / "scenarios").glob("*.yml"))
COUNTRIES = ["MN", "BD", "KH", "TH"]


@pytest.fixture(scope="module")
def world() -> Any:
    return generate_world("MN", "scam-compound-recruitment", 4, "tiny")


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("country", COUNTRIES)
def test_every_pack_and_scenario_has_a_consistent_layer(country: str, scenario: str) -> None:
    for seed in (1, 2):
        world = generate_world(country, scenario, seed, "tiny")
        assert list(violations(world)) == [], (country, scenario, seed)


@pytest.mark.slow
def test_two_hundred_worlds_have_consistent_layers() -> None:
    worlds = [("MN", "scam-compound-recruitment", s, "tiny") for s in range(1, 181)]
    worlds += [(c, "scam-compound-recruitment", s, "small") for c in COUNTRIES for s in (1, 2, 3, 4, 5)]
    for args in worlds:
        assert list(violations(generate_world(*args))) == [], args


def test_the_layer_only_adds_to_what_earlier_steps_made() -> None:
    # The steps after it (Workshop 2's footprint, the local languages) read the whole world, W3's
    # records included: leave them out to compare the layer with what came before it.
    with mock.patch.object(footprint, "make_footprint", lambda g: None), \
            mock.patch.object(language, "localise", lambda g: None):
        full = generate_world("MN", "scam-compound-recruitment", 6, "tiny")
        with mock.patch.object(w3, "add_layer", lambda g: None):
            before = generate_world("MN", "scam-compound-recruitment", 6, "tiny")
    assert [p.to_dict() for p in before.case.pages] == [p.to_dict() for p in full.case.pages]
    for kind in ("messages", "transactions", "fin_accounts"):
        made = {r.to_dict().__repr__() for r in getattr(full.case, kind)}
        assert all(r.to_dict().__repr__() in made for r in getattr(before.case, kind)), kind
    accounts = {a.account_id: a.to_dict() for a in full.case.accounts}
    assert all(accounts[a.account_id] == a.to_dict() for a in before.case.accounts)


def test_the_same_seed_gives_the_same_layer() -> None:
    files = [dict(world_files(generate_world("BD", "scam-compound-recruitment", 3, "tiny"))) for _ in range(2)]
    for name in ("case/ledger.jsonl", "case/fx_rates.jsonl", "case/darkweb.jsonl", "key/flows.jsonl",
                 "key/roles.jsonl", "key/addresses.jsonl"):
        assert files[0][name] == files[1][name], name


def test_trails_follow_every_typology_and_end_at_their_cash_out() -> None:
    seen = set()
    for seed in range(1, 4):
        world = generate_world("MN", "scam-compound-recruitment", seed, "tiny")
        txs = {t.tx_id: t for t in world.case.transactions}
        for flow in world.key.flows:
            seen.add(flow.typology)
            assert txs[flow.tx_ids[-1]].receiver == flow.cash_out
            assert flow.indicator == TYPOLOGIES[flow.typology][1]
    assert seen == set(TYPOLOGIES)


def test_a_foreign_payer_pays_in_their_own_currency_at_the_inverse_rate(world: Any) -> None:
    rates = {r.date: r.rate for r in world.case.fx_rates}
    dest = world.case.manifest["countries"]["destination"]
    fins = {f.fin_id: f for f in world.case.fin_accounts}
    back = [t for t in world.case.transactions if t.fx_rate is not None and fins[t.sender].country == dest]
    assert back, "the layer should hold a payment from the destination country"
    for tx in back:
        assert tx.fx_rate == pytest.approx(1 / rates[tx.time[:10]], rel=1e-5)


# ---------------------------------------------------------------- each check catches its error


def _trail_tx(world: Any, index: int) -> Any:
    flow = next(f for f in world.key.flows if f.typology == "agent_cash_out")
    return next(t for t in world.case.transactions if t.tx_id == flow.tx_ids[index])


def _fx_tx(world: Any) -> Any:
    return next(t for t in world.case.transactions if t.fx_rate is not None)


def _spending_tx(world: Any) -> Any:
    return next(t for t in world.case.ledger if t.inputs)


def _double_spend(world: Any) -> None:
    first = _spending_tx(world)
    later = next(t for t in world.case.ledger if t.inputs and t.time > first.time)
    later.inputs.append(dict(first.inputs[0]))
    later.fee = round(later.fee + first.inputs[0]["value"], 8)


PLANTED: dict[str, tuple[Callable[[Any], None], str]] = {
    "a hop sends more than arrived": (lambda w: setattr(_trail_tx(w, 1), "amount", _trail_tx(w, 1).amount * 2),
                                      "sends on"),
    "a hop keeps part of what arrived": (lambda w: setattr(_trail_tx(w, 1), "fee", 0.0), "must equal"),
    "hops out of order": (lambda w: setattr(_trail_tx(w, 1), "time", "2000-01-01T00:00:00Z"), "comes before"),
    "the key's cash-out amount": (lambda w: setattr(next(f for f in w.key.flows), "amount_out", 1.0),
                                  "reached the cash-out"),
    "the wrong day's rate": (lambda w: setattr(_fx_tx(w), "fx_rate", _fx_tx(w).fx_rate * 1.1), "not the day's"),
    "a credit that is not amount x rate": (lambda w: setattr(_fx_tx(w), "received", (_fx_tx(w).received or 0) + 50),
                                           "credits"),
    "a fee that does not balance": (lambda w: setattr(_spending_tx(w), "fee", _spending_tx(w).fee + 0.001),
                                    "is not its fee"),
    "an output spent twice": (_double_spend, "a second time"),
    "an input with no earlier output": (lambda w: _spending_tx(w).inputs[0].update(txid="ab" * 32),
                                        "no earlier output"),
    "an address without an owner": (lambda w: w.key.addresses.pop(), "has no owner"),
    "a tag on an unknown address": (lambda w: setattr(next(t for t in w.case.crypto_tags
                                                           if t.category == "exchange"), "address", "tb1qnothing"),
                                    "which no ledger transaction pays"),
    "a role of nobody": (lambda w: setattr(w.key.roles[0], "person_id", "p-nobody"), "names no person"),
    "a mirror list that lost a label": (lambda w: next(t for t in w.key.darkweb if t.label == "mirrors")
                                        .details.popitem(), "other addresses than its key labels"),
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_each_check_catches_its_error(world: Any, name: str) -> None:
    broken = copy.deepcopy(world)
    change, message = PLANTED[name]
    change(broken)
    found = list(violations(broken))
    assert any(message in v for v in found), found
    assert all(v.endswith((".", "…")) and "\n" not in v for v in found)
