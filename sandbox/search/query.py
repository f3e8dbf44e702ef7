"""Parse a search query into a small AST (see the package docstring for the language).

Grammar (OR binds tighter than the implicit AND, as in Google: `jobs visa OR permit`
means jobs AND (visa OR permit)):

    query   := and_expr
    and_expr:= or_expr+                   ("AND" between terms is accepted and ignored)
    or_expr := unary (("OR" | "|") unary)*
    unary   := "-" unary | primary
    primary := "(" and_expr ")" | PHRASE | OPERATOR ":" (PHRASE | WORD) | WORD

Every error is a QueryError whose one sentence names the column (1-based) at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from osintlab.errors import UserError

FIELDS = {"intitle": "title", "intext": "body", "inurl": "url"}
FILETYPES = ("pdf", "doc", "html")
OPERATORS = ("site", *FIELDS, "filetype", "before", "after")
MAX_QUERY_CHARS = 1000

# A word "has content" when it holds a letter or digit: FTS5 would see no token otherwise.
_HAS_WORD = re.compile(r"[^\W_]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # NUL would end an FTS5 string early
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")


class QueryError(UserError):
    """A malformed query: one sentence saying what is wrong and at which column."""


# ---------------------------------------------------------------- AST


@dataclass(frozen=True)
class Term:
    """One word (may hold punctuation: FTS splits `abc-123` into a two-token phrase)."""

    text: str
    prefix: bool = False  # `recruit*`: any word starting with `recruit`


@dataclass(frozen=True)
class Phrase:
    """Consecutive words; a None part is a `*` standing for one or more words."""

    parts: tuple[str | None, ...]

    @property
    def wildcard(self) -> bool:
        return None in self.parts


@dataclass(frozen=True)
class Field:
    """intitle:/intext:/inurl: restricting a term or phrase to one column."""

    column: str  # title | body | url
    node: Term | Phrase


@dataclass(frozen=True)
class Site:
    domain: str  # lower case, no scheme
    path: str = ""  # "/jobs" for site:domain/jobs (a URL prefix), else ""


@dataclass(frozen=True)
class FileType:
    value: str


@dataclass(frozen=True)
class DateBound:
    """before: (strictly before the first day of the period) or after: (on or after it)."""

    op: str  # before | after
    bound: str  # YYYY-MM-DD, the first day of the period given


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Phrase | Field | Site | FileType | DateBound | Not | And | Or
Query = Node


def is_positive(node: Node) -> bool:
    """True when the node restricts to some pages rather than only excluding pages."""
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(is_positive(c) for c in node.children)
    if isinstance(node, Or):
        return all(is_positive(c) for c in node.children)
    return True


# ---------------------------------------------------------------- lexer


@dataclass(frozen=True)
class _Tok:
    kind: str  # WORD | PHRASE | OP | LPAREN | RPAREN | OR | NEG
    value: str
    col: int  # 1-based column where the token starts
    op: str = ""  # operator name for OP
    quoted: bool = False  # OP value was a quoted phrase


_BREAK = set(' \t\r\n()"|')


def _read_phrase(text: str, i: int) -> tuple[str, int]:
    """text[i] is a quote; return the phrase and the index after the closing quote."""
    end = text.find('"', i + 1)
    if end < 0:
        raise QueryError(f'the quote at column {i + 1} is never closed: add a closing " to end the phrase.')
    return text[i + 1 : end], end + 1


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()|":
            kind = {"(": "LPAREN", ")": "RPAREN", "|": "OR"}[ch]
            toks.append(_Tok(kind, ch, i + 1))
            i += 1
        elif ch == '"':
            phrase, j = _read_phrase(text, i)
            toks.append(_Tok("PHRASE", phrase, i + 1))
            i = j
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in ")|":
            toks.append(_Tok("NEG", "-", i + 1))
            i += 1
        else:
            i = _lex_word(text, i, toks)
    return toks


def _lex_word(text: str, i: int, toks: list[_Tok]) -> int:
    start = i
    while i < len(text) and text[i] not in _BREAK:
        i += 1
    word = text[start:i]
    name, colon, value = word.partition(":")
    if not colon or not name.isascii() or not name.isalpha():
        toks.append(_Tok("OR" if word == "OR" else "WORD", word, start + 1))
        return i
    op = name.lower()
    if op not in OPERATORS:
        raise QueryError(
            f"unknown operator {name}: at column {start + 1}; use one of "
            f"{', '.join(o + ':' for o in OPERATORS)}, or put the text in quotes to search for it as words."
        )
    quoted = False
    if not value and i < len(text) and text[i] == '"':
        value, i = _read_phrase(text, i)
        quoted = True
    if not value.strip():
        raise QueryError(
            f"the operator {op}: "
            f"at column {start + 1} needs a value right after the colon, with no space."
        )
    toks.append(_Tok("OP", value, start + 1, op=op, quoted=quoted))
    return i


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, toks: list[_Tok], length: int) -> None:
        self.toks = toks
        self.pos = 0
        self.end_col = length + 1

    def peek(self) -> _Tok | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Node:
        node = self.and_expr()
        tok = self.peek()
        if tok is not None:  # only a stray ")" can stop and_expr early
            raise QueryError(f"the ) at column {tok.col} has no matching (: remove it or add a ( before it.")
        return node

    def and_expr(self) -> Node:
        items: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind != "RPAREN":
            if tok.kind == "WORD" and tok.value == "AND":
                self.take()  # Google-style: AND is implicit
                continue
            items.append(self.or_expr())
        if not items:
            tok = self.peek()
            where = f") at column {tok.col}" if tok else f"the end of the query (column {self.end_col})"
            raise QueryError(f"a term is missing before {where}: put a word, phrase or operator there.")
        return items[0] if len(items) == 1 else And(tuple(items))

    def or_expr(self) -> Node:
        first = self.peek()
        if first is not None and first.kind == "OR":
            raise QueryError(
                f"{first.value} at column {first.col} needs a term before it: "
                f"add one or remove the {first.value}."
            )
        branches = [self.unary()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "RPAREN"):
                raise QueryError(
                    f"{tok.value} at column {tok.col} needs a term after it: "
                    f"add one or remove the {tok.value}."
                )
            branches.append(self.unary())
        return branches[0] if len(branches) == 1 else Or(tuple(branches))

    def unary(self) -> Node:
        tok = self.take()
        if tok.kind == "NEG":
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "RPAREN"):
                raise QueryError(f"the - at column {tok.col} must be followed by a word, phrase, group or operator.")
            return Not(self.unary())
        if tok.kind == "LPAREN":
            inner = self.and_expr()
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                raise QueryError(f"the ( at column {tok.col} is never closed: add a ) to end the group.")
            self.take()
            return inner
        if tok.kind == "PHRASE":
            return _phrase(tok.value, tok.col)
        if tok.kind == "OP":
            return _operator(tok)
        return _word(tok.value, tok.col)


def _word(text: str, col: int) -> Term:
    if text == "*":
        raise QueryError(f'the * at column {col} stands for words only inside a quoted phrase, like "work * visa".')
    prefix = text.endswith("*") and len(text) > 1
    core = text.rstrip("*") if prefix else text
    if "*" in core:
        raise QueryError(
            f"t"
            f"he * in {text!r} at column {col} may only end a word (recruit*) or stand alone in a phrase."
        )
    if not _HAS_WORD.search(core):
        raise QueryError(f"{text!r} at column {col} has no letters or digits to search for: remove it or quote it.")
    return Term(core, prefix)


def _phrase(text: str, col: int) -> Phrase:
    words = text.split()
    parts: list[str | None] = []
    for word in words:
        if word == "*":
            if parts and parts[-1] is None:
                continue  # "a * * b" is the same as "a * b": one or more words
            parts.append(None)
        elif "*" in word:
            raise QueryError(
                f't'
                f'he * in "{text}" at column {col} must stand alone, with spaces around it, like "work * visa".'
            )
        elif _HAS_WORD.search(word):
            parts.append(word)
    while parts and parts[0] is None:
        parts.pop(0)  # a leading or trailing * adds nothing: every match has words around it
    while parts and parts[-1] is None:
        parts.pop()
    if not parts:
        raise QueryError(
            f'the phrase "{text}" at column {col} has no words to search for: '
            f'put words inside the quotes.'
        )
    return Phrase(tuple(parts))


def _operator(tok: _Tok) -> Node:
    value, col = tok.value, tok.col
    if tok.op in FIELDS:
        inner = _phrase(value, col) if tok.quoted else _word(value, col)
        return Field(FIELDS[tok.op], inner)
    if tok.op == "site":
        return _site(value, col)
    if tok.op == "filetype":
        ft = value.lower().lstrip(".")
        if ft not in FILETYPES:
            raise QueryError(
                f"filetype:{value} at column {col} is not known: "
                f"use filetype:pdf, filetype:doc or filetype:html."
            )
        return FileType(ft)
    return DateBound(tok.op, _date(tok.op, value, col))


def _site(value: str, col: int) -> Site:
    raw = value.lower()
    for scheme in ("https://", "http://"):
        raw = raw.removeprefix(scheme)
    domain, slash, path = raw.partition("/")
    domain = domain.strip(".")
    if not _DOMAIN.match(domain):
        raise QueryError(
            f"site:{value} at column {col} is not a domain: "
            f"write it like site:jobs.example or site:jobs.example/path."
        )
    return Site(domain, "/" + path.rstrip("/") if slash and path.strip("/") else "")


def _date(op: str, value: str, col: int) -> str:
    match = _DATE.match(value)
    bad = f"{op}:{value} at column {col} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, like {op}:2025-03-01."
    if not match:
        raise QueryError(bad)
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    from datetime import date

    try:
        date(year, month, day)
    except ValueError:
        raise QueryError(bad) from None
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_query(text: str) -> Query:
    """Parse `text` into an AST; raise QueryError with one sentence when it is malformed."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text)} characters long: shorten it to at most {MAX_QUERY_CHARS}.")
    toks = _lex(_CONTROL.sub(" ", text))  # one for one, so columns stay right
    if not toks:
        raise QueryError("the query is empty: type at least one word, phrase or operator.")
    node = _Parser(toks, len(text)).parse()
    if not is_positive(node):
        raise QueryError(
            "the query only excludes pages: add at least one word, phrase or operator (such as site:) to search for."
        )
    return node
