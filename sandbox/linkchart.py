"""A link chart the trainee builds by hand: typed entities, labelled links, a drawing, GraphML.

It holds only what the trainee adds (never anything from the answer key), so the chart is
the trainee's own analysis and can be exported as evidence of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_text

if TYPE_CHECKING:
    import networkx as nx
    import pandas
    from matplotlib.figure import Figure

KINDS: dict[str, str] = {  # entity type -> colour in the drawing
    "person": "#d62728", "account": "#1f77b4", "phone": "#2ca02c", "email": "#17becf", "wallet": "#ff7f0e",
    "image": "#9467bd", "page": "#8c564b", "org": "#e377c2", "place": "#7f7f7f",
}


class LinkChart:
    """Entities (nodes with a kind) and labelled links between them."""

    def __init__(self) -> None:
        import networkx as nx

        self.graph: nx.MultiGraph = nx.MultiGraph()

    def add(self, kind: str, entity_id: str, label: str | None = None, **attrs: Any) -> str:
        """Add (or update) an entity; returns its id for use in link()."""
        if kind not in KINDS:
            raise UserError(f"entity kind {kind!r} is unknown: use one of {', '.join(KINDS)}.")
        if not str(entity_id).strip():
            raise UserError("entity id is empty: give the username, number, address or name you found.")
        clean = {k: str(v) for k, v in attrs.items() if v is not None}
        self.graph.add_node(entity_id, kind=kind, label=label or entity_id, **clean)
        return entity_id

    def link(self, a: str, b: str, label: str, source: str = "") -> None:
        """Link two entities already added; `source` says where the link was seen (URL, capture)."""
        for end in (a, b):
            if end not in self.graph:
                raise UserError(f"entity {end!r} is not on the chart: add it with chart.add(kind, id) first.")
        if not label.strip():
            raise UserError(f"link {a} - {b} has no label: say what connects them, e.g. 'lists phone'.")
        self.graph.add_edge(a, b, label=label, source=source)

    def remove(self, entity_id: str) -> None:
        if entity_id not in self.graph:
            raise UserError(f"entity {entity_id!r} is not on the chart: nothing to remove.")
        self.graph.remove_node(entity_id)

    def entities(self) -> pandas.DataFrame:
        import pandas

        rows = [{"id": n, "kind": d["kind"], "label": d["label"], "links": self.graph.degree(n)}
                for n, d in self.graph.nodes(data=True)]
        return pandas.DataFrame(rows, columns=["id", "kind", "label", "links"])

    def links(self) -> pandas.DataFrame:
        import pandas

        rows = [{"a": a, "b": b, "label": d["label"], "source": d["source"]}
                for a, b, d in self.graph.edges(data=True)]
        return pandas.DataFrame(rows, columns=["a", "b", "label", "source"])

    def draw(self, *, seed: int = 1) -> Figure:
        """The chart coloured by entity type with a legend (fixed layout seed: same chart, same picture)."""
        import networkx as nx
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D

        from sandbox.display import enable_inline_figures

        enable_inline_figures()
        fig = Figure(figsize=(9, 7))
        ax = fig.add_subplot()
        ax.set_axis_off()
        if not self.graph:
            ax.set_title("Empty chart: add entities with chart.add(kind, id)")
            return fig
        pos = nx.spring_layout(self.graph, seed=seed)
        colours = [KINDS[d["kind"]] for _, d in self.graph.nodes(data=True)]
        nx.draw_networkx_nodes(self.graph, pos, ax=ax, node_color=colours, node_size=500)
        nx.draw_networkx_edges(self.graph, pos, ax=ax, edge_color="#999999")
        nx.draw_networkx_labels(self.graph, pos, ax=ax, labels=dict(self.graph.nodes(data="label")), font_size=8)
        edge_labels = {(a, b): d["label"] for a, b, d in self.graph.edges(data=True)}
        nx.draw_networkx_edge_labels(self.graph, pos, ax=ax, edge_labels=edge_labels, font_size=7)
        used = sorted({d["kind"] for _, d in self.graph.nodes(data=True)})
        handles = [Line2D([], [], marker="o", linestyle="", color=KINDS[k], label=k) for k in used]
        ax.legend(handles=handles, loc="best", fontsize=8)
        ax.set_title(f"{self.graph.number_of_nodes()} entities, {self.graph.number_of_edges()} links")
        return fig

    def to_graphml(self, path: str | Path) -> Path:
        """Write the chart as GraphML (opens in Gephi, yEd, i2-style tools); atomic."""
        import networkx as nx

        path = Path(path)
        atomic_write_text(path, "\n".join(nx.generate_graphml(self.graph)) + "\n")
        return path
