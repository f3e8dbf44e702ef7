"""Workshop 3 performance figures (issue 14), each against a baseline measured in the same run.

Each figure is given as wall time and as CPU time of this process: on a shared machine the wall
time grows with the load, while the CPU time is what one core spends ("on one core").

1. A world with a 10,000-transaction UTXO ledger and its mobile-money flows (medium size):
   generate, scan every file for unsafe identifiers, write. Target <= 10 s on one core.
   Baseline: the same world without the Workshop 3 layer (generate_world without it).
2. Tiny worlds (what the validity and consistency sweeps make by the thousand): generate, scan,
   write, per world, with and without the Workshop 3 layer.
3. Build and verify an evidence package of 200 WARC captures. Target <= 5 s.
   Baseline: hashing the same 200 pages with hashlib alone.
4. Network measures (degree and exact betweenness, sandbox.network.centrality) on the largest
   world's chart of persons (everyone who wrote to or paid another person). Target <= 1 s.
   Baseline: networkx's own exact betweenness on the medium world's chart, against centrality()
   on the same chart (the values must agree to 1e-9). Best of three runs each.

    python benchmarks/bench_w3.py
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

SCENARIO = "scam-compound-recruitment"


def _clock(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, value)."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def _best(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, float, Any]:
    """The fastest of `repeat` runs (by CPU time): the least disturbed by other processes."""
    return min((_clock(fn) for _ in range(repeat)), key=lambda run: run[1])


def _made_and_written(seed: int, size: str, folder: Path) -> Any:
    from synthetic_data.generator import generate_world, write_checked

    world = generate_world("MN", SCENARIO, seed, size)
    write_checked(world, folder / f"w{seed}-{size}")
    return world


def world_with_ledger() -> None:
    from synthetic_data.generator import w3

    with tempfile.TemporaryDirectory() as tmp:
        with mock.patch.object(w3, "add_layer", lambda g: None):
            base_wall, base_cpu, _ = _clock(lambda: _made_and_written(11, "medium", Path(tmp) / "base"))
        wall, cpu, world = _clock(lambda: _made_and_written(11, "medium", Path(tmp)))
    print(f"world, medium: {len(world.case.ledger):,} ledger transactions, {len(world.case.transactions):,} "
          f"transfers, {len(world.key.flows)} money trails; generated, scanned and written")
    print(f"  {cpu:.2f} s CPU ({wall:.2f} s wall), target <= 10 s on one core; baseline without the W3 layer "
          f"{base_cpu:.2f} s CPU ({base_wall:.2f} s wall), ratio {cpu / base_cpu:.2f}x")


def tiny_worlds(count: int = 10) -> None:
    from synthetic_data.generator import generate_world, w3

    generate_world("MN", SCENARIO, 1, "tiny")  # content files cached, as in a sweep's worker
    seeds = range(2, 2 + count)
    with tempfile.TemporaryDirectory() as tmp:
        with mock.patch.object(w3, "add_layer", lambda g: None):
            base_wall, base_cpu, _ = _clock(lambda: [_made_and_written(s, "tiny", Path(tmp)) for s in seeds])
        wall, cpu, _ = _clock(lambda: [_made_and_written(s, "tiny", Path(tmp) / "w3") for s in seeds])
    print(f"tiny world (generate, scan, write; mean of {count}): {1000 * cpu / count:.0f} ms CPU "
          f"({1000 * wall / count:.0f} ms wall); baseline without the W3 layer {1000 * base_cpu / count:.0f} ms CPU "
          f"({1000 * base_wall / count:.0f} ms wall), ratio {cpu / base_cpu:.2f}x")


def evidence_package() -> None:
    from sandbox.evidence import WarcPackage, render_page, verify_warc_package
    from synthetic_data.generator import generate_world

    pages = generate_world("MN", SCENARIO, 3, "small").case.pages[:200]
    _, base, _ = _clock(lambda: [hashlib.sha256(render_page(p)).hexdigest() for p in pages])

    def build() -> bool:
        package = WarcPackage("Bench Officer")
        for page in pages:
            item = package.capture(page)
            package.custody(item["item_id"], "transfer", to="Case officer")
        return verify_warc_package(package.export()).ok

    wall, cpu, ok = _clock(build)
    print(f"evidence package: 200 captures built and verified in {cpu:.2f} s CPU ({wall:.2f} s wall), "
          f"target <= 5 s, verified={ok}; baseline hashing alone {base:.3f} s CPU")


def network_measures() -> None:
    import networkx as nx

    from sandbox.network import betweenness, centrality
    from synthetic_data.generator import generate_world

    betweenness(nx.path_graph(3))  # import igraph before any clock starts
    medium = _chart(generate_world("MN", SCENARIO, 11, "medium"))
    nx_wall, nx_cpu, exact = _best(lambda: nx.betweenness_centrality(medium))
    ig_wall, ig_cpu, ours = _best(lambda: betweenness(medium))
    gap = max(abs(exact[n] - ours[n]) for n in exact)
    large = generate_world("MN", SCENARIO, 5, "large")
    build_wall, _, graph = _clock(lambda: _chart(large))
    wall, cpu, _ = _best(lambda: centrality(graph))
    print(f"network measures, large world: {graph.number_of_nodes():,} persons, {graph.number_of_edges():,} links; "
          f"degree + exact betweenness in {cpu:.2f} s CPU ({wall:.2f} s wall), target <= 1 s; "
          f"building the chart {build_wall:.2f} s wall")
    print(f"  baseline, medium world's chart ({medium.number_of_nodes():,} persons, {medium.number_of_edges():,} "
          f"links): networkx {nx_cpu:.2f} s CPU ({nx_wall:.2f} s wall), centrality's betweenness {ig_cpu:.3f} s CPU "
          f"({ig_wall:.3f} s wall), {nx_cpu / max(ig_cpu, 1e-6):.0f}x faster, largest difference {gap:.1e}")


def _chart(world: Any) -> Any:
    import networkx as nx

    owner = {a: p.person_id for p in world.key.people for a in p.accounts}
    owner.update({f: p.person_id for p in world.key.people for f in p.fin_accounts})
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
    tiny_worlds()
    evidence_package()
    network_measures()
