"""The offline block explorer (clusters, CoinJoins, change heuristics and their measured error) and
the dark-web tools (onion checksums, saved copies) over a generated world."""

from __future__ import annotations

from typing import Any

import pytest

from osintlab.errors import UserError
from sandbox.crypto import Explorer, address_type, measure_on_key
from sandbox.darkweb import SavedCopies, check_onion
from synthetic_data.generator import generate_world


@pytest.fixture(scope="module")
def world() -> Any:
    return generate_world("MN", "scam-compound-recruitment", 5, "tiny")


@pytest.fixture(scope="module")
def explorer(world: Any) -> Explorer:
    return Explorer(world.case)


def test_a_transaction_reads_left_to_right_with_its_fee(explorer: Explorer) -> None:
    tx = next(t for t in explorer.txs if len(t.inputs) == 1 and len(t.outputs) == 2)
    text = explorer.show(tx.txid)
    assert text.startswith(tx.txid) and f"fee {tx.fee:.8f}" in text
    assert tx.inputs[0]["address"] in text and all(o["address"] in text for o in tx.outputs)
    assert set(explorer.change(tx.txid)) == {"fresh", "round", "type", "peel", "reuse"}
    with pytest.raises(UserError, match="no transaction nope in this ledger"):
        explorer.tx("nope")


def test_the_story_coinjoin_is_recognised_and_naive_clustering_pulls_in_strangers(world: Any,
                                                                                  explorer: Explorer) -> None:
    kinds = {t.txid: t.kind for t in world.key.ledger}
    coinjoin = next(t for t in explorer.txs if kinds[t.txid] == "coinjoin")
    assert explorer.is_coinjoin(coinjoin)
    assert not any(explorer.is_coinjoin(t) for t in explorer.txs if kinds[t.txid] in ("peel", "withdrawal"))
    owner = {a.address: a.owner for a in world.key.addresses}
    financier = next(a.owner for a in world.key.addresses if a.attributable)
    seed = next(i["address"] for i in coinjoin.inputs if owner[i["address"]] == financier)
    careful, naive = explorer.cluster(seed), explorer.cluster(seed, skip_coinjoin=False)
    assert {owner[a] for a in careful} == {financier}
    assert len({owner[a] for a in naive}) > 1 and careful < naive


def test_heuristics_are_measured_and_none_is_always_right(world: Any, explorer: Explorer) -> None:
    report = explorer.heuristic_report().set_index("heuristic")
    assert {"fresh", "round", "type", "peel", "reuse", "common inputs, naive",
            "common inputs, CoinJoins skipped"} <= set(report.index)
    measured = report["precision"].dropna()
    assert ((measured >= 0) & (measured <= 1)).all()
    on_key = measure_on_key(world.case, world.key).set_index("heuristic")
    assert (on_key["precision"].dropna() < 1).any(), "some heuristic must be wrong sometimes"
    assert report.loc["common inputs, CoinJoins skipped", "precision"] >= report.loc["common inputs, naive",
                                                                                     "precision"]


def test_address_types() -> None:
    assert address_type("tb1qehug5h4dztmvv45lct5g3myy43hwkes5gd2ed8") == "p2wpkh"
    assert address_type("tb1pex3zdda5ql5sueltpgj3508rhdv6ugd9v7xymm5kjfxxn4w9qj3qk525xg") == "p2tr"


def test_onion_checksums_separate_typos_and_the_signed_list_separates_phishing(world: Any) -> None:
    copies = SavedCopies(world.case)
    canary = next(p for p in world.case.darkweb if p.kind == "canary")
    post = next(p for p in world.case.darkweb if p.kind == "mirrors")
    labels = next(t for t in world.key.darkweb if t.page_id == post.page_id).details
    signed = set(canary.data["mirrors"])
    for address, label in labels.items():
        ok = check_onion(f"http://{address}/login")["checksum_ok"]
        assert label == ("typo" if not ok else "genuine" if address in signed else "phishing"), address
    assert check_onion("example.onion")["well_formed"] is False
    assert post.url in copies.read(post.page_id) and len(copies.pages("vendor")) >= 4
    with pytest.raises(UserError, match="no saved page dw-nothing"):
        copies.read("dw-nothing")


def test_the_safety_notice_is_in_the_language_current_when_it_is_shown() -> None:
    from osintlab.i18n import speaking
    from sandbox import darkweb  # loaded while English is current

    english = darkweb.notice()
    assert english.startswith("Saved copies only")
    with speaking("mn"):
        assert darkweb.notice().startswith("Зөвхөн хадгалсан хуулбарууд")
        from sandbox.darkweb import NOTICE  # what notebooks released before notice() import

        assert darkweb.notice() == NOTICE
    with speaking("bn"):
        assert darkweb.notice().startswith("শুধু সংরক্ষিত কপি")
    assert english == darkweb.NOTICE
