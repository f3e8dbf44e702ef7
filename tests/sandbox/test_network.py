"""Link charts: GraphML and i2-style tables that read back the same, clear errors, and exact
betweenness equal to networkx's."""

from __future__ import annotations

import networkx as nx
import pytest

from osintlab.errors import UserError
from sandbox.network import betweenness, centrality, export_bundle, read_bundle


def _chart() -> nx.MultiGraph:
    chart = nx.MultiGraph()
    for node, label in (("P1", "B. Bold"), ("P2", "S. Tuya"), ("P3", "Community page")):
        chart.add_node(node, kind="person", label=label)
    chart.add_edge("P1", "P2", label="message", source="msg-1", grade="B2")
    chart.add_edge("P1", "P2", label="payment", source="tx-9", grade="A1")
    chart.add_edge("P3", "P1", label="message")
    return chart


def test_bundle_reads_back_with_one_link_per_pair_and_type() -> None:
    bundle = export_bundle(_chart())
    graph, entities, links = read_bundle(bundle)
    assert sorted(graph.nodes) == ["P1", "P2", "P3"]
    assert [(e["Entity ID"], e["Label"]) for e in entities] == [("P1", "B. Bold"), ("P2", "S. Tuya"),
                                                               ("P3", "Community page")]
    assert sorted((r["From ID"], r["To ID"], r["Link Type"], r["Grade"]) for r in links) == [
        ("P1", "P2", "message", "B2"), ("P1", "P2", "payment", "A1"), ("P1", "P3", "message", "")]
    assert sorted(d["label"] for _, _, d in graph.edges(data=True)) == ["message", "message", "payment"]
    assert bundle == export_bundle(_chart())  # the same chart gives the same bytes


@pytest.mark.parametrize(("change", "message"), [
    (lambda c: c.add_node("P9"), "entity P9 has no kind"),
    (lambda c: c.add_edge("P2", "P3"), "link P2 - P3 has no label"),
])
def test_export_names_what_is_missing(change, message: str) -> None:
    chart = _chart()
    change(chart)
    with pytest.raises(UserError, match=message) as info:
        export_bundle(chart)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("bundle", "message"), [
    ("not a bundle", "a chart bundle is a dict"),
    ({"graphml": "<graphml", "entities_csv": "", "links_csv": ""}, "the GraphML does not parse"),
    ({**export_bundle(_chart()), "links_csv": "A,B\n1,2\n"}, "the link table needs the columns"),
])
def test_broken_bundles_are_one_sentence(bundle, message: str) -> None:
    with pytest.raises(UserError, match=message):
        read_bundle(bundle)


@pytest.mark.parametrize("seed", range(6))
def test_betweenness_equals_networkx(seed: int) -> None:
    graphs = [nx.gnm_random_graph(80, 200, seed=seed), nx.gnm_random_graph(40, 30, seed=seed),  # sparse: parts
              nx.gnm_random_graph(30, 60, seed=seed, directed=True), nx.path_graph(2), nx.empty_graph(1)]
    for graph in graphs:
        want, got = nx.betweenness_centrality(graph), betweenness(graph)
        assert set(want) == set(got)
        assert all(abs(want[n] - got[n]) <= 1e-9 for n in want)


def test_parallel_links_count_once_and_the_broker_ranks_first() -> None:
    frame = centrality(_chart())
    assert list(frame.columns) == ["id", "label", "degree", "betweenness"]
    assert frame.iloc[0]["id"] == "P1" and frame.iloc[0]["betweenness"] == 1.0
    assert dict(zip(frame["id"], frame["degree"], strict=True)) == {"P1": 2, "P2": 1, "P3": 1}
