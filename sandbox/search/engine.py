"""SearchEngine: parse, plan, run on the cached index, build hits, log every query."""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from osintlab.errors import UserError
from sandbox.search.compile import Plan, plan, wild
from sandbox.search.index import open_index
from sandbox.search.query import QueryError, parse_query
from sandbox.search.results import END, START, Hit, QueryLogEntry, SearchResults, marked_html, split_marks

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
        f"{path} is not a case world (no case/manifest.json): "
        f"create one with osintlab world generate --out DIR."
    )


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class SearchEngine:
    """The sandbox search engine over one case world's live pages."""

    def __init__(self, case_dir: Path | str, *, log_path: Path | None = None) -> None:
        self.case_root = _case_root(Path(case_dir))
        self._conn, self.index_path = open_index(self.case_root)
        self._conn.create_function("wild", 5, wild, deterministic=True)
        self._log: list[QueryLogEntry] = []
        self.log_path = Path(log_path) if log_path is not None else None
        self._lock = threading.Lock()  # widgets may call from another thread

    @property
    def log(self) -> list[QueryLogEntry]:
        """This session's queries, in order (a copy)."""
        return list(self._log)

    def close(self) -> None:
        self._conn.close()

    def search(self, query: str, page: int = 1, per_page: int = 10) -> SearchResults:
        if not isinstance(page, int) or page < 1:
            raise UserError(f"page {page!r} is not a page number: use 1 or more.")
        if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
            raise UserError(f"per_page {per_page!r} is out of range: use a number from 1 to {MAX_PER_PAGE}.")
        started = time.perf_counter()
        try:
            node = parse_query(query)
        except QueryError as exc:
            self._record(QueryLogEntry(_now(), query, 0, str(exc)))
            raise
        with self._lock:
            total, hits = self._run(plan(node), page, per_page)
        took = (time.perf_counter() - started) * 1000
        self._record(QueryLogEntry(_now(), query, total, None))
        return SearchResults(query, total, page, per_page, round(took, 3), hits)

    def _run(self, p: Plan, page: int, per_page: int) -> tuple[int, list[Hit]]:
        where = f"WHERE {p.where.text}"
        total = self._conn.execute(f"SELECT count(*) FROM {p.source} {where}", p.where.params).fetchone()[0]
        if total == 0 or (page - 1) * per_page >= total:
            return total, []
        rows = self._conn.execute(
            f"SELECT d.rowid, d.page_id, d.url, d.title, d.published, {p.score} FROM {p.source} {where} "
            f"ORDER BY {p.order} LIMIT ? OFFSET ?",
            [*p.where.params, per_page, (page - 1) * per_page],
        ).fetchall()
        snippets = self._snippets([r[0] for r in rows], p.highlight)
        hits = []
        for i, (rowid, page_id, url, title, published, score) in enumerate(rows):
            text, marks = split_marks(snippets.get(rowid, ""))
            hits.append(Hit((page - 1) * per_page + i + 1, page_id, url, title, text, marked_html(text, marks),
                            published, round(float(score), 4), marks))
        return total, hits

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
    parts = body.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
