"""Workshop 3 performance figures (issue 14), each against a baseline measured in the same run.

1. A world with a 10,000-transaction UTXO ledger and its mobile-money flows (medium size):
   generate, scan every file for unsafe identifiers, write. Target <= 10 s on one core.
   Baseline: the same world's steps before the Workshop 3 layer (generate_world without it).
2. Build and verify an evidence package of 200 WARC captures. Target <= 5 s.
   Baseline: hashing the same 200 pages with hashlib alone.
3. Network measures (degree and betweenness) on the largest world's chart of persons (everyone who
   wrote to or paid another person). Target <= 1 s.
   Baseline: building the chart graph.

    python benchmarks/bench_w3.py
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path
from unittest import mock


def _clock(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def world_with_ledger() -> None:
    from synthetic_data.generator import generate_world, w3, write_checked

    with mock.patch.object(w3, "add_layer", lambda g: None):
        without, _ = _clock(lambda: generate_world("MN", "scam-compound-recruitment", 11, "medium"))
    with tempfile.TemporaryDirectory() as tmp:
        seconds, world = _clock(lambda: generate_world("MN", "scam-compound-recruitment", 11, "medium"))
        write, _ = _clock(lambda: write_checked(world, Path(tmp) / "w"))
    total = seconds + write
    print(f"world, medium: {len(world.case.ledger):,} ledger transactions, {len(world.case.transactions):,} "
          f"transfers, {len(world.key.flows)} money trails")
    print(f"  generate {seconds:.2f} s + scan and write {write:.2f} s = {total:.2f} s (target <= 10 s); "
          f"baseline without the W3 layer {without:.2f} s (ratio {total / without:.1f}x)")


def evidence_package() -> None:
    from sandbox.evidence import WarcPackage, render_page, verify_warc_package
    from synthetic_data.generator import generate_world

    pages = generate_world("MN", "scam-compound-recruitment", 3, "small").case.pages[:200]
    base, _ = _clock(lambda: [hashlib.sha256(render_page(p)).hexdigest() for p in pages])

    def build() -> bool:
        package = WarcPackage("Bench Officer")
        for page in pages:
            item = package.capture(page)
            package.custody(item["item_id"], "transfer", to="Case officer")
        return verify_warc_package(package.export()).ok

    seconds, ok = _clock(build)
    print(f"evidence package: 200 captures built and verified in {seconds:.2f} s (target <= 5 s, verified={ok}); "
          f"baseline hashing alone {base:.3f} s")


def network_measures() -> None:
    import networkx as nx

    from sandbox.network import centrality
    from synthetic_data.generator import generate_world

    world = generate_world("MN", "scam-compound-recruitment", 5, "large")
    owner = {a: p.person_id for p in world.key.people for a in p.accounts}
    owner.update({f: p.person_id for p in world.key.people for f in p.fin_accounts})
    build, graph = _clock(lambda: _chart(world, owner))
    seconds, frame = _clock(lambda: centrality(graph))
    print(f"network measures, large world: {graph.number_of_nodes():,} persons, {graph.number_of_edges():,} links; "
          f"degree + betweenness in {seconds:.2f} s (target <= 1 s); baseline building the chart {build:.2f} s")
    del nx, frame


def _chart(world, owner):  # type: ignore[no-untyped-def]
    import networkx as nx

    graph = nx.Graph()
    for m in world.case.messages:  # every person who wrote to or paid another: the whole chart
        for r in m.recipients:
            a, b = owner.get(m.sender), owner.get(r)
            if a and b and a != b:
                graph.add_edge(a, b)
    for t in world.case.transactions:
        a, b = owner.get(t.sender), owner.get(t.receiver)
        if a and b and a != b:
            graph.add_edge(a, b)
    return graph


if __name__ == "__main__":
    world_with_ledger()
    evidence_package()
    network_measures()
