"""`osintlab search DIR "query"`: the sandbox search engine from the shell."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from osintlab.errors import UserError
from osintlab.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "search",
        help=_("search a case world's pages with Google-style operators"),
        description=_('Search a case world, e.g. osintlab search DIR \'"work * visa" site:jobs.example -Dubai\'. '
        "Operators: \"phrase\" (* = words), -exclude, OR, ( ), AROUND(n), site:, inurl:, intitle:, intext:, "
        "filetype: (ext:), before:, after:; see docs/search-operators.md."),
    )
    parser.add_argument("dir", type=Path, help=_("the world directory (or its case/ directory)"))
    parser.add_argument("query", help=_("the query; quote it for the shell"))
    parser.add_argument("--page", type=int, default=1, help=_("result page (default 1)"))
    parser.add_argument("--per-page", type=int, default=10, help=_("results per page, 1-100 (default 10)"))
    parser.add_argument("--json", action="store_true", help=_("print the results as JSON"))
    parser.add_argument("--log", type=Path, default=None, help=_("append the query to this JSONL log"))
    parser.set_defaults(func=run)


def _style(text: str, code: str, on: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if on else text


def run(args: argparse.Namespace) -> int:
    from sandbox.search import SearchEngine  # imported on use: `osintlab --help` stays fast

    if not args.dir.exists():
        raise UserError(_("{dir} does not exist: give the directory of a world made by osintlab "
                          "world generate.").format(
            dir=args.dir))
    engine = SearchEngine(args.dir, log_path=args.log)
    results = engine.search(args.query, page=args.page, per_page=args.per_page)
    if args.json:
        payload = {k: getattr(results, k) for k in ("query", "total", "page", "per_page", "took_ms", "notes")}
        payload["hits"] = [{k: v for k, v in h.__dict__.items() if k != "marks"} for h in results.hits]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    print(results.summary())
    for note in results.notes:
        print(_style(f"Note: {note}", "33", colour))
    for hit in results.hits:
        snippet = hit.snippet_marked("\x1b[1;33m", "\x1b[0m") if colour else hit.snippet_marked("[", "]")
        print()
        print(f"{hit.rank:>3}. {_style(hit.title, '1', colour)}")
        print(f"     {_style(hit.url, '32', colour)}  {hit.published[:10]}")
        print(f"     {snippet}")
    return 0
