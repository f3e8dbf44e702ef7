"""Lab w1-03 "Search operators": find exactly the pages a brief asks for, with a query that finds them.

The brief (per seed, from the world's key): job ads on the world's job board, published in a
range of months, that show at least one of two red flags (more in a world with few lure ads),
printed with their definitions from synthetic_data/indicators.yml, leaving out ads that quote a
recruitment licence number (another officer checks those numbers in the register: a number in
an ad is a claim, not proof). Two parts:

- pages: the page ids the trainee keeps, F1 against the target pages;
- query: the trainee's final query, run again through the sandbox engine at grading time on the
  trainee's own case: F1 of its results against the target pages. It must join the brief's
  alternatives in an OR group (without one it scores 0), so its words matter as much as its
  operators: operators alone, or words that miss the ads, score low.
"""

from __future__ import annotations

import random
from dataclasses import fields, is_dataclass
from typing import Any

from labs import scoring
from osintlab.i18n import _

PARTS = {"pages": 6.0, "query": 4.0}
USES_SEARCH = True  # prepare() builds the search index beside the case
# Red flags a brief may ask for (those a lure ad shows only sometimes, so most pairs leave some
# lure ads out and the words of a query matter).
FLAGS = ("RF-ALL-PAID", "RF-HIGH-PAY", "RF-TOURIST-TRAVEL", "RF-MESSENGER-MOVE", "RF-NO-EXPERIENCE", "RF-WORKER-FEE")
MIN_TARGETS = 3
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
LICENCE = "licence"  # an ad that quotes a licence number says "licence no. LIC-..."


def _month(d: str) -> str:
    return d[:7]


def _next_month(ym: str) -> str:
    y, m = int(ym[:4]), int(ym[5:7])
    return f"{y + m // 12}-{m % 12 + 1:02d}"


def _prev_month(ym: str) -> str:
    y, m = int(ym[:4]), int(ym[5:7])
    return f"{y - (m == 1)}-{(m - 2) % 12 + 1:02d}"


def _label(ym: str) -> str:
    return f"{MONTHS[int(ym[5:7]) - 1]} {ym[:4]}"


def _board(case: Any) -> str:
    return next(p.domain for p in case.platforms if p.kind == "jobs")


def _candidates(case: Any, key_pages: dict[str, Any], board: str, flags: set[str]) -> list[Any]:
    """Live job ads on the board with one of `flags` and no licence number, oldest first."""
    out = []
    for page in case.pages:
        truth = key_pages.get(page.page_id)
        if page.kind != "job_ad" or page.domain != board or page.status != "live" or truth is None:
            continue
        if {c.indicator for c in truth.cues} & flags and LICENCE not in page.text.lower():
            out.append(page)
    return sorted(out, key=lambda p: p.published)


def _choose_flags(rng: random.Random, case: Any, key_pages: dict[str, Any], board: str) -> list[str]:
    """Two red flags (three, or more, in a world with few lure ads) with the fewest target ads that
    still reach MIN_TARGETS, ties broken by the seed: the board's other ads, lure ads included, stay
    in the results of a query without the right words."""
    from itertools import combinations

    for size in range(2, len(FLAGS) + 1):
        sets = [list(c) for c in combinations(FLAGS, size)]
        rng.shuffle(sets)
        counts = [(len(_candidates(case, key_pages, board, set(flags))), flags) for flags in sets]
        enough = [c for c in counts if c[0] >= MIN_TARGETS + 1] or [c for c in counts if c[0] >= MIN_TARGETS]
        if enough:
            return min(enough, key=lambda c: c[0])[1]
    return list(FLAGS)


def _window(rng: random.Random, dates: list[str]) -> tuple[str, str]:
    """A month range [after, before) that keeps at least 3 targets and, where it can, drops one."""
    months = sorted({_month(d) for d in dates})
    if len(months) < 3:
        return months[0], _next_month(months[-1])
    lo = rng.randint(0, 1)
    hi = len(months) - 1 - rng.randint(0, 1)
    while sum(months[lo] <= _month(d) <= months[hi] for d in dates) < 3 and (lo > 0 or hi < len(months) - 1):
        lo, hi = max(0, lo - 1), min(len(months) - 1, hi + 1)
    return months[lo], _next_month(months[hi])


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from labs.runtime import UnsuitableSeed
    from synthetic_data.bundle import load_key
    from synthetic_data.indicators import ALL_INDICATORS

    key_pages = {t.page_id: t for t in load_key(case.root.parent).pages}
    board = _board(case)
    rng = random.Random(f"w1-03\x1f{seed}")
    flags = _choose_flags(rng, case, key_pages, board)
    targets = _candidates(case, key_pages, board, set(flags))
    if len(targets) < MIN_TARGETS:
        raise UnsuitableSeed(f"seed {seed} has only {len(targets)} target ads: use a larger case size")
    after, before = _window(rng, [p.published for p in targets])
    expected = [p.page_id for p in targets if after <= _month(p.published) < before]
    first, last = _label(after), _label(_prev_month(before))
    definitions = {flag: {"name": ALL_INDICATORS[flag]["name"], "hint": ALL_INDICATORS[flag]["hint"]} for flag in flags}
    brief = _("Victims found their jobs in ads on the job board {board}. Find every job ad on {board} published "
              "from {first} to {last} (both months included) that shows at least one of the red flags "
              "below. Leave out ads that quote a recruitment licence number: another officer checks those "
              "numbers in the licence register (a number in an ad is a claim to check, not proof). Your final "
              "query must find these ads: join the red flags' words in one OR group.").format(
        board=board, first=first, last=last)
    public = {"title": _("Search operators"), "brief": brief, "board": board, "after": after, "before": before,
              "flags": flags, "definitions": definitions}
    notes = {p.page_id: _("an ad published in {month}").format(month=_label(_month(p.published))) for p in targets}
    chosen = [p for p in targets if p.page_id in expected]
    return public, {"pages": expected, "notes": notes,
                    "query": _reference_query(public, chosen, key_pages, case.root)}


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("THE RED FLAGS (an ad shows at least one)")]
    for letter, (flag, info) in zip("abcdef", exercise["definitions"].items(), strict=False):
        lines.append(f"  ({letter}) {flag}: {_(info['name'])}: {_(info['hint'])}")
    lines += ["", _("Search with lab.search(\"...\"). Operators: site:, after:, before:, \"exact phrase\", OR, "
                    "( ), -word. Read a page with lab.page(\"pg-...\").")]
    return "\n".join(lines)


# ---------------------------------------------------------------- the query's shape


def _walk(node: Any, positive: bool = True) -> Any:
    """(node, positive) for every node of a parsed query; under a minus sign nodes are not positive."""
    yield node, positive
    kind = type(node).__name__
    if not is_dataclass(node):
        return
    for f in fields(node):
        value = getattr(node, f.name)
        for child in value if isinstance(value, tuple) else (value,):
            if is_dataclass(child):
                yield from _walk(child, positive and kind != "Not")


def query_shape(query: str) -> dict[str, Any]:
    """What a query holds: {"error": sentence} when it does not parse; else "or" (an OR group of at
    least two alternatives that is not excluded), "after" and "before" (the bounds given, or None)."""
    from sandbox.search import QueryError, parse_query

    try:
        tree = parse_query(query)
    except QueryError as exc:
        return {"error": str(exc)}
    shape: dict[str, Any] = {"or": False, "after": None, "before": None}
    for node, positive in _walk(tree):
        name = type(node).__name__
        if name == "Or" and positive and len(node.children) >= 2:
            shape["or"] = True
        elif name == "DateBound" and positive:
            shape[node.op] = node.bound
    return shape


def _date_problems(shape: dict[str, Any]) -> list[str]:
    after, before = shape.get("after"), shape.get("before")
    if after and before and after > before:
        return [_("after:{after} is later than before:{before}: the range is reversed, so nothing can be found; "
                  "swap them.").format(after=after, before=before)]
    if after and before and after == before:
        return [_("after:{after} and before:{before} leave no day between them: before: is the first day you "
                  "leave out, so give the month after the last one you want.").format(after=after, before=before)]
    return []


# ---------------------------------------------------------------- answers


def _page_ids(value: Any) -> set[str]:
    return {v.strip() for v in value if type(v) is str} if type(value) is list else set()


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    if part == "pages":
        if type(value) is not list or not all(type(v) is str for v in value):
            return [_('give a list of page ids, like ["pg-1a2b3c4d5e", "pg-..."].')]
        return [_("{value!r} is not a page id (they start with pg-).").format(value=v)
                for v in value if not v.startswith("pg-")][:5]
    if type(value) is not str or not value.strip():
        return [_("give your final query as text in quotes.")]
    shape = query_shape(value)
    if "error" in shape:
        return [shape["error"]]
    problems = _date_problems(shape)
    if not shape["or"]:
        problems.append(_("the brief asks for ads that show one red flag OR the other: join their words in an "
                          "OR group, like (word1 OR word2 OR word3)."))
    return problems


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if part == "pages":
        return _page_ids(value)
    return set()


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    return {pid: key["notes"][pid] for pid in key["pages"]}


def hint_extras(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, Any]:
    return {"count": len(key["pages"])}


def results(query: str, case_dir: Any) -> list[str]:
    """Every page id the sandbox engine returns for `query` on the case (all result pages)."""
    from sandbox.search import SearchEngine

    engine = SearchEngine(case_dir)
    try:
        found: list[str] = []
        page = 1
        while True:
            res = engine.search(query, page=page, per_page=100)
            found += [h.page_id for h in res.hits]
            if page >= res.pages:
                return found
            page += 1
    finally:
        engine.close()


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if part == "pages":
        return scoring.prf(_page_ids(value), set(key["pages"])).f1
    if type(value) is not str:
        return 0.0
    shape = query_shape(value)
    if "error" in shape or not shape["or"]:
        return 0.0
    return scoring.prf(results(value, case_dir), set(key["pages"])).f1


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    """The key's pages; for the query, the one build() checked finds exactly them."""
    if part == "pages":
        return list(key["pages"])
    return key["query"]


def _reference_query(exercise: dict[str, Any], targets: list[Any], key_pages: dict[str, Any], case_dir: Any) -> str:
    """site:, the months, the target ads' red-flag phrases in one OR group, and -licence."""
    phrases = sorted({c.text for p in targets for c in key_pages[p.page_id].cues if c.indicator in exercise["flags"]})
    words = " OR ".join('"' + " ".join(p.replace('"', " ").split()) + '"' for p in phrases)
    return f"site:{exercise['board']} after:{exercise['after']} before:{exercise['before']} ({words}) -{LICENCE}"


# ---------------------------------------------------------------- practice-mode checks


def feedback(part: str, value: Any, exercise: dict[str, Any], hints: Any) -> list[str]:
    """Per page: off the board, outside the brief's months, quoting a licence, or not asked for;
    for the query, what kinds of page its results hold that the brief leaves out."""
    from synthetic_data.bundle import load_case

    case = load_case(hints.case_dir)
    pages = case.page_by_id
    lines: list[str] = []
    if part == "pages":
        given = sorted(_page_ids(value))
        lines += _page_notes(given, exercise, pages, hints)
        if sum(hints.has(p) for p in given) < hints.extras.get("count", 0):
            lines.append(_("Some ads the brief asks for are still missing from your list."))
        return lines or [_("Your list holds exactly the ads the brief asks for. Well done.")]
    found = results(value, hints.case_dir)
    off = [p for p in found if p in pages and pages[p].domain != exercise["board"]]
    months = (exercise["after"], exercise["before"])
    outside = [p for p in found if p in pages and not months[0] <= _month(pages[p].published) < months[1]]
    licensed = [p for p in found if p in pages and LICENCE in pages[p].text.lower()]
    other = [p for p in found if p not in off + outside + licensed and not hints.has(p)]
    kinds = ((off, _("pages from other sites")), (outside, _("pages outside the brief's months")),
             (licensed, _("ads that quote a licence number")), (other, _("pages the brief does not ask for")))
    for pids, what in kinds:
        if pids:
            lines.append(_("Your results include {what}, for example {page}.").format(what=what, page=pids[0]))
    if sum(hints.has(p) for p in found) < hints.extras.get("count", 0):
        lines.append(_("Your results miss ads the brief asks for: try other words the ads use for the red flags."))
    return lines or [_("Your query finds exactly the ads the brief asks for. Well done.")]


def _page_notes(given: list[str], exercise: dict[str, Any], pages: dict[str, Any], hints: Any) -> list[str]:
    out = []
    for pid in given:
        page = pages.get(pid)
        if page is None:
            out.append(_("{page}: no live page of your case has this id.").format(page=pid))
        elif page.domain != exercise["board"]:
            out.append(_("{page}: not on {board}.").format(page=pid, board=exercise["board"]))
        elif not exercise["after"] <= _month(page.published) < exercise["before"]:
            out.append(_("{page}: published outside the brief's months.").format(page=pid))
        elif LICENCE in page.text.lower():
            out.append(_("{page}: quotes a licence number (the brief leaves those out).").format(page=pid))
        elif not hints.has(pid):
            out.append(_("{page}: does not show either red flag, or is not a job ad.").format(page=pid))
    return out


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    """The final query (a search box, to see what it finds) or the list of pages."""
    if part == "query":
        return {"kind": "text", "search": True, "label": _("Your final query"),
                "placeholder": "site:... after:... before:... (... OR ...) -...",
                "help": _("Type your query and press Search to see what it finds. The last query you search is "
                          "your answer.")}
    return {"kind": "pages", "label": _("The pages the brief asks for")}

