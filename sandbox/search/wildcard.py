"""Phrases with `*` ("salary * MNT"): matched on FTS5's own token positions.

FTS5 has no gap operator, so the engine reads the index's position lists through an
`fts5vocab` 'instance' table (term, doc, col, offset) created in the connection's temp
schema (the index itself stays read-only). Query words are tokenized by a scratch FTS5
table with the same tokenizer, so case and accent folding match the index exactly. Each
`*` is 1..WILD_MAX tokens. Work starts from the rarest token and narrows the others to
its documents inside SQLite, so common words like "for" cost little.
"""

from __future__ import annotations

import json
import sqlite3

from sandbox.search.compile import WILD_MAX, WildSet
from sandbox.search.index import TOKENIZE
from sandbox.search.segment import index_form


def attach(conn: sqlite3.Connection) -> None:
    """Create the temp-schema helper tables (once per connection)."""
    conn.executescript(
        f"""
        CREATE VIRTUAL TABLE temp.scratch USING fts5(x, tokenize="{TOKENIZE}");
        CREATE VIRTUAL TABLE temp.scratch_pos USING fts5vocab(temp, scratch, 'instance');
        CREATE VIRTUAL TABLE temp.fts_pos USING fts5vocab(main, fts, 'instance');
        CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, fts, 'row');
        """
    )


def tokens(conn: sqlite3.Connection, text: str) -> list[str]:
    """`text` as the index's tokenizer (and word marks) split and fold it."""
    conn.execute("INSERT INTO temp.scratch(x) VALUES (?)", [index_form(text)])
    try:
        return [row[0] for row in conn.execute("SELECT term FROM temp.scratch_pos ORDER BY offset")]
    finally:
        conn.execute("DELETE FROM temp.scratch")


def _groups(conn: sqlite3.Connection, wild: WildSet) -> list[list[str]]:
    """Token groups between the stars: "work permit * visa" -> [[work, permit], [visa]]."""
    groups: list[list[str]] = [[]]
    for part in wild.phrase.parts:
        if part is None:
            groups.append([])
        else:
            groups[-1].extend(tokens(conn, part))
    return groups


def rowids(conn: sqlite3.Connection, wild: WildSet) -> list[int]:
    """The rowids where the phrase occurs (in wild.column, or any column)."""
    import numpy as np  # only when a wildcard phrase is searched

    groups = _groups(conn, wild)
    terms = {t for g in groups for t in g}
    counts = {t: _count(conn, t) for t in terms}
    if any(not g for g in groups) or not all(counts.values()):
        return []
    codes: dict[str, np.ndarray] = {}
    docs: list[int] | None = None
    for term in sorted(terms, key=counts.__getitem__):  # rarest first narrows the rest
        # Narrowing in SQL pays only when the term is far more common than the documents left.
        narrow = docs if docs is not None and counts[term] > 4 * len(docs) else None
        codes[term] = _codes(conn, term, wild.column, narrow)
        docs = np.unique(codes[term] >> _DOC_SHIFT).tolist()
        if not docs:
            return []
    ends = None
    for group in groups:
        starts = _group_starts(np, group, codes)
        if ends is not None:  # keep starts 1..WILD_MAX tokens after an end of the previous group
            starts = starts[np.any([np.isin(starts - gap, ends) for gap in range(1, WILD_MAX + 1)], axis=0)]
        ends = starts + len(group)
    return np.unique(ends >> _DOC_SHIFT).tolist()  # type: ignore[no-any-return]


# One int64 per occurrence: doc, column and token offset packed so that "offset + k" is
# "the same column of the same document, k tokens later".
_DOC_SHIFT, _COL_SHIFT = 22, 20
_COL_CODE = "CASE col WHEN 'title' THEN 0 WHEN 'body' THEN 1 ELSE 2 END"


def _count(conn: sqlite3.Connection, term: str) -> int:
    row = conn.execute("SELECT cnt FROM temp.fts_terms WHERE term = ?", [term]).fetchone()
    return int(row[0]) if row else 0


def _codes(conn: sqlite3.Connection, term: str, column: str | None, docs: list[int] | None):  # type: ignore[no-untyped-def]
    import numpy as np

    sql = (
        f"SELECT (doc << {_DOC_SHIFT}) | (({_COL_CODE}) << {_COL_SHIFT}) | min(offset, {(1 << _COL_SHIFT) - 1}) "
        "FROM temp.fts_pos WHERE term = ?"
    )
    params: list[object] = [term]
    if column is not None:
        sql += " AND col = ?"
        params.append(column)
    if docs is not None:  # narrowed inside SQLite: only rows of documents still in play
        sql += " AND doc IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(docs))
    return np.fromiter((row[0] for row in conn.execute(sql, params)), dtype=np.int64)


def _group_starts(np, group: list[str], codes):  # type: ignore[no-untyped-def]
    """Occurrences of the group's first token followed by the rest, consecutively."""
    starts = codes[group[0]]
    for k, term in enumerate(group[1:], 1):
        starts = starts[np.isin(starts + k, codes[term])]
    return starts
