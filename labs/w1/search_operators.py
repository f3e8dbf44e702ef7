"""Lab w1-03 "Search operators": retrieve exactly the pages a brief asks for with the sandbox engine.

The brief (per seed, from the world's key): job ads on the world's job board, published in a
date range, that promise the employer pays the worker's travel (ticket, visa or housing;
indicator RF-ALL-PAID), leaving out ads that show a recruitment licence number. Two parts:

- pages: the page ids found, graded by F1 against the key's set;
- query: the trainee's final query, run again through the real engine at grading time;
  graded on the operators the brief asks for, the recall of the target pages and the
  precision against what operators can express (job ads on the board, in range, no licence).
"""

from __future__ import annotations

import random
from typing import Any

from labs import scoring

HINT_UNITS = {"pages": "pages", "query": "operators"}  # what the visible check counts
PARTS = {"pages": 6.0, "query": 4.0}
USES_SEARCH = True  # prepare() builds the search index beside the case
# A good query is partly good on any case (its operators): the cohort release does not try to
# keep variants apart on this part; copies are still caught when they fit another case exactly.
GENERIC_PARTS = {"query"}
# Red flags a brief may ask for: what the brief says, and search terms that find every cue.
FLAGS = {
    "RF-ALL-PAID": ("says the employer pays the worker's travel (the ticket, the visa or the housing)",
                    ["ticket", "visa", "flight"]),
    "RF-HIGH-PAY": ("promises pay in US dollars", ["USD"]),
    "RF-TOURIST-TRAVEL": ("tells workers to travel as tourists", ["tourist", "holiday"]),
    "RF-MESSENGER-MOVE": ("asks applicants to write on a messenger app instead of applying officially",
                          ["{messenger}"]),
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
OPERATORS = {"site": "the site: operator", "after": "the after: operator", "before": "the before: operator",
             "exclude": "a minus sign (-) to leave pages out"}


def _month(d: str) -> str:
    return d[:7]


def _next_month(ym: str) -> str:
    y, m = int(ym[:4]), int(ym[5:7])
    return f"{y + m // 12}-{m % 12 + 1:02d}"


def _board(case: Any) -> str:
    return next(p.domain for p in case.platforms if p.kind == "jobs")


def _candidates(case: Any, key_pages: dict[str, Any], board: str, flags: set[str]) -> list[Any]:
    """Live job ads on the board with one of `flags` planted and no licence shown, oldest first."""
    out = []
    for page in case.pages:
        truth = key_pages.get(page.page_id)
        if page.kind != "job_ad" or page.domain != board or page.status != "live" or truth is None:
            continue
        if {c.indicator for c in truth.cues} & flags and "licence" not in page.text.lower():
            out.append(page)
    return sorted(out, key=lambda p: p.published)


def _choose_flags(rng: random.Random, case: Any, key_pages: dict[str, Any], board: str) -> list[str]:
    """The pair of red flags with the most target ads (ties broken by the seed)."""
    names = list(FLAGS)
    pairs = [[a, b] for i, a in enumerate(names) for b in names[i + 1:]]
    rng.shuffle(pairs)
    return max(pairs, key=lambda pair: len(_candidates(case, key_pages, board, set(pair))))


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
    from synthetic_data.bundle import load_key

    key_pages = {t.page_id: t for t in load_key(case.root.parent).pages}
    board = _board(case)
    rng = random.Random(f"w1-03\x1f{seed}")
    flags = _choose_flags(rng, case, key_pages, board)
    if len(_candidates(case, key_pages, board, set(flags))) < 3:
        flags = list(FLAGS)  # a thin world: ask for any of the red flags
    targets = _candidates(case, key_pages, board, set(flags))
    if len(targets) < 3:
        from labs.runtime import UnsuitableSeed

        raise UnsuitableSeed(f"seed {seed} has only {len(targets)} target ads: use a larger case size")
    after, before = _window(rng, [p.published for p in targets])
    expected = [p.page_id for p in targets if after <= _month(p.published) < before]
    in_scope = [p.page_id for p in case.pages if p.kind == "job_ad" and p.domain == board and p.status == "live"
                and after <= _month(p.published) < before and "licence" not in p.text.lower()]
    first, last = _label(after), _label(_prev_month(before))
    messenger = next(p.name for p in case.platforms if p.kind == "messenger")
    brief = (f"Victims found their jobs in ads on the job board {board}. Find every job ad on {board} "
             f"published from {first} to {last} (both months included) that does at least one of these: "
             + "; ".join(f"({'abcd'[i]}) {FLAGS[flag][0]}" for i, flag in enumerate(flags)) + ". "
             "Leave out ads that show a recruitment licence number: those come from licensed agencies.")
    public = {"title": "Search operators", "brief": brief, "board": board, "after": after, "before": before,
              "flags": flags, "messenger": messenger, "operators": list(OPERATORS)}
    return public, {"pages": expected, "in_scope": in_scope,
                    "notes": {p.page_id: f"an ad published in {_label(_month(p.published))}" for p in targets}}


def _prev_month(ym: str) -> str:
    y, m = int(ym[:4]), int(ym[5:7])
    return f"{y - (m == 1)}-{(m - 2) % 12 + 1:02d}"


def _label(ym: str) -> str:
    return f"{MONTHS[int(ym[5:7]) - 1]} {ym[:4]}"


def render(exercise: dict[str, Any]) -> str:
    return "\n".join(["TASK", exercise["brief"], "",
                      "Use the search engine with lab.search(\"...\"). Operators: site:, after:, before:, "
                      "\"exact phrase\", OR, -word. Open a page with lab.page(\"pg-...\")."])


# ---------------------------------------------------------------- answers


def _page_ids(value: Any) -> set[str]:
    return {v.strip() for v in value if type(v) is str} if type(value) is list else set()


def query_operators(query: str, exercise: dict[str, Any]) -> set[str]:
    """Which of the asked operators the query uses correctly for this brief."""
    from sandbox.search import QueryError, parse_query

    try:
        parse_query(query)
    except QueryError:
        return set()
    words = query.split()
    used = set()
    if f"site:{exercise['board']}" in words:
        used.add("site")
    for op in ("after", "before"):
        if {f"{op}:{exercise[op]}", f"{op}:{exercise[op]}-01"} & set(words):
            used.add(op)
    if any(w.startswith("-") and len(w) > 1 for w in words):
        used.add("exclude")
    return used


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    if part == "pages":
        if type(value) is not list or not all(type(v) is str for v in value):
            return ['give a list of page ids, like ["pg-1a2b3c4d5e", "pg-..."].']
        return [f"{v!r} is not a page id (they start with pg-)." for v in value if not v.startswith("pg-")][:5]
    if type(value) is not str or not value.strip():
        return ["give your final query as text in quotes."]
    from sandbox.search import QueryError, parse_query

    try:
        parse_query(value)
    except QueryError as exc:
        return [str(exc)]
    return []


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if part == "pages":
        return _page_ids(value)
    return query_operators(value, exercise) if type(value) is str else set()


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == "pages":
        return {pid: key["notes"][pid] for pid in key["pages"]}
    return dict(OPERATORS)


def _all_results(engine: Any, query: str) -> set[str]:
    found: set[str] = set()
    page = 1
    while True:
        res = engine.search(query, page=page, per_page=100)
        found |= {h.page_id for h in res.hits}
        if page >= res.pages:
            return found
        page += 1


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if part == "pages":
        return scoring.prf(_page_ids(value), set(key["pages"])).f1
    if type(value) is not str:
        return 0.0
    ops = len(query_operators(value, exercise)) / len(OPERATORS)
    if not ops:
        return 0.0
    from sandbox.search import SearchEngine

    engine = SearchEngine(case_dir)
    try:
        results = _all_results(engine, value)
    finally:
        engine.close()
    recall = scoring.prf(results, set(key["pages"])).recall
    precision = scoring.prf(results, set(key["in_scope"])).precision
    return 0.4 * ops + 0.3 * recall + 0.3 * precision


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == "pages":
        return list(key["pages"])
    terms = [t.format(messenger=exercise["messenger"]) for flag in exercise["flags"] for t in FLAGS[flag][1]]
    words = " OR ".join(f'"{t}"' if " " in t else t for t in terms)
    return f"site:{exercise['board']} after:{exercise['after']} before:{exercise['before']} ({words}) -licence"


# ---------------------------------------------------------------- answer form (drawn by labs/forms.py)


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    """The final query (a search box, to see what it finds) or the list of pages."""
    if part == "query":
        return {"kind": "text", "search": True, "label": "Your final query",
                "placeholder": "site:... after:... before:... ...",
                "help": "Type your query and press Search to see what it finds. The last query you search is "
                        "your answer."}
    return {"kind": "pages", "label": "The pages the brief asks for"}
