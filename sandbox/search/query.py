"""Parse a search query into a small AST (see docs/search-operators.md for the language).

Grammar (OR binds tighter than the implicit AND, as in Google: `jobs visa OR permit`
means jobs AND (visa OR permit)):

    query   := and_expr
    and_expr:= or_expr+                   ("AND", "&", "&&" between terms are accepted and ignored)
    or_expr := near (("OR" | "|" | "||") near)*
    near    := unary ("AROUND(" N ")" unary)*
    unary   := ("-" | "NOT") unary | "+" unary | primary
    primary := "(" and_expr ")" | PHRASE | OPERATOR ":" (PHRASE | WORD | "(" and_expr ")") | WORD

Forgiving as the web engines are: a `word:` that is no operator is ordinary text
(`Salary: MNT`, a pasted URL), symbols with no letters or digits are ignored, an
unclosed quote or bracket is closed at the end. Each repair adds a one-sentence note
(`Parsed.notes`), and a token that looks like a misspelt operator gets "did you mean".
Only what no engine can mean is refused, with a QueryError whose one sentence names the
column (1-based): nothing left to search for, only exclusions, an impossible date, a
site: that is no web address, AROUND between things other than words and phrases,
nesting deeper than MAX_DEPTH, a query longer than MAX_QUERY_CHARS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from osintlab.errors import UserError
from osintlab.i18n import N_, _
from sandbox.search.segment import normalize

FIELDS = {"intitle": "title", "intext": "body", "inurl": "url", "inbody": "body"}  # inbody: is Bing's intext:
OPERATORS = ("site", "intitle", "intext", "inurl", "filetype", "ext", "before", "after", "inbody")
# Names the sandbox does not support but the real engines have (or had): searched as words, with a note.
ENGINE_ONLY = (
    "allintitle", "allintext", "allinurl", "allinanchor", "inanchor", "cache", "related", "info", "link",
    "define", "source", "loc", "location", "language", "ip", "contains", "prefer", "feed", "hasfeed", "url",
    "instreamset", "daterange", "numrange", "imagesize", "src", "map", "movie", "stocks", "weather",
)
# filetype:/ext: values mapped to the sandbox's three document types (Bing treats DOC, DOCX and
# WORD alike; htm is html's other extension). Other extensions are accepted and match nothing.
FILETYPE_ALIASES = {"pdf": "pdf", "doc": "doc", "docx": "doc", "word": "doc", "html": "html", "htm": "html"}
FILETYPES = ("pdf", "doc", "html")
MAX_QUERY_CHARS = 1000
MAX_DEPTH = 10  # groups and exclusions inside each other; deeper would overflow SQLite's parser
MAX_AROUND = 100

_HAS_WORD = re.compile(r"[^\W_]")  # a letter or digit: FTS5 would see no token otherwise
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # NUL would end an FTS5 string early
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'})
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_DOMAIN = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
_EXTENSION = re.compile(r"^[a-z0-9]{1,10}$")
_AROUND = re.compile(r"AROUND\((\d{1,4})\)")


class QueryError(UserError):
    """A query no engine could mean: one sentence saying what is wrong and at which column."""


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
    """site:host (the host and its subdomains), site:host/path or site:https://host/path (URL prefix)."""

    domain: str  # lower case, no scheme
    path: str = ""  # "/jobs" for site:domain/jobs (a URL prefix on exactly that host), else ""
    scheme: str = ""  # "https" when the value was a full URL: a URL prefix on exactly that host
    subdomains_only: bool = False  # site:*.jobs.example


@dataclass(frozen=True)
class FileType:
    value: str  # pdf | doc | html, or another extension (which no sandbox page has)


@dataclass(frozen=True)
class Extension(FileType):
    """ext:X, as Bing documents it: the page's address ends in .X (before any ? or #)."""


@dataclass(frozen=True)
class DateBound:
    """before: (strictly before the first day of the period) or after: (on or after it)."""

    op: str  # before | after
    bound: str  # YYYY-MM-DD, the first day of the period given


@dataclass(frozen=True)
class Near:
    """`a AROUND(n) b`: both in the same field, at most n words between them, either order."""

    left: Term | Phrase
    right: Term | Phrase
    distance: int


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Phrase | Field | Site | FileType | Extension | DateBound | Near | Not | And | Or
Query = Node


@dataclass(frozen=True)
class Parsed:
    """A parsed query and the notes on what was repaired, ignored or looks misspelt."""

    node: Node
    notes: tuple[str, ...] = ()


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
    kind: str  # WORD | PHRASE | OP | OPGROUP | LPAREN | RPAREN | OR | NEG | AROUND
    value: str
    col: int  # 1-based column where the token starts
    op: str = ""  # operator name for OP and OPGROUP
    quoted: bool = False  # OP value was a quoted phrase


_BREAK = set(' \t\r\n()"|')


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance (a swap of two neighbours counts one)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cost = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, prev2[j - 2] + 1)
            cur.append(cost)
        prev2, prev = prev, cur
    return prev[-1]


def _misspelt(name: str) -> str | None:
    """The operator `name` is probably a typo of, if any (one edit; two for long names)."""
    if "in" + name in OPERATORS:  # title: for intitle:, text: for intext:
        return "in" + name
    best = min(OPERATORS, key=lambda op: _edits(name, op))
    return best if _edits(name, best) <= (2 if len(name) >= 6 else 1) else None


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks: list[_Tok] = []
        self.notes: list[str] = []

    def run(self) -> list[_Tok]:
        text, i, n = self.text, 0, len(self.text)
        while i < n:
            ch = text[i]
            if ch.isspace():
                i += 1
            elif ch in "()":
                self.toks.append(_Tok("LPAREN" if ch == "(" else "RPAREN", ch, i + 1))
                i += 1
            elif ch == "|":
                width = 2 if text.startswith("||", i) else 1
                self.toks.append(_Tok("OR", text[i : i + width], i + 1))
                i += width
            elif ch == '"':
                phrase, j = self.phrase(i)
                self.toks.append(_Tok("PHRASE", phrase, i + 1))
                i = j
            elif ch in "-+" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in ")|":
                if ch == "-":  # exclude; a + (require) changes nothing: every part is required already
                    self.toks.append(_Tok("NEG", "-", i + 1))
                i += 1
            elif (m := _AROUND.match(text, i)) is not None:
                self.toks.append(_Tok("AROUND", m[1], i + 1))
                i = m.end()
            else:
                i = self.word(i)
        return self.toks

    def phrase(self, i: int) -> tuple[str, int]:
        """text[i] is a quote: the phrase and the index after the closing quote."""
        end = self.text.find('"', i + 1)
        if end < 0:
            self.notes.append(_("The quote at column {col} is never closed, so the phrase runs to the end.").format(
                col=i + 1))
            return self.text[i + 1 :], len(self.text)
        return self.text[i + 1 : end], end + 1

    def word(self, i: int) -> int:
        text, start = self.text, i
        while i < len(text) and text[i] not in _BREAK:
            i += 1
        word = text[start:i]
        name, colon, value = word.partition(":")
        op = name.lower()
        if not colon or not name.isascii() or not name.isalpha() or op not in OPERATORS:
            if colon and name.isascii() and name.isalpha():
                self.note_unknown(name, start)
            elif word.lower() == "around" and text.startswith("(", i):
                self.notes.append(_("{word} at column {col} was read as a word: write AROUND(n) in capitals to "
                                    "find words at most n words apart.").format(
                    word=word, col=start + 1))
            self.toks.append(_Tok("OR" if word == "OR" else "WORD", word, start + 1))
            return i
        if not value and text.startswith("(", i):
            self.toks.append(_Tok("OPGROUP", "", start + 1, op=op))
            return i + 1  # the ( belongs to the operator
        quoted = False
        if not value and text.startswith('"', i):
            value, i = self.phrase(i)
            quoted = True
        if not value.strip():
            raise QueryError(
                _("the operator {op}: at column {col} has no value: write it right after the colon, with no "
                  "space, like {op}:{EXAMPLES}.").format(
                    op=op, col=start + 1, EXAMPLES=_EXAMPLES[op])
            )
        self.toks.append(_Tok("OP", value, start + 1, op=op, quoted=quoted))
        return i

    def note_unknown(self, name: str, start: int) -> None:
        low = name.lower()
        if low in ENGINE_ONLY:
            self.notes.append(_("{low}: at column {col} is an operator of the web engines that the sandbox does "
                                "not have, so it was searched as words.").format(
                low=low, col=start + 1))
        elif (guess := _misspelt(low)) is not None:
            self.notes.append(_("{name}: at column {col} is not an operator, so it was searched as words; did you"
                                " mean {guess}:?").format(
                name=name, col=start + 1, guess=guess))


_EXAMPLES = {"site": "jobsteppe.example", "intitle": "visa", "intext": "visa", "inurl": "jobs", "inbody": "visa",
             "filetype": "pdf", "ext": "pdf", "before": "2025-03-01", "after": "2025-03-01"}


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, toks: list[_Tok], length: int, notes: list[str]) -> None:
        self.toks = toks
        self.pos = 0
        self.end_col = length + 1
        self.notes = notes
        self.depth = 0

    def peek(self, ahead: int = 0) -> _Tok | None:
        at = self.pos + ahead
        return self.toks[at] if at < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Node | None:
        items: list[Node] = []
        while self.peek() is not None:
            node = self.and_expr()
            if node is not None:
                items.append(node)
            if (tok := self.peek()) is not None:  # only a stray ")" stops and_expr early
                self.notes.append(_("The ) at column {col} has no matching ( and was ignored.").format(col=tok.col))
                self.take()
        return _join(And, items)

    def and_expr(self) -> Node | None:
        items: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind != "RPAREN":
            if tok.kind == "WORD" and tok.value in ("AND", "&", "&&"):
                self.take()  # Google-style: AND is implicit
                continue
            node = self.or_expr()
            if node is not None:
                items.append(node)
        return _join(And, items)

    def or_expr(self) -> Node | None:
        branches: list[Node] = []
        if (first := self.peek()) is not None and first.kind != "OR":
            node = self.near()
            if node is not None:
                branches.append(node)
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            if not branches or (nxt := self.peek()) is None or nxt.kind in ("OR", "RPAREN"):
                message = (_("{value} at column {col} has no term before it and was ignored.") if not branches
                           else _("{value} at column {col} has no term after it and was ignored."))
                self.notes.append(message.format(value=tok.value, col=tok.col))
                continue
            node = self.near()
            if node is not None:
                branches.append(node)
        return _join(Or, branches)

    def near(self) -> Node | None:
        node = self.unary()
        pairs: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind == "AROUND":
            self.take()
            right = self.unary() if self.peek() is not None and self.peek().kind != "RPAREN" else None  # type: ignore[union-attr]
            distance = int(tok.value)
            if distance > MAX_AROUND:
                raise QueryError(
                    _("AROUND({distance}) at column {col} is too far: use at most AROUND({MAX_AROUND}).").format(
                        distance=distance, col=tok.col, MAX_AROUND=MAX_AROUND)
                )
            left = pairs[-1].right if pairs and isinstance(pairs[-1], Near) else node
            needs = {"before": N_("AROUND({distance}) at column {col} needs a word or a quoted phrase (without *) "
                                  "right before it, like tourist AROUND({distance}) visa."),
                     "after": N_("AROUND({distance}) at column {col} needs a word or a quoted phrase (without *) "
                                 "right after it, like tourist AROUND({distance}) visa.")}
            for side, operand in (("before", left), ("after", right)):
                if not isinstance(operand, Term | Phrase) or (isinstance(operand, Phrase) and operand.wildcard):
                    raise QueryError(_(needs[side]).format(distance=distance, col=tok.col))
            pairs.append(Near(left, right, distance))  # type: ignore[arg-type]
        return _join(And, pairs) if pairs else node

    def unary(self) -> Node | None:
        tok = self.take()
        if tok.kind == "WORD" and tok.value == "NOT" and self.peek() is not None:
            tok = _Tok("NEG", "NOT", tok.col)  # Bing's NOT: the same as -
        if tok.kind in ("NEG", "LPAREN", "OPGROUP"):
            return self.nested(tok)
        if tok.kind == "PHRASE":
            return _phrase(tok.value, tok.col, self.notes)
        if tok.kind == "OP":
            return _operator(tok, self.notes)
        if tok.kind == "AROUND":
            raise QueryError(
                _("AROUND({value}) at column {col} needs a word or a quoted phrase right before it, like tourist "
                  "AROUND({value}) visa.").format(value=tok.value, col=tok.col)
            )
        if tok.kind == "RPAREN":  # only reached via a leading operator; or_expr stops at ")"
            self.pos -= 1
            return None
        return _word(tok.value, tok.col, self.notes)

    def nested(self, tok: _Tok) -> Node | None:
        """-x, NOT x, (group), op:(group): one level deeper, within MAX_DEPTH."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(
                _("the {value} at column {col} nests groups and exclusions {depth} deep: use at most {MAX_DEPTH} "
                  "inside each other.").format(
                    value=tok.value or tok.op + ':(', col=tok.col, depth=self.depth, MAX_DEPTH=MAX_DEPTH)
            )
        try:
            if tok.kind == "NEG":
                nxt = self.peek()
                if nxt is None or nxt.kind in ("OR", "RPAREN"):
                    self.notes.append(_("The {value} at column {col} has nothing after it and was ignored.").format(
                        value=tok.value, col=tok.col))
                    return None
                inner = self.unary()
                return Not(inner) if inner is not None else None
            inner = self.and_expr()
            if self.peek() is None:
                self.notes.append(_("The ( at column {col} is never closed, so the group runs to the end.").format(
                    col=tok.col))
            else:
                self.take()
            if tok.kind == "OPGROUP" and inner is not None:
                return _apply_operator(tok, inner)
            return inner
        finally:
            self.depth -= 1


def _join(kind: type[And] | type[Or], items: list[Node]) -> Node | None:
    if not items:
        return None
    return items[0] if len(items) == 1 else kind(tuple(items))


def _ignored(text: str, col: int, notes: list[str], why: str = N_("{text} at column {col} has no letters or digits, "
                                                                  "so it was ignored.")) -> None:
    notes.append(_(why).format(text=text, col=col))


def _word(text: str, col: int, notes: list[str]) -> Term | None:
    if set(text) == {"*"}:
        notes.append(_('The * at column {col} stands for words only inside a quoted phrase, like "work * visa", so '
                       "it was ignored.").format(col=col))
        return None
    prefix = text.endswith("*") and len(text.rstrip("*")) > 0
    core = normalize(text.rstrip("*") if prefix else text)
    if "*" in core and _HAS_WORD.search(core):
        notes.append(_("The * in {text} at column {col} only works at the end of a word (recruit*) or alone inside "
                       "quotes, so it was read as a space.").format(text=text, col=col))
        core = core.replace("*", " ")
    if not _HAS_WORD.search(core):
        if text not in ("+",):
            _ignored(text, col, notes)
        return None
    return Term(core, prefix)


def _phrase(text: str, col: int, notes: list[str]) -> Phrase | None:
    parts: list[str | None] = []
    for word in normalize(text).split():
        if word == "*":
            if parts and parts[-1] is None:
                continue  # "a * * b" is the same as "a * b": one or more words
            parts.append(None)
        elif _HAS_WORD.search(word):
            if "*" in word:
                notes.append(_('The * in "{text}" at column {col} must stand alone, with spaces around it, like '
                               '"work * visa", so it was read as a space.').format(
                    text=text, col=col))
                word = word.replace("*", " ")
            parts.append(word)
    while parts and parts[0] is None:
        parts.pop(0)  # a leading or trailing * adds nothing: every match has words around it
    while parts and parts[-1] is None:
        parts.pop()
    if not parts:
        _ignored(f'"{text}"', col, notes, N_("{text} at column {col} has no words to search for, so it was ignored."))
        return None
    return Phrase(tuple(parts))


def _operator(tok: _Tok, notes: list[str]) -> Node | None:
    value, col = tok.value, tok.col
    if tok.op in FIELDS:
        inner = _phrase(value, col, notes) if tok.quoted else _word(value, col, notes)
        return Field(FIELDS[tok.op], inner) if inner is not None else None
    if tok.op == "site":
        return _site(value, col)
    if tok.op in ("filetype", "ext"):
        return _filetype(tok.op, value, col, notes)
    return DateBound(tok.op, _date(tok.op, value, col))


def _apply_operator(tok: _Tok, node: Node) -> Node:
    """op:(a | b -c): the operator applied to each word or phrase of the group."""
    if isinstance(node, Not):
        return Not(_apply_operator(tok, node.node))
    if isinstance(node, And | Or):
        return type(node)(tuple(_apply_operator(tok, c) for c in node.children))
    if isinstance(node, Term | Phrase) and (tok.op in FIELDS or isinstance(node, Term)):
        if tok.op in FIELDS:
            return Field(FIELDS[tok.op], node)
        text = node.text + ("*" if node.prefix else "")  # type: ignore[union-attr]
        applied = _operator(_Tok("OP", text, tok.col, op=tok.op), [])
        assert applied is not None  # site:, filetype:, dates never give None
        return applied
    raise QueryError(
        _("{op}:( ) at column {col} may hold only words and phrases joined by OR, - or spaces, like "
          "{op}:({EXAMPLES} | {EXAMPLES}).").format(op=tok.op, col=tok.col, EXAMPLES=_EXAMPLES[tok.op])
    )


def _site(value: str, col: int) -> Site:
    raw = value.lower().strip()
    scheme = ""
    for prefix in ("https://", "http://"):
        if raw.startswith(prefix):
            scheme, raw = prefix[:-3], raw[len(prefix) :]
    host, slash, path = raw.partition("/")
    host = host.split("@")[-1].split(":")[0]  # user@ and :port are not part of the host
    subdomains_only = host.startswith("*.")
    host = host.removeprefix("*.").strip(".")
    if not _DOMAIN.match(host):
        raise QueryError(
            _("site:{value} at column {col} is not a web address: write it like site:jobsteppe.example, "
              "site:jobsteppe.example/jobs or site:https://jobsteppe.example/jobs.").format(
                value=value, col=col)
        )
    path = "/" + path.rstrip("/") if slash and path.strip("/") else ""
    return Site(host, path, scheme, subdomains_only)


def _filetype(op: str, value: str, col: int, notes: list[str]) -> FileType:
    ext = value.lower().lstrip(".")
    if not _EXTENSION.match(ext):
        raise QueryError(
            _("{op}:{value} at column {col} is not a file type: write it like {op}:pdf, {op}:doc or {op}:html.").format(
                op=op, value=value, col=col)
        )
    if op == "ext":
        if ext not in ("pdf", "doc"):
            notes.append(_("ext:{ext} at column {col} reads the end of a page's address, as Bing's ext: does; in "
                           "the sandbox only pdf and doc documents have one (use filetype:html for web pages).").format(
                ext=ext, col=col))
        return Extension(ext)
    if ext not in FILETYPE_ALIASES:
        notes.append(_("{op}:{ext} at column {col} is a file type no page of this case has (its documents are pdf, "
                       "doc and html), so it finds nothing.").format(op=op, ext=ext, col=col))
    return FileType(FILETYPE_ALIASES.get(ext, ext))


def _date(op: str, value: str, col: int) -> str:
    match = _DATE.match(value)
    bad = _("{op}:{value} at column {col} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, "
            "like {op}:2025-03-01.").format(op=op, value=value, col=col)
    if not match:
        raise QueryError(bad)
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    try:
        date(year, month, day)
    except ValueError:
        raise QueryError(bad) from None
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse(text: str) -> Parsed:
    """Parse `text` into an AST and notes; raise QueryError with one sentence when no engine could mean it."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(_("the query is {count} characters long: shorten it to at most {MAX_QUERY_CHARS}.").format(
            count=len(text), MAX_QUERY_CHARS=MAX_QUERY_CHARS))
    clean = _CONTROL.sub(" ", text).translate(_QUOTES)  # one for one, so columns stay right
    lexer = _Lexer(clean)
    toks = lexer.run()
    if not toks:
        raise QueryError(_("the query is empty: type at least one word, phrase or operator."))
    node = _Parser(toks, len(text), lexer.notes).parse()
    if node is None:
        raise QueryError(_("the query has nothing to search for: type at least one word with letters or digits, a "
                           "phrase or an operator."))
    if not is_positive(node):
        raise QueryError(
            _("the query only excludes pages: add at least one word, phrase or operator (such as site:) to search "
              "for.")
        )
    return Parsed(node, tuple(dict.fromkeys(lexer.notes)))


def parse_query(text: str) -> Query:
    """Parse `text` into an AST (notes dropped); raise QueryError with one sentence when no engine could mean it."""
    return parse(text).node
