"""Turn a query AST into one SQL statement over the index (see index.py for the tables).

Text atoms become FTS5 MATCH expressions; site:/filetype:/dates become predicates on the
`docs` table. The fast path: the positive text parts of a top-level AND (with its excluded
text parts as NOT) form one MATCH that drives the query and gives the BM25 rank; the rest
are SQL filters. Anything else (OR across text and site:, nested exclusions) falls back
to `rowid IN (SELECT ... MATCH ...)` subqueries, which stay exact.

A `*` inside a phrase has no FTS5 equivalent: the engine resolves it on the index's token
positions (wildcard.py) into a temp table per phrase (WildSet), which the SQL tests. At top
level, NEAR() over the fixed parts also joins the MATCH, for ranking and snippets.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from sandbox.search.query import And, DateBound, Extension, Field, FileType, Near, Node, Not, Or, Phrase, Site, Term
from sandbox.search.segment import index_form

WILD_MAX = 8  # a * in a phrase stands for 1..WILD_MAX words
COLUMNS = ("title", "body", "url")


def quote(text: str) -> str:
    """An FTS5 string in the index's form (NFC, word marks in Thai, Lao, Khmer, Burmese).

    FTS5 tokenizes it, so `abc-123` becomes the phrase `abc 123` and a Thai word the
    phrase of its dictionary words, exactly as the page text was split.
    """
    return '"' + index_form(text).replace('"', '""') + '"'


def glob_escape(text: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", text)


# ---------------------------------------------------------------- wildcard phrases


@dataclass(frozen=True)
class WildSet:
    """A wildcard phrase (in `column`, or any column). The engine fills a temp table of the
    rowids where it occurs, once per query; SQL tests membership with `IN temp.<table>`,
    which SQLite answers from the table's primary key."""

    phrase: Phrase
    column: str | None

    @property
    def table(self) -> str:
        return "wild_" + hashlib.blake2b(repr(self).encode(), digest_size=8).hexdigest()


def wildsets(node: Node) -> list[WildSet]:
    """Every wildcard phrase in the query, in order."""
    text = _text_node(node)
    if text is not None:
        return [WildSet(*text)] if isinstance(text[0], Phrase) and text[0].wildcard else []  # type: ignore[arg-type]
    if isinstance(node, Not):
        return wildsets(node.node)
    if isinstance(node, And | Or):
        return [w for c in node.children for w in wildsets(c)]
    return []


def near_prefilter(phrase: Phrase) -> str:
    groups: list[list[str]] = [[]]
    for part in phrase.parts:
        if part is None:
            groups.append([])
        else:
            groups[-1].append(part)
    fixed = [quote(" ".join(g)) for g in groups if g]
    middle_words = sum(len(" ".join(g).split()) for g in groups[1:-1])
    # Generous: NEAR only pre-filters; wild() decides. Punctuation can split a word in two.
    distance = WILD_MAX * (len(groups) - 1) + 3 * middle_words
    return f"NEAR({' '.join(fixed)}, {distance})"


# ---------------------------------------------------------------- FTS expressions


def _text_node(node: Node) -> tuple[Phrase | Term, str | None] | None:
    """(term or phrase, column or None) when node is a text atom."""
    if isinstance(node, Term | Phrase):
        return node, None
    if isinstance(node, Field):
        return node.node, node.column
    return None


def _atom_fts(atom: Term | Phrase, column: str | None, *, prefilter: bool = False) -> str | None:
    if isinstance(atom, Term):
        expr = quote(atom.text) + ("*" if atom.prefix else "")
    elif atom.wildcard:
        if not prefilter:
            return None
        expr = near_prefilter(atom)
    else:
        expr = quote(" ".join(p for p in atom.parts if p is not None))
    return f"{{{column}}} : {expr}" if column else expr


def _near(node: Near) -> str:
    """FTS5 NEAR counts the tokens between the two phrases, in either order: AROUND(n)."""
    left, right = (_atom_fts(side, None) for side in (node.left, node.right))
    return f"NEAR({left} {right}, {node.distance})"


def fts_expr(node: Node) -> str | None:
    """An exact FTS5 expression for `node`, or None when FTS5 alone cannot express it."""
    text = _text_node(node)
    if text is not None:
        return _atom_fts(*text)
    if isinstance(node, Near):
        return _near(node)
    if isinstance(node, Or):
        parts = [fts_expr(c) for c in node.children]
        return None if any(p is None for p in parts) else "(" + " OR ".join(parts) + ")"  # type: ignore[arg-type]
    if isinstance(node, And):
        pos, neg = [], []
        for child in node.children:
            if isinstance(child, Not) and (inner := fts_expr(child.node)) is not None:
                neg.append(inner)
            elif (expr := fts_expr(child)) is not None:
                pos.append(expr)
            else:
                return None
        return _combine(pos, neg) if pos else None
    return None


def _combine(pos: list[str], neg: list[str]) -> str:
    expr = "(" + " AND ".join(pos) + ")"
    return f"({expr} NOT ({' OR '.join(neg)}))" if neg else expr


def highlight_expr(node: Node) -> str | None:
    """OR of every positive text atom: what snippets highlight and fallback ranking uses."""
    atoms: list[str] = []

    def walk(n: Node) -> None:
        if isinstance(n, Not):
            return
        text = _text_node(n)
        if text is not None:
            expr = _atom_fts(*text, prefilter=True)
            if expr:
                atoms.append(expr)
        elif isinstance(n, Near):
            atoms.extend([_atom_fts(n.left, None), _atom_fts(n.right, None)])  # type: ignore[list-item]
        elif isinstance(n, And | Or):
            for child in n.children:
                walk(child)

    walk(node)
    return " OR ".join(dict.fromkeys(atoms)) or None


# ---------------------------------------------------------------- SQL predicates


@dataclass
class Sql:
    text: str
    params: list[object] = field(default_factory=list)


def predicate(node: Node) -> Sql:
    """A SQL boolean over `docs d` for any node (exact, possibly with subqueries)."""
    if (expr := fts_expr(node)) is not None:
        return Sql("d.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)", [expr])
    text = _text_node(node)
    if text is not None:  # a wildcard phrase: rowids found once by the engine
        return Sql(f"d.rowid IN temp.{WildSet(*text).table}")  # type: ignore[arg-type]
    if isinstance(node, Site):
        return _site(node)
    if isinstance(node, Extension):
        return Sql("d.ext = ?", [node.value])
    if isinstance(node, FileType):
        return Sql("d.filetype = ?", [node.value])
    if isinstance(node, DateBound):
        return Sql("d.published < ?" if node.op == "before" else "d.published >= ?", [node.bound])
    if isinstance(node, Not):
        inner = predicate(node.node)
        return Sql(f"NOT ({inner.text})", inner.params)
    assert isinstance(node, And | Or)
    parts = [predicate(c) for c in node.children]
    joiner = " AND " if isinstance(node, And) else " OR "
    return Sql("(" + joiner.join(p.text for p in parts) + ")", [x for p in parts for x in p.params])


def _site(node: Site) -> Sql:
    """site: on the URL's host (never a page field): a domain takes its subdomains too; a
    path or a full URL is a URL prefix on exactly that host (Google Search Central)."""
    host = _rdomain(node.domain)
    if node.subdomains_only:
        return Sql("d.rdomain GLOB ?", [glob_escape(host) + "?*"])
    if not node.path and not node.scheme:
        return Sql("d.rdomain GLOB ?", [glob_escape(host) + "*"])
    parts, params = ["d.rdomain = ?"], [host]
    if node.scheme:
        parts.append("d.scheme = ?")
        params.append(node.scheme)
    if node.path:
        parts.append("d.path GLOB ?")
        params.append(glob_escape(node.path) + "*")
    return Sql("(" + " AND ".join(parts) + ")", params)


def _rdomain(domain: str) -> str:
    return ".".join(reversed(domain.split("."))) + "."


# ---------------------------------------------------------------- the whole query


@dataclass
class Plan:
    """How to run a query: an FTS5 MATCH that drives and ranks it (or none), plus filters."""

    match: str | None  # when set: FROM fts JOIN docs d, ranked by bm25
    filters: Sql  # predicates on docs d (fts is joined too when match is set)
    highlight: str | None  # OR of the positive text atoms, for snippets and fallback ranking


def plan(node: Node) -> Plan:
    children = node.children if isinstance(node, And) else (node,)
    pos: list[str] = []
    neg: list[str] = []
    filters: list[Sql] = []
    for child in children:
        text = _text_node(child)
        if (expr := fts_expr(child)) is not None:
            pos.append(expr)
        elif isinstance(child, Not) and (inner := fts_expr(child.node)) is not None:
            neg.append(inner)
        else:
            if text is not None:  # wildcard phrase: NEAR() narrows, the rowid set decides
                pos.append(_atom_fts(text[0], text[1], prefilter=True))  # type: ignore[arg-type]
            filters.append(predicate(child))
    if pos:
        return Plan(_combine(pos, neg), _and(filters), highlight_expr(node))
    if neg:
        filters.append(Sql("d.rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)", [" OR ".join(neg)]))
    return Plan(None, _and(filters), highlight_expr(node))


def _and(parts: list[Sql]) -> Sql:
    if not parts:
        return Sql("", [])
    return Sql(" AND ".join(f"({p.text})" for p in parts), [x for p in parts for x in p.params])
