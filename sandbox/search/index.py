"""The cached SQLite index of a case's live pages: an FTS5 table plus a metadata table.

The file is `<case>/.index/search-<fingerprint>.sqlite`, where the fingerprint hashes
pages.jsonl and the index format, so editing the case (or upgrading the index format)
picks a new file. It is built under a temporary name and renamed into place, so two
kernels opening the same case never see a half-built index. When the case directory is
read-only the index goes to the user cache ($XDG_CACHE_HOME or ~/.cache)/osintlab/search.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from osintlab.errors import UserError
from osintlab.i18n import _
from sandbox.search.segment import index_form, normalize

if TYPE_CHECKING:
    from synthetic_data.model import Page

INDEX_VERSION = 3  # 3: site: on the URL's host and scheme; ICU word marks in Thai, Lao, Khmer, Burmese
# unicode61 folds case and (remove_diacritics 2) Latin accents; marks (M*) are token
# characters so Bengali and Thai vowel signs do not split a word in two. U+200B (the word
# marks segment.py adds) is category Cf, so it separates tokens.
TOKENIZE = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
# bm25 weights for the FTS columns title, body, url: a title hit counts most.
RANK = "bm25(4.0, 1.0, 2.0)"

_SCHEMA = f"""
CREATE TABLE docs (
    rowid INTEGER PRIMARY KEY,
    page_id TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    rdomain TEXT NOT NULL,   -- the URL's host, labels reversed with a trailing dot: jobs.x.example -> example.x.jobs.
    scheme TEXT NOT NULL,    -- https | http
    path TEXT NOT NULL,      -- URL path (and query, fragment) after the host, lower case, starting with /
    filetype TEXT NOT NULL,  -- what the document is: pdf | doc | html
    ext TEXT NOT NULL,       -- the extension its address ends in (before ? and #), lower case, or ""
    published TEXT NOT NULL
);
CREATE VIRTUAL TABLE fts USING fts5(title, body, url, tokenize="{TOKENIZE}");
"""
_INDEXES = """
CREATE INDEX docs_rdomain ON docs(rdomain, published);  -- site: (+ dates) answered from the index alone
CREATE INDEX docs_published ON docs(published);
CREATE INDEX docs_filetype ON docs(filetype, published);
INSERT INTO fts(fts) VALUES('optimize');
"""


def reverse_domain(domain: str) -> str:
    return ".".join(reversed(domain.lower().strip(".").split("."))) + "."


def url_parts(url: str) -> tuple[str, str]:
    """(host, path) of a URL, lower case; path starts with / ("/" when empty)."""
    rest = url.lower().split("://", 1)[-1]
    host, _, path = rest.partition("/")
    return host.split("@")[-1].split(":", 1)[0], "/" + path


def url_scheme(url: str) -> str:
    scheme, sep, _ = url.partition("://")
    return scheme.lower() if sep else ""


def url_extension(url: str) -> str:
    """"pdf" for https://x.example/a/report.PDF?x=1#c2; "" when the last path segment has no dot."""
    path = url.split("://", 1)[-1].partition("/")[2].split("#")[0].split("?")[0]
    last = path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[1].lower() if "." in last else ""


def nfc(text: str) -> str:
    return normalize(text)


def _segmenter_version() -> str:
    """ICU's version: another ICU may split Thai differently, so its index is another index."""
    import icu

    return f"icu-{icu.ICU_VERSION}"


def fingerprint(pages_file: Path) -> str:
    salt = f"index-v{INDEX_VERSION}|{TOKENIZE}|{RANK}|{_segmenter_version()}"
    digest = hashlib.blake2b(salt.encode(), digest_size=10)
    with pages_file.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "osintlab" / "search"


def _writable_dir(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK | os.X_OK)


def index_candidates(case_root: Path, fp: str) -> list[Path]:
    """Where the index may live, in order: beside the case, then the user cache."""
    name = f"search-{fp}.sqlite"
    place = hashlib.blake2b(str(case_root.resolve()).encode(), digest_size=6).hexdigest()
    return [case_root / ".index" / name, _cache_root() / f"{place}-{name}"]


def _rows(pages: Iterable[Page]) -> Iterable[tuple[int, Page, str, str]]:
    for rowid, page in enumerate((p for p in pages if p.status != "deleted"), 1):
        host, path = url_parts(page.url)
        yield rowid, page, reverse_domain(host), path  # site: reads the URL, as the engines do


def build_index(pages: Iterable[Page], target: Path) -> None:
    """Write the index of the live pages to `target` atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
            docs, texts = [], []
            for rowid, page, rdomain, path in _rows(pages):
                title, scheme = nfc(page.title), url_scheme(page.url)
                docs.append((rowid, page.page_id, page.url, title, rdomain, scheme, path, page.filetype,
                             url_extension(page.url), page.published))
                texts.append((rowid, index_form(title), index_form(page.text), page.url))
            with conn:
                conn.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?)", docs)
                conn.executemany("INSERT INTO fts(rowid, title, body, url) VALUES (?,?,?,?)", texts)
                conn.execute("INSERT INTO fts(fts, rank) VALUES('rank', ?)", (RANK,))
            conn.executescript(_INDEXES)
        finally:
            conn.close()
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_stale(directory: Path, keep: Path) -> None:
    """Best effort: drop indexes of earlier versions of this case."""
    for old in directory.glob("search-*.sqlite"):
        if old != keep:
            old.unlink(missing_ok=True)


def open_index(case_root: Path) -> tuple[sqlite3.Connection, Path]:
    """Open (building first when needed) the index for the case directory `case_root`."""
    pages_file = case_root / "pages.jsonl"
    if not pages_file.is_file():
        raise UserError(_("{case_root} has no pages.jsonl: regenerate the world with osintlab world generate.").format(
            case_root=case_root))
    fp = fingerprint(pages_file)
    candidates = index_candidates(case_root, fp)
    for path in candidates:
        if path.is_file():
            return _connect(path), path
    from synthetic_data.bundle import load_case  # heavy; only needed to (re)build

    pages = load_case(case_root).pages
    for path in candidates:
        if _writable_dir(path.parent):
            build_index(pages, path)
            if path.parent.name == ".index":
                _remove_stale(path.parent, path)
            return _connect(path), path
    raise UserError(
        _("cannot write a search index beside {case_root} nor in {parent}: make one of them writable or set "
          "XDG_CACHE_HOME to a writable directory.").format(
            case_root=case_root, parent=candidates[-1].parent)
    )


def _connect(path: Path) -> sqlite3.Connection:
    # Read-only: searching never changes the index, and the case may be on a read-only disk.
    # (Not query_only: the wildcard matcher needs scratch tables in the temp schema.)
    # Autocommit: scratch writes to temp tables never hold a transaction open.
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
    )
