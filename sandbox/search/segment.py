"""Word breaks for scripts written without spaces between words (Thai, Lao, Khmer, Burmese).

SQLite's unicode61 tokenizer splits words at spaces and punctuation only, so a Thai
sentence would be one long "word". ICU's word break iterator (the Unicode UAX #29 rules
plus ICU's dictionaries for these four scripts) finds the word boundaries; `segment`
puts a ZERO WIDTH SPACE (U+200B) at each one. unicode61 treats U+200B as a separator
(it is category Cf, not a token character), so the index and the query see the same
words, while a reader sees the text unchanged (`visible` removes the marks from
snippets).

The same function runs on page text when the index is built and on every query word
and phrase, so a query is split exactly as the pages were. The script of each run of
characters decides, not the page's `lang` field: queries carry no language, and a Thai
name inside an English page must be split the same way.
"""

from __future__ import annotations

import re
import threading
import unicodedata

ZWSP = "\u200b"

# Unicode blocks of the scripts ICU segments with a dictionary (ICU data: thaidict,
# laodict, khmerdict, burmesedict). Each run is handed to ICU on its own.
_NO_SPACE_RUN = re.compile(
    "["
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f"  # Myanmar and its extensions
    "\u1780-\u17ff\u19e0-\u19ff"  # Khmer and Khmer Symbols
    "]+"
)
_local = threading.local()


def _breaker():  # type: ignore[no-untyped-def]
    """One ICU word break iterator per thread (ICU iterators are not thread-safe)."""
    breaker = getattr(_local, "breaker", None)
    if breaker is None:
        import icu  # PyICU, built against the system's libicu

        breaker = _local.breaker = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    return breaker


def _split_run(run: str) -> str:
    breaker = _breaker()
    breaker.setText(run)
    # The runs hold only characters of the Basic Multilingual Plane, so ICU's UTF-16
    # offsets are Python string offsets.
    pieces, start = [], 0
    for end in breaker:
        pieces.append(run[start:end])
        start = end
    return ZWSP.join(pieces)


def segment(text: str) -> str:
    """`text` with U+200B between the words of its Thai, Lao, Khmer and Burmese runs.

    Other text is returned unchanged (the fast path: one regex search). Input should be
    NFC already; the result has the same characters plus the added U+200B marks.
    """
    if not _NO_SPACE_RUN.search(text):
        return text
    return _NO_SPACE_RUN.sub(lambda m: _split_run(m.group()), text)


def visible(text: str) -> str:
    """`text` without the word marks `segment` added (for snippets shown to a reader)."""
    return text.replace(ZWSP, "")


def normalize(text: str) -> str:
    """NFC, the one Unicode form of the index and of queries (canonically equal text,
    such as a decomposed Cyrillic й or a precomposed Bengali য়, then matches)."""
    return unicodedata.normalize("NFC", text)


def index_form(text: str) -> str:
    """What the index stores and a query is compared in: NFC, then word marks."""
    return segment(normalize(text))
