"""Result records: hits, a page of results (with a DataFrame and notebook HTML), log entries."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from osintlab.i18n import _, ngettext

if TYPE_CHECKING:
    import pandas

START, END = "\x02", "\x03"  # highlight markers FTS5 puts around matched tokens
ZWSP = "\u200b"  # segment.ZWSP (not imported: results must stay importable on its own)


def split_marks(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain text and the (start, end) spans the markers enclosed."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    pos, start = 0, -1
    for ch in marked:
        if ch == ZWSP:  # a word mark of the index (segment.py), invisible to readers
            continue
        if ch == START:
            start = pos
        elif ch == END:
            if start >= 0 and pos > start:
                spans.append((start, pos))
            start = -1
        else:
            plain.append(ch)
            pos += 1
    return "".join(plain), spans


def marked_html(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


@dataclass
class Hit:
    rank: int
    page_id: str
    url: str
    title: str
    snippet: str  # plain text; `marks` says which spans matched
    snippet_html: str  # escaped, matched terms in <mark>
    published: str
    score: float  # BM25, higher is better (0 when the query has no words)
    marks: list[tuple[int, int]] = field(default_factory=list)

    def snippet_marked(self, before: str = "[", after: str = "]") -> str:
        """The snippet with matched spans wrapped, e.g. for a terminal."""
        out, last = [], 0
        for start, end in self.marks:
            out += [self.snippet[last:start], before, self.snippet[start:end], after]
            last = end
        return "".join([*out, self.snippet[last:]])


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: list[Hit]
    notes: list[str] = field(default_factory=list)  # what the engine repaired or ignored, "did you mean"

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def frame(self) -> pandas.DataFrame:
        import pandas as pd  # only here: importing the engine must stay fast

        columns = ["rank", "title", "url", "snippet", "published", "page_id", "score"]
        return pd.DataFrame([[getattr(h, c) for c in columns] for h in self.hits], columns=columns)

    def summary(self) -> str:
        first = (self.page - 1) * self.per_page + 1
        count = ngettext("{n} result ({ms} ms)", "{n} results ({ms} ms)", self.total).format(
            n=self.total, ms=f"{self.took_ms:.1f}")
        if not self.hits:
            return _("{count}; nothing on page {page} of {pages}.").format(
                count=count, page=self.page, pages=self.pages)
        last = first + len(self.hits) - 1
        return _("{count}; showing {first}–{last}, page {page} of {pages}.").format(
            count=count, first=first, last=last, page=self.page, pages=self.pages)

    def _repr_html_(self) -> str:
        rows = []
        for h in self.hits:
            rows.append(
                f'<li value="{h.rank}"><a href="{html.escape(h.url)}" target="_blank">{html.escape(h.title)}</a>'
                f'<br><small style="color:#006621">{html.escape(h.url)}</small>'
                f' <small style="color:#666">{html.escape(h.published[:10])}</small>'
                f"<br>{h.snippet_html}</li>"
            )
        notes = "".join(f'<p class="osintlab-note" style="color:#8a5300">Note: {html.escape(n)}</p>'
                        for n in self.notes)
        return (
            f'<div class="osintlab-search"><p><b>{html.escape(self.query)}</b>: {html.escape(self.summary())}</p>'
            f"{notes}<ol>{''.join(rows)}</ol></div>"
        )


@dataclass
class QueryLogEntry:
    time: str  # UTC, ISO 8601 with Z (milliseconds)
    query: str
    total: int
    error: str | None = None
