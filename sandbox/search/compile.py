"""Turn a query AST into one SQL statement over the index (see index.py for the tables).

Text atoms become FTS5 MATCH expressions; site:/filetype:/dates become predicates on the
`docs` table. The fast path: the positive text parts of a top-level AND (with its excluded
text parts as NOT) form one MATCH that drives the query and gives the BM25 rank; the rest
are SQL filters. Anything else (OR across text and site:, nested exclusions, wildcard
phrases) falls back to `rowid IN (SELECT ... MATCH ...)` subqueries, which stay exact.

A `*` inside a phrase has no FTS5 equivalent: NEAR() over the fixed parts pre-filters, and
the SQL function `wild()` (registered on the connection) checks word order and gaps.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from sandbox.search.query import And, DateBound, Field, FileType, Node, Not, Or, Phrase, Site, Term

WILD_MAX = 8  # a * in a phrase stands for 1..WILD_MAX words
COLUMNS = ("title", "body", "url")

_TOKEN = re.compile(r"[^\W_]+")


def quote(text: str) -> str:
    """An FTS5 string: FTS5 tokenizes it, so `abc-123` becomes the phrase `abc 123`."""
    return '"' + text.replace('"', '""') + '"'


def glob_escape(text: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", text)


# ---------------------------------------------------------------- wildcard phrases


def norm_words(text: str) -> str:
    """Case- and accent-folded words joined by single spaces (mirrors the FTS tokenizer)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in folded if not unicodedata.category(ch).startswith("M"))
    return " ".join(_TOKEN.findall(stripped))


def wild_pattern(phrase: Phrase) -> str:
    """A regex over norm_words() text: each * is 1..WILD_MAX whole words."""
    regex = ""
    for i, part in enumerate(phrase.parts):
        if part is None:
            regex += rf"(?: \S+){{1,{WILD_MAX}}}"
        else:
            regex += (" " if i else "") + re.escape(norm_words(part))
    return rf"(?<!\S){regex}(?!\S)"


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def wild(pattern: str, mask: int, title: str | None, body: str | None, url: str | None) -> int:
    """SQL function: 1 when a column selected by `mask` (bits: title, body, url) matches."""
    regex = _compiled(pattern)
    for bit, text in enumerate((title, body, url)):
        if mask & (1 << bit) and text and regex.search(norm_words(text)):
            return 1
    return 0


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


def fts_expr(node: Node) -> str | None:
    """An exact FTS5 expression for `node`, or None when FTS5 alone cannot express it."""
    text = _text_node(node)
    if text is not None:
        return _atom_fts(*text)
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


def _wild_sql(atom: Phrase, column: str | None, table: str) -> Sql:
    mask = (1 << COLUMNS.index(column)) if column else 0b111
    cols = ", ".join(f"{table}.{c}" for c in COLUMNS)
    return Sql(f"wild(?, {mask}, {cols})", [wild_pattern(atom)])


def predicate(node: Node) -> Sql:
    """A SQL boolean over `docs d` for any node (exact, possibly with subqueries)."""
    if (expr := fts_expr(node)) is not None:
        return Sql("d.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)", [expr])
    text = _text_node(node)
    if text is not None:  # a wildcard phrase
        atom, column = text
        assert isinstance(atom, Phrase)
        check = _wild_sql(atom, column, "fts")
        pre = _atom_fts(atom, column, prefilter=True)
        return Sql(f"d.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ? AND {check.text})", [pre, *check.params])
    if isinstance(node, Site):
        if node.path:  # a URL prefix: this exact host, then the path
            return Sql("(d.rdomain = ? AND d.path GLOB ?)", [_rdomain(node.domain), glob_escape(node.path) + "*"])
        return Sql("d.rdomain GLOB ?", [glob_escape(_rdomain(node.domain)) + "*"])
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


def _rdomain(domain: str) -> str:
    return ".".join(reversed(domain.split("."))) + "."


# ---------------------------------------------------------------- the whole query


@dataclass
class Plan:
    """FROM + WHERE (shared by the count and the page query) and the ORDER BY."""

    source: str
    where: Sql
    order: str
    score: str
    highlight: str | None


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
        elif text is not None and isinstance(text[0], Phrase):  # wildcard phrase: NEAR + wild()
            pos.append(_atom_fts(text[0], text[1], prefilter=True))  # type: ignore[arg-type]
            filters.append(_wild_sql(text[0], text[1], "fts"))
        else:
            filters.append(predicate(child))
    highlight = highlight_expr(node)
    if pos:
        where = [Sql("fts MATCH ?", [_combine(pos, neg)]), *filters]
        return Plan("fts JOIN docs d ON d.rowid = fts.rowid", _and(where), "fts.rank, d.published DESC, d.page_id",
                    "-fts.rank", highlight)
    if neg:
        filters.append(Sql("d.rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)", [" OR ".join(neg)]))
    if highlight:  # text only under OR with filters: rank what matched, the rest after
        source = "docs d LEFT JOIN (SELECT rowid, rank FROM fts WHERE fts MATCH ?) r ON r.rowid = d.rowid"
        where = _and(filters)
        where = Sql(where.text, [highlight, *where.params])  # the subquery's ? comes first
        return Plan(source, where, "coalesce(r.rank, 0), d.published DESC, d.page_id", "-coalesce(r.rank, 0)",
                    highlight)
    return Plan("docs d", _and(filters), "d.published DESC, d.page_id", "0.0", None)


def _and(parts: list[Sql]) -> Sql:
    if not parts:
        return Sql("1", [])
    return Sql(" AND ".join(f"({p.text})" for p in parts), [x for p in parts for x in p.params])
