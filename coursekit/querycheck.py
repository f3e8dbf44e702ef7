"""Self-check for "write a query" exercises: compare an officer's results with a target set.

The target is itself a query (written by the lesson author) run on the same practice world,
so the check stays right when the generator changes the world.
"""

from __future__ import annotations

from coursekit.selfcheck import Feedback, Line
from osintlab.i18n import _
from sandbox.search import QueryError, SearchEngine, parse_query
from sandbox.search.query import And, DateBound, Field, FileType, Node, Not, Or, Phrase, Site

MAX_PAGES = 50  # 50 x 100 hits: far more than any practice world holds


def operators_used(query: str) -> set[str]:
    """Names of the operators a query uses: phrase, exclude, or, site, title, text, url, filetype, date."""
    found: set[str] = set()

    def walk(node: Node) -> None:
        match node:
            case Phrase():
                found.add("phrase")
            case Not(node=inner):
                found.add("exclude")
                walk(inner)
            case Or(children=children):
                found.add("or")
                for child in children:
                    walk(child)
            case And(children=children):
                for child in children:
                    walk(child)
            case Field(column=column, node=inner):
                found.add(column if column != "body" else "text")
                walk(inner)
            case Site():
                found.add("site")
            case FileType():
                found.add("filetype")
            case DateBound():
                found.add("date")

    walk(parse_query(query))
    return found


def result_urls(engine: SearchEngine, query: str) -> set[str]:
    """Every URL the query finds (all result pages)."""
    urls: set[str] = set()
    for page in range(1, MAX_PAGES + 1):
        res = engine.search(query, page=page, per_page=100)
        urls.update(h.url for h in res.hits)
        if page >= res.pages:
            break
    return urls


def target_query(engine: SearchEngine, template: str) -> str:
    """A query exercise's target with the case's platforms filled in: {jobs} -> the domain of the
    case's job board, and so on for every platform kind in the case's manifest."""
    import json

    manifest = json.loads((engine.case_root / "manifest.json").read_text(encoding="utf-8"))
    domains = {p["kind"]: p["domain"] for p in reversed(manifest.get("platforms", []))}
    return template.format_map(domains)


def check_query(engine: SearchEngine, query: str, target: str, must_use: tuple[str, ...] = ()) -> Feedback:
    """Feedback on how well `query` finds the pages `target` finds, and on the operators it uses."""
    fb = Feedback(_("Your query"))
    try:
        used = operators_used(query)
        got = result_urls(engine, query)
    except QueryError as exc:
        fb.problems.append(_("the query cannot run: {exc}").format(exc=exc))
        fb.lines.append(Line(False, query, _("fix the query and run the cell again.")))
        return fb
    want = result_urls(engine, target)
    found, extra = got & want, got - want
    fb.lines.append(Line(found == want, "found", _("{found} of the {wanted} pages you were asked to find.").format(
        found=len(found), wanted=len(want))))
    fb.lines.append(Line(not extra, "extra", _("{count} pages that are not wanted (more reading for you).").format(
        count=len(extra))))
    for op in must_use:
        ok = op in used
        fb.lines.append(Line(ok, op, _("used.") if ok else _("not used yet: the task asks you to use {op}.").format(
            op=op)))
    return fb
