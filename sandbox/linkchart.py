"""A link chart the trainee builds by hand: typed entities, labelled links, a drawing, GraphML.

It holds only what the trainee adds (never anything from the answer key), so the chart is
the trainee's own analysis and can be exported as evidence of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_text
from osintlab.i18n import NP_, _, ngettext, pgettext

if TYPE_CHECKING:
    import networkx as nx
    import pandas
    from matplotlib.figure import Figure

KINDS: dict[str, str] = {  # entity type -> colour in the drawing
    "person": "#d62728", "account": "#1f77b4", "phone": "#2ca02c", "email": "#17becf", "wallet": "#ff7f0e",
    "image": "#9467bd", "page": "#8c564b", "org": "#e377c2", "place": "#7f7f7f",
}
KIND = "entity kind"  # the translation context of the kinds in the chart's legend
# Translators: the kinds of entity in the link chart's legend; the trainee types the English code in
# chart.add(kind, id): write your word, then the code in brackets, e.g. "word (wallet)".
_KIND_WORDS = (
    NP_("entity kind", "person"),
    NP_("entity kind", "account"),
    NP_("entity kind", "phone"),
    NP_("entity kind", "email"),
    NP_("entity kind", "wallet"),
    NP_("entity kind", "image"),
    NP_("entity kind", "page"),
    NP_("entity kind", "org"),
    NP_("entity kind", "place"),
)


class LinkChart:
    """Entities (nodes with a kind) and labelled links between them."""

    def __init__(self) -> None:
        import networkx as nx

        self.graph: nx.MultiGraph = nx.MultiGraph()

    def add(self, kind: str, entity_id: str, label: str | None = None, **attrs: Any) -> str:
        """Add (or update) an entity; returns its id for use in link()."""
        if kind not in KINDS:
            raise UserError(_("entity kind {kind} is unknown: use one of {names}.").format(
                kind=repr(kind), names=', '.join(KINDS)))
        if not str(entity_id).strip():
            raise UserError(_("entity id is empty: give the username, number, address or name you found."))
        clean = {k: str(v) for k, v in attrs.items() if v is not None}
        self.graph.add_node(entity_id, kind=kind, label=label or entity_id, **clean)
        return entity_id

    def link(self, a: str, b: str, label: str, source: str = "") -> None:
        """Link two entities already added; `source` says where the link was seen (URL, capture)."""
        for end in (a, b):
            if end not in self.graph:
                raise UserError(_("entity {end} is not on the chart: add it with chart.add(kind, id) first.").format(
                    end=repr(end)))
        if not label.strip():
            raise UserError(_("link {a} - {b} has no label: say what connects them, e.g. 'lists phone'.").format(
                a=a, b=b))
        self.graph.add_edge(a, b, label=label, source=source)

    def remove(self, entity_id: str) -> None:
        if entity_id not in self.graph:
            raise UserError(_("entity {entity_id} is not on the chart: nothing to remove.").format(
                entity_id=repr(entity_id)))
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
        """The chart coloured by entity type with a legend (fixed layout seed: same chart, same picture).

        Labels are wrapped and moved apart so none is cut or hidden (sandbox.figures); links between
        the same two entities share one label. Names in any script of the region are drawn (osintlab.plotfonts)."""
        from osintlab.plotfonts import script_fonts

        with script_fonts():
            return self._draw(seed)

    def _draw(self, seed: int) -> Figure:
        import networkx as nx
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D

        from sandbox.display import enable_inline_figures
        from sandbox.figures import pad_axes, place_labels, wrap_label

        enable_inline_figures()
        fig = Figure(figsize=(10, 7.5))
        ax = fig.add_subplot()
        ax.set_axis_off()
        if not self.graph:
            ax.set_title(_("Empty chart: add entities with {code}").format(code="chart.add(kind, id)"))
            return fig
        simple = nx.Graph(self.graph)  # one line per pair of entities
        pos = nx.spring_layout(simple, seed=seed, k=2.0 / max(1, simple.number_of_nodes()) ** 0.5)
        nodes = list(self.graph.nodes)
        xs, ys = [float(pos[n][0]) for n in nodes], [float(pos[n][1]) for n in nodes]
        pad_axes(ax, xs, ys)
        colours = [KINDS[self.graph.nodes[n]["kind"]] for n in nodes]
        dots = ax.scatter(xs, ys, s=260, c=colours, zorder=3, edgecolors="white", linewidths=1.5)
        nx.draw_networkx_edges(simple, pos, ax=ax, edge_color="#999999")
        labels = [wrap_label(self.graph.nodes[n]["label"]) for n in nodes]
        sizes, colours = [8.5] * len(nodes), ["black"] * len(nodes)
        for (a, b), names in self._pair_labels().items():  # link labels start at the middle of their line
            xs.append(float(pos[a][0] + pos[b][0]) / 2)
            ys.append(float(pos[a][1] + pos[b][1]) / 2)
            labels.append("\n".join(wrap_label(t, 20, 2) for t in names))
            sizes.append(7)
            colours.append("#444444")
        place_labels(ax, xs, ys, labels, fontsize=sizes, color=colours, objects=dots)
        used = sorted({d["kind"] for _, d in self.graph.nodes(data=True)})
        handles = [Line2D([], [], marker="o", linestyle="", color=KINDS[k], label=pgettext(KIND, k)) for k in used]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9, frameon=False)
        nodes_text = ngettext("{count} entity", "{count} entities", len(nodes)).format(count=len(nodes))
        links_text = ngettext("{count} link", "{count} links", self.graph.number_of_edges()).format(
            count=self.graph.number_of_edges())
        # Translators: the link chart's title, e.g. "12 entities, 15 links".
        ax.set_title(_("{entities}, {links}").format(entities=nodes_text, links=links_text))
        fig.tight_layout()
        return fig

    def _pair_labels(self) -> dict[tuple[str, str], list[str]]:
        out: dict[tuple[str, str], list[str]] = {}
        for a, b, d in self.graph.edges(data=True):
            labels = out.setdefault((a, b), [])
            if d["label"] not in labels:
                labels.append(d["label"])
        return out

    def to_graphml(self, path: str | Path) -> Path:
        """Write the chart as GraphML (opens in Gephi, yEd, i2-style tools); atomic."""
        import networkx as nx

        path = Path(path)
        atomic_write_text(path, "\n".join(nx.generate_graphml(self.graph)) + "\n")
        return path
