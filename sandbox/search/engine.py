"""SearchEngine: parse, plan, run on the cached index, build hits, log every query."""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from osintlab.errors import UserError
from osintlab.i18n import _
from sandbox.search import wildcard
from sandbox.search.compile import Plan, WildSet, plan, wildsets
from sandbox.search.index import open_index
from sandbox.search.query import QueryError, parse
from sandbox.search.results import END, START, ZWSP, Hit, QueryLogEntry, SearchResults, marked_html, split_marks

MAX_PER_PAGE = 100
SNIPPET_TOKENS = 28


def _case_root(path: Path) -> Path:
    """The case/ directory of a world (accepts the world or its case/ directory).

    Mirrors synthetic_data.bundle.case_dir without importing it (and networkx) on the
    fast path; only case/ is ever read, never key/.
    """
    for candidate in (path / "case", path):
        if (candidate / "manifest.json").is_file():
            return candidate
    raise UserError(
        _("{path} is not a case world (no case/manifest.json): create one with osintlab world "
          "generate --out DIR.").format(
            path=path)
    )


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class SearchEngine:
    """The sandbox search engine over one case world's live pages."""

    def __init__(self, case_dir: Path | str, *, log_path: Path | None = None) -> None:
        self.case_root = _case_root(Path(case_dir))
        self._conn, self.index_path = open_index(self.case_root)
        self._ndocs = int(self._conn.execute("SELECT count(*) FROM docs").fetchone()[0])
        self._wild_tables: set[WildSet] = set()
        wildcard.attach(self._conn)
        self._log: list[QueryLogEntry] = []
        self.log_path = Path(log_path) if log_path is not None else None
        self._lock = threading.Lock()  # widgets may call from another thread

    @property
    def log(self) -> list[QueryLogEntry]:
        """This session's queries, in order (a copy)."""
        return list(self._log)

    def clear_cache(self) -> None:
        """Forget the wildcard phrases matched so far (the next search recomputes them)."""
        with self._lock:
            for wild in self._wild_tables:
                self._conn.execute(f"DROP TABLE IF EXISTS temp.{wild.table}")
            self._wild_tables.clear()

    def close(self) -> None:
        self._conn.close()

    def search(self, query: str, page: int = 1, per_page: int = 10) -> SearchResults:
        if not isinstance(page, int) or page < 1:
            raise UserError(_("page {page} is not a page number: use 1 or more.").format(page=repr(page)))
        if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
            raise UserError(_("per_page {per_page} is out of range: use a number from 1 to {MAX_PER_PAGE}.").format(
                per_page=repr(per_page), MAX_PER_PAGE=MAX_PER_PAGE))
        started = time.perf_counter()
        try:
            parsed = parse(query)
        except QueryError as exc:
            self._record(QueryLogEntry(_now(), query, 0, str(exc)))
            raise
        with self._lock:
            self._prepare(wildsets(parsed.node))
            total, hits = self._run(plan(parsed.node), page, per_page)
        took = (time.perf_counter() - started) * 1000
        self._record(QueryLogEntry(_now(), query, total, None))
        return SearchResults(query, total, page, per_page, round(took, 3), hits, list(parsed.notes))

    def _run(self, p: Plan, page: int, per_page: int) -> tuple[int, list[Hit]]:
        where = p.filters.text
        params = p.filters.params
        limit = [per_page, (page - 1) * per_page]
        if p.match is not None and not where:  # pure text: FTS5 alone counts and ranks fastest
            total = self._one("SELECT count(*) FROM fts WHERE fts MATCH ?", [p.match])
            rows = self._conn.execute(
                "SELECT rowid, -rank FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?", [p.match, *limit]
            ).fetchall()
        elif p.match is not None:
            # One pass: the window count comes with the ranked page. CROSS JOIN keeps FTS5 as
            # the outer loop; left free, SQLite may walk a docs index and run MATCH per row.
            rows, total = self._windowed(
                f"SELECT fts.rowid, -fts.rank, count(*) OVER () FROM fts CROSS JOIN docs d ON d.rowid = fts.rowid "
                f"WHERE fts MATCH ? AND {where} ORDER BY fts.rank", [p.match, *params], limit)
        elif p.highlight:  # text only under OR with filters: rank what matched, the rest after
            rows, total = self._windowed(
                "SELECT d.rowid, -coalesce(r.rank, 0), count(*) OVER () FROM docs d LEFT JOIN "
                f"(SELECT rowid, rank FROM fts WHERE fts MATCH ?) r ON r.rowid = d.rowid WHERE {where} "
                "ORDER BY coalesce(r.rank, 0), d.published DESC, d.rowid DESC", [p.highlight, *params], limit)
        else:  # filters only: newest first
            total = self._one(f"SELECT count(*) FROM docs d WHERE {where}", params)
            # Many matches: walking the date index and stopping at the page beats sorting them all.
            hint = "INDEXED BY docs_published" if total * 8 > self._ndocs else ""
            rows = self._conn.execute(
                f"SELECT d.rowid, 0.0 FROM docs d {hint} WHERE {where} ORDER BY d.published DESC, d.rowid DESC "
                "LIMIT ? OFFSET ?", [*params, *limit]).fetchall()
        return total, self._hits([(r[0], r[1]) for r in rows], p.highlight, page, per_page)

    def _one(self, sql: str, params: list[object]) -> int:
        return int(self._conn.execute(sql, params).fetchone()[0])

    def _windowed(self, sql: str, params: list[object], limit: list[int]) -> tuple[list[tuple], int]:
        rows = self._conn.execute(f"{sql} LIMIT ? OFFSET ?", [*params, *limit]).fetchall()
        if rows:
            return rows, int(rows[0][2])
        # past the last page: count on its own
        inner = sql.split(" ORDER BY ")[0].replace(", count(*) OVER ()", "")
        return rows, self._one(f"SELECT count(*) FROM ({inner})", params)

    def _prepare(self, wilds: list[WildSet]) -> None:
        """Fill the temp table of each wildcard phrase (kept for repeats and paging)."""
        if len(self._wild_tables) + len(wilds) > 64:  # bound memory; never mid-query
            for old in self._wild_tables:
                self._conn.execute(f"DROP TABLE IF EXISTS temp.{old.table}")
            self._wild_tables.clear()
        for wild in wilds:
            if wild in self._wild_tables:
                continue
            self._conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {wild.table}(id INTEGER PRIMARY KEY)")
            self._conn.execute(f"DELETE FROM temp.{wild.table}")
            found = json.dumps(wildcard.rowids(self._conn, wild))  # one statement: far faster than executemany
            self._conn.execute(f"INSERT INTO temp.{wild.table} SELECT value FROM json_each(?)", [found])
            self._wild_tables.add(wild)

    def _hits(self, ranked: list[tuple[int, float]], highlight: str | None, page: int, per_page: int) -> list[Hit]:
        if not ranked:
            return []
        rowids = [r for r, _ in ranked]
        marks = ",".join("?" * len(rowids))
        docs = {
            row[0]: row[1:]
            for row in self._conn.execute(
                f"SELECT rowid, page_id, url, title, published FROM docs WHERE rowid IN ({marks})", rowids
            )
        }
        snippets = self._snippets(rowids, highlight)
        hits = []
        for i, (rowid, score) in enumerate(ranked):
            page_id, url, title, published = docs[rowid]
            text, spans = split_marks(snippets.get(rowid, ""))
            hits.append(Hit((page - 1) * per_page + i + 1, page_id, url, title, text, marked_html(text, spans),
                            published, round(float(score), 4), spans))
        return hits

    def _snippets(self, rowids: list[int], highlight: str | None) -> dict[int, str]:
        """Body snippets for this page's rows only (snippet() is costly, so never for all matches)."""
        marks = ",".join("?" * len(rowids))
        out: dict[int, str] = {}
        if highlight:
            out.update(self._conn.execute(
                f"SELECT rowid, snippet(fts, 1, ?, ?, '…', {SNIPPET_TOKENS}) FROM fts "
                f"WHERE fts MATCH ? AND rowid IN ({marks})",
                [START, END, highlight, *rowids],
            ).fetchall())
        missing = [r for r in rowids if r not in out]
        if missing:  # no words matched in the body: show its opening
            for rowid, body in self._conn.execute(
                f"SELECT rowid, body FROM fts WHERE rowid IN ({','.join('?' * len(missing))})", missing
            ):
                out[rowid] = _opening(body)
        return out

    def _record(self, entry: QueryLogEntry) -> None:
        self._log.append(entry)
        if self.log_path is None:
            return
        line = json.dumps(entry.__dict__, ensure_ascii=False) + "\n"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        # One O_APPEND write per entry: concurrent writers never interleave within a line.
        fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)


def _opening(body: str, words: int = SNIPPET_TOKENS) -> str:
    parts = body.replace(ZWSP, "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
