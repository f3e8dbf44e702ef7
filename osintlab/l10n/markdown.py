"""Markdown text as translation units, and the same text with the units translated.

A unit is what a translator translates in one go: a heading, a paragraph (also inside list
items and quotes), or a table cell. Code (fenced blocks) and raw HTML are never units; inline
code stays inside a unit's text and must come back unchanged (the catalogue checks do that).
The Markdown around a unit (`## `, `- `, `1. `, `- [ ] `, `> `, table pipes, indentation) is
kept by the builder, so a translator never edits Markdown syntax.

A paragraph's line breaks are only wrapping in the source: a unit's text joins its lines with
spaces, and a translated paragraph is written on one line.

Parsing is markdown-it-py's CommonMark parser with GFM tables (the parser MyST uses).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt

Lookup = Callable[[str], "str | None"]  # unit text -> translation, or None to keep the English

_TASK = re.compile(r"^\[[ xX]\] ")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class Unit:
    """One translatable piece of a Markdown text."""

    text: str  # what the translator sees (paragraph lines joined with spaces)
    kind: str  # heading | paragraph | cell
    line: int  # first line of the unit in the text (0-based)


@dataclass(frozen=True)
class _Block:
    start: int  # line range [start, end) in the text
    end: int
    kind: str  # heading | paragraph | row
    texts: tuple[str, ...]  # one text, or the cells of a table row
    keep_last: bool = False  # a setext heading keeps its underline


# nbgrader's markers (its ClearSolutions/ClearHiddenTests defaults): never offered for translation.
NBGRADER_MARKERS = frozenset({"BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
                              "YOUR ANSWER HERE"})


def code_spans(text: str) -> list[str]:
    """The inline code spans of a unit (with their backticks), in order."""
    return [m.group(0) for m in _CODE_SPAN.finditer(text)]


def worth_translating(text: str) -> bool:
    """A unit with no letters outside inline code (an operator, a number) is not extracted."""
    return bool(_LETTER.search(_CODE_SPAN.sub("", text)))


def _blocks(text: str) -> Iterator[_Block]:
    tokens = _parser().parse(text)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type in ("heading_open", "paragraph_open") and tok.map:
            inline = tokens[i + 1]
            kind = "heading" if tok.type == "heading_open" else "paragraph"
            joined = " ".join(line.strip() for line in inline.content.splitlines())
            if joined in NBGRADER_MARKERS:  # nbgrader strips solutions by these exact words
                i += 1
                continue
            yield _Block(tok.map[0], tok.map[1], kind, (joined,), keep_last=tok.markup in ("=", "-"))
        elif tok.type == "tr_open" and tok.map:
            cells, j = [], i + 1
            while tokens[j].type != "tr_close":
                if tokens[j].type == "inline":
                    cells.append(tokens[j].content.strip())
                j += 1
            yield _Block(tok.map[0], tok.map[1], "row", tuple(cells))
        i += 1


def units(text: str) -> list[Unit]:
    """The translatable units of a Markdown text, in order (units with nothing to translate left out)."""
    out = []
    for block in _blocks(text):
        kind = "cell" if block.kind == "row" else block.kind
        for piece in block.texts:
            body = _TASK.sub("", piece) if kind == "paragraph" else piece
            if worth_translating(body):
                out.append(Unit(body, kind, block.start))
    return out


def _prefix(first_line: str, content: str) -> str:
    """The Markdown in front of a block's content on its first line ("## ", "  - ", "> ")."""
    first_content = content.split(" ", 1)[0] if content else ""
    at = first_line.find(first_content) if first_content else -1
    return first_line[:at] if at >= 0 else ""


def translate(text: str, lookup: Lookup) -> str:
    """`text` with every unit that `lookup` translates replaced; the rest unchanged.

    With no translation at all the result is byte-identical to `text`.
    """
    lines = text.split("\n")
    changes: list[tuple[int, int, list[str]]] = []
    for block in _blocks(text):
        new = _translated_block(block, lines, lookup)
        if new is not None:
            changes.append((block.start, block.end, new))
    for start, end, new in reversed(changes):
        lines[start:end] = new
    return "\n".join(lines)


_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _translated_block(block: _Block, lines: list[str], lookup: Lookup) -> list[str] | None:
    first = lines[block.start]
    if block.kind == "row":
        cells = [lookup(cell) if worth_translating(cell) else None for cell in block.texts]
        if not any(cells):
            return None
        indent = first[: len(first) - len(first.lstrip())]
        # a cell's text comes unescaped from the parser: a literal | must be written \| again
        body = " | ".join(_UNESCAPED_PIPE.sub(r"\\|", new or old) for new, old in zip(cells, block.texts, strict=True))
        return [f"{indent}| {body} |"]
    content = block.texts[0]
    task = _TASK.match(content) if block.kind == "paragraph" else None
    body = content[task.end():] if task else content
    if not worth_translating(body):
        return None
    new = lookup(body)
    if new is None:
        return None
    prefix = _prefix(first, content) + (task.group(0) if task else "")
    out = [prefix + " ".join(new.split("\n"))]
    if block.keep_last:
        out.append(lines[block.end - 1])
    return out
