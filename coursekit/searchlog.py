"""A search log: every query an officer runs, when, why and how many results it gave.

A court or a colleague must be able to repeat the search (investigation-method.md), so the
log keeps the exact query text, the engine's UTC time and hit count, and the officer's
reason, and saves to CSV atomically. The engine already logs time and count; this adds why.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import pandas as pd

from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_text
from osintlab.i18n import _
from sandbox.search import QueryError, SearchEngine, SearchResults


@dataclass(frozen=True)
class Entry:
    time: str  # UTC, from the engine's own query log
    query: str
    why: str
    results: int
    error: str = ""


class SearchLog:
    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def search(self, engine: SearchEngine, query: str, why: str, per_page: int = 10) -> SearchResults | None:
        """Run the query, log it with the reason, and return the results.

        A malformed query is logged too; its one-sentence error is printed and None is
        returned, so an officer sees what to fix instead of a traceback.
        """
        if not why.strip():
            raise UserError(_("say why you run the query {query} (why='...'): the log must explain "
                              "every search.").format(
                query=repr(query)))
        try:
            results: SearchResults | None = engine.search(query, per_page=per_page)
        except QueryError as exc:
            print(_("Query problem: {exc}").format(exc=exc))
            results = None
        last = engine.log[-1]
        self.entries.append(Entry(last.time, query, why.strip(), last.total, last.error or ""))
        return results

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(e) for e in self.entries], columns=[f.name for f in fields(Entry)])

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=[f.name for f in fields(Entry)], lineterminator="\n")
        writer.writeheader()
        writer.writerows(asdict(e) for e in self.entries)
        return buffer.getvalue()

    def save(self, path: Path | str) -> Path:
        """Write the log as CSV (atomically) and return the path."""
        path = Path(path)
        if path.suffix.lower() != ".csv":
            raise UserError(_("save the search log as a .csv file, not {name}.").format(name=repr(path.name)))
        atomic_write_text(path, self.to_csv())
        return path

    @classmethod
    def load(cls, path: Path | str) -> SearchLog:
        path = Path(path)
        if not path.is_file():
            raise UserError(_("there is no search log at {path}: save one first with log.save(path).").format(
                path=path))
        log = cls()
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                try:
                    log.entries.append(Entry(row["time"], row["query"], row["why"], int(row["results"]), row["error"]))
                except (KeyError, TypeError, ValueError):
                    raise UserError(_("{path} is not a search log saved by SearchLog: save it again.").format(
                        path=path)) from None
        return log
