"""Expected page sets computed without the engine: plain Python over a world's pages.jsonl.

The engine reads its SQLite index; these helpers read the pages as a trainee's browser
would show them (title, text, URL), split words with a regex and compare. They share no
code with sandbox.search, so a test that compares the two checks the engine against an
independent reading of what the web engines document.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

Page = dict[str, Any]
Pred = Callable[[Page], bool]
_WORD = re.compile(r"[^\W_]+")


def live_pages(world: Path) -> list[Page]:
    lines = (world / "case" / "pages.jsonl").read_text(encoding="utf-8").splitlines()
    return [p for p in map(json.loads, lines) if p["status"] == "live"]


def fold(text: str) -> str:
    """Case-folded, with accents removed from Latin letters (café = cafe), NFC otherwise."""
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and out[-1] < "\u0250":
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def columns(page: Page, only: str | None = None) -> list[list[str]]:
    cols = {"title": page["title"], "body": page["text"], "url": page["url"]}
    return [words(v) for k, v in cols.items() if only in (None, k)]


def host(page: Page) -> str:
    return (urlsplit(page["url"]).hostname or "").lower()


def url_path(page: Page) -> str:
    return urlsplit(page["url"]).path.lower()


def has(word: str, only: str | None = None) -> Pred:
    w = fold(word)
    return lambda p: any(w in col for col in columns(p, only))


def _runs(col: list[str], seq: list[str]) -> list[int]:
    return [i for i in range(len(col) - len(seq) + 1) if col[i : i + len(seq)] == seq]


def phrase(text: str, only: str | None = None) -> Pred:
    seq = words(text)
    return lambda p: any(_runs(col, seq) for col in columns(p, only))


def gap(before: str, after: str, most: int = 8) -> Pred:
    """`"before * after"`: 1..most words between, in one column."""
    a, b = words(before), words(after)

    def ok(p: Page) -> bool:
        for col in columns(p):
            ends = {i + len(a) for i in _runs(col, a)}
            if any(j - e in range(1, most + 1) for j in _runs(col, b) for e in ends):
                return True
        return False

    return ok


def around(left: str, right: str, n: int) -> Pred:
    """At most n words between the two, either order, in one column."""
    a, b = words(left), words(right)

    def ok(p: Page) -> bool:
        for col in columns(p):
            for i in _runs(col, a):
                for j in _runs(col, b):
                    between = j - (i + len(a)) if j >= i else i - (j + len(b))
                    if 0 <= between <= n:
                        return True
        return False

    return ok


def on_host(domain: str) -> Pred:
    return lambda p: host(p) == domain or host(p).endswith("." + domain)


def url_prefix(prefix: str) -> Pred:
    return lambda p: p["url"].lower().startswith(prefix.lower())


def extension(ext: str) -> Pred:
    return lambda p: url_path(p).endswith("." + ext)


def kind_of_file(kind: str) -> Pred:
    """What the document is (its record), as Google's and Bing's filetype: classify content."""
    return lambda p: p["filetype"] == kind


def published(op: str, day: str) -> Pred:
    return lambda p: p["published"][:10] < day if op == "before" else p["published"][:10] >= day


def all_of(*preds: Pred) -> Pred:
    return lambda p: all(f(p) for f in preds)


def any_of(*preds: Pred) -> Pred:
    return lambda p: any(f(p) for f in preds)


def none_of(*preds: Pred) -> Pred:
    return lambda p: not any(f(p) for f in preds)


def select(pages: Iterable[Page], pred: Pred) -> set[str]:
    return {p["page_id"] for p in pages if pred(p)}
