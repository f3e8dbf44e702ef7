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
  operators: operators alone, or words that miss the ads, score low;
- posts: recruiters also post on a social platform in the country's own language (Mongolian in an
  MN world, Bengali in a BD world; English where the pack has no language bank): the page ids of
  the posts there, in that language, that show one given red flag, F1 against the target posts.
  The officer searches in the language and its script (`доллар*` finds every ending of the word).
"""

from __future__ import annotations

import random
from dataclasses import fields, is_dataclass
from typing import Any

from labs import scoring
from osintlab.i18n import N_, _

PARTS = {"pages": 5.0, "query": 3.0, "posts": 2.0}
USES_SEARCH = True  # prepare() builds the search index beside the case
# Red flags a brief may ask for (those a lure ad shows only sometimes, so most pairs leave some
# lure ads out and the words of a query matter).
FLAGS = ("RF-ALL-PAID", "RF-HIGH-PAY", "RF-TOURIST-TRAVEL", "RF-MESSENGER-MOVE", "RF-NO-EXPERIENCE", "RF-WORKER-FEE")
MIN_TARGETS = 3
MIN_POSTS = 2  # task 2: posts of recruiters' offers with one flag are fewer than ads on the board
# Decoys (ads on the board in the targets' language, without the flags) per target in the brief's months:
# with 4, a query of words every ad has finds 1 target in 5 (F1 about 1/3).
DECOYS_PER_TARGET = 4
LICENCE = "licence"  # an ad that quotes a licence number says "licence no. LIC-..."
PostsBrief = tuple[dict[str, Any], list[str]]  # the third part's public fields, and its target page ids
# Flags an English task 2 may ask for: the archive layer's tracked posts (content/footprint/banks.yml,
# edited_pages) are English recruiters' offers that show pay in USD, ticket and visa paid and a move to
# messaging without cues in the key, so an English task never asks for those three.
ENGLISH_TASK_FLAGS = ("RF-TOURIST-TRAVEL", "RF-NO-EXPERIENCE", "RF-WORKER-FEE")
# The brief's sections in reading order (labs/brief.py), headings translated when shown.
BRIEF_SECTIONS = {"brief": N_("Task 1: job ads on the board"), "definitions": N_("The red flags of task 1"),
                  "posts_brief": N_("Task 2: posts in the country's language"),
                  "posts_flag": N_("The red flag of task 2"), "posts": None}  # None: parameters, not shown


def _month(d: str) -> str:
    return d[:7]


def _next_month(ym: str) -> str:
    y, m = int(ym[:4]), int(ym[5:7])
    return f"{y + m // 12}-{m % 12 + 1:02d}"


def _prev_month(ym: str) -> str:
    y, m = int(ym[:4]), int(ym[5:7])
    return f"{y - (m == 1)}-{(m - 2) % 12 + 1:02d}"


def _label(ym: str) -> str:
    """A month as the course's language writes it (CLDR through Babel): "December 2024"."""
    from datetime import date

    from babel.dates import format_date

    from osintlab.i18n import language

    # "MMMM": the month inside a sentence (Mongolian writes it in lower case there, CLDR's format context)
    return str(format_date(date(int(ym[:4]), int(ym[5:7]), 1), "MMMM y", locale=language()))


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


def _window(rng: random.Random, targets: list[str], decoys: list[str]) -> tuple[str, str]:
    """A month range [after, before) over the `targets`' and `decoys`' publication dates (YYYY-MM-DD).

    It keeps at least MIN_TARGETS targets and, where it can, drops the last month's; it reaches back
    in time until it holds DECOYS_PER_TARGET decoys per target (then 0-2 months more, by the seed),
    so that a query whose words miss the red flags finds far more decoys than targets."""
    months = sorted({_month(d) for d in targets})
    hi = len(months) - 1 - rng.randint(0, 1)
    if sum(_month(d) <= months[hi] for d in targets) < MIN_TARGETS:
        hi = len(months) - 1
    last = months[hi]
    kept = sum(_month(d) <= last for d in targets)
    starts = [months[0], *sorted({_month(d) for d in decoys if _month(d) < months[0]}, reverse=True)]
    enough = [i for i, start in enumerate(starts)
              if sum(start <= _month(d) <= last for d in decoys) >= DECOYS_PER_TARGET * kept]
    reach = enough[0] if enough else len(starts) - 1
    first = starts[min(len(starts) - 1, reach + rng.randint(0, 2))]
    return first, _next_month(last)


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
    target_ids = {p.page_id for p in targets}
    decoys = [p.published for p in case.pages if p.domain == board and p.kind == "job_ad" and p.status == "live"
              and p.page_id not in target_ids and p.lang in {t.lang for t in targets}
              and LICENCE not in p.text.lower()]
    after, before = _window(rng, [p.published for p in targets], decoys)
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
    posts = _posts_brief(seed, case, key_pages, board)
    if posts is None:
        raise UnsuitableSeed(f"seed {seed} has no social platform with {MIN_POSTS} recruiters' posts that show one "
                             "red flag")
    post_fields, post_ids = posts
    public.update(post_fields)
    notes.update({pid: _("a post on {site}").format(site=public["posts"]["site"]) for pid in post_ids})
    return public, {"pages": expected, "notes": notes, "posts": post_ids,
                    "query": _reference_query(public, chosen, key_pages, case.root)}


# ---------------------------------------------------------------- posts in the country's language


def _posts_brief(seed: int, case: Any, key_pages: dict[str, Any], board: str) -> PostsBrief | None:
    """The third part's brief and key: a site (not the board), a language and one red flag with at
    least MIN_POSTS live posts there, in that language, in which a recruiter offers work with
    that flag (the key's exploitative pages; warnings about such offers are not targets). The
    origin country's language when its bank has search words for the flag, else English (then
    only ENGLISH_TASK_FLAGS); the site and flag are drawn by the seed among those with enough."""
    from synthetic_data.country import load_country
    from synthetic_data.generator.language import language_of, search_terms
    from synthetic_data.indicators import ALL_INDICATORS

    lang = language_of(load_country(case.manifest["countries"]["origin"]))
    options: dict[tuple[str, str, str], list[str]] = {}
    for page in case.pages:
        truth = key_pages.get(page.page_id)
        if (truth is None or truth.label != "exploitative" or page.status != "live" or page.domain == board
                or page.kind == "job_ad"):
            continue
        for flag in {c.indicator for c in truth.cues} & set(FLAGS):
            local = lang is not None and page.lang == lang.code and bool(search_terms(lang, flag))
            if local or (page.lang == "en" and flag in ENGLISH_TASK_FLAGS):
                options.setdefault((page.lang, page.domain, flag), []).append(page.page_id)
    enough = sorted(k for k, ids in options.items() if len(ids) >= MIN_POSTS)
    in_local = [k for k in enough if lang is not None and k[0] == lang.code]
    if not enough:
        return None
    language, site, flag = random.Random(f"w1-03-posts\x1f{seed}").choice(in_local or enough)
    brief = _("Recruiters also post job offers on {site}, and many of their posts are in {language}. Find every "
              "post on {site}, written in {language}, in which a recruiter offers work with the red flag below. "
              "Leave out posts that warn people about such offers. Search in {language}: words take different "
              "endings, so end a word with * to find all its forms.").format(
        site=site, language=_language_name(language))
    info = ALL_INDICATORS[flag]
    return ({"posts": {"site": site, "language": language, "flag": flag}, "posts_brief": brief,
             "posts_flag": {flag: {"name": info["name"], "hint": info["hint"]}}},
            sorted(options[language, site, flag]))


def _language_name(code: str) -> str:
    """The name of language `code` in the course's language: in English the language bank's own name
    ("Bengali", as the course writes it), else CLDR's through Babel ("монгол")."""
    from babel import Locale

    from osintlab.i18n import language
    from synthetic_data.generator.language import language_dirs, load_language

    if language() == "en" and code in language_dirs():
        return load_language(code).name
    return str(Locale.parse(language()).languages.get(code, code))


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("THE RED FLAGS (an ad shows at least one)")]
    for letter, (flag, info) in zip("abcdef", exercise["definitions"].items(), strict=False):
        lines.append(f"  ({letter}) {flag}: {_(info['name'])}: {_(info['hint'])}")
    lines += ["", _("TASK 2"), exercise["posts_brief"]]
    lines += [f"  {flag}: {_(info['name'])}: {_(info['hint'])}" for flag, info in exercise["posts_flag"].items()]
    lines += ["", _("Search with lab.search(\"...\"). Operators: site:, after:, before:, \"exact phrase\", OR, "
                    "( ), -word, word*. Read a page with lab.page(\"pg-...\").")]
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
    if part in ("pages", "posts"):
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
    if part in ("pages", "posts"):
        return _page_ids(value)
    return set()


def _key_ids(part: str, key: dict[str, Any]) -> list[str]:
    return list(key["posts"] if part == "posts" else key["pages"])


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    return {pid: key["notes"][pid] for pid in _key_ids(part, key)}


def hint_extras(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, Any]:
    return {"count": len(_key_ids(part, key))}


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
    if part in ("pages", "posts"):
        return scoring.prf(_page_ids(value), set(_key_ids(part, key))).f1
    if type(value) is not str:
        return 0.0
    shape = query_shape(value)
    if "error" in shape or not shape["or"]:
        return 0.0
    return scoring.prf(results(value, case_dir), set(key["pages"])).f1


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    """The key's pages (or posts); for the query, the one build() checked finds exactly them."""
    if part in ("pages", "posts"):
        return _key_ids(part, key)
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
    if part == "posts":
        return _post_notes(sorted(_page_ids(value)), exercise["posts"], pages, hints)
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


def _misplaced(pid: str, page: Any, site: str) -> str | None:
    """The note for a listed id that is no live page of the case, or a page of another site."""
    if page is None:
        return _("{page}: no live page of your case has this id.").format(page=pid)
    if page.domain != site:
        return _("{page}: not on {board}.").format(page=pid, board=site)
    return None


def _page_notes(given: list[str], exercise: dict[str, Any], pages: dict[str, Any], hints: Any) -> list[str]:
    out = []
    for pid in given:
        page = pages.get(pid)
        if (note := _misplaced(pid, page, exercise["board"])) is not None:
            out.append(note)
        elif not exercise["after"] <= _month(page.published) < exercise["before"]:
            out.append(_("{page}: published outside the brief's months.").format(page=pid))
        elif LICENCE in page.text.lower():
            out.append(_("{page}: quotes a licence number (the brief leaves those out).").format(page=pid))
        elif not hints.has(pid):
            out.append(_("{page}: does not show either red flag, or is not a job ad.").format(page=pid))
    return out


def _post_notes(given: list[str], posts: dict[str, Any], pages: dict[str, Any], hints: Any) -> list[str]:
    """Per post: unknown, on another site, in another language, or not showing the flag; then
    whether some are missing."""
    language = _language_name(posts["language"])
    out = []
    for pid in given:
        page = pages.get(pid)
        if (note := _misplaced(pid, page, posts["site"])) is not None:
            out.append(note)
        elif page.lang != posts["language"]:
            out.append(_("{page}: the post itself is not written in {language} (read its text, not the "
                         "thread's title).").format(page=pid, language=language))
        elif not hints.has(pid):
            out.append(_("{page}: not a recruiter's offer with the red flag of task 2.").format(page=pid))
    if sum(hints.has(p) for p in given) < hints.extras.get("count", 0):
        out.append(_("Some posts the brief asks for are still missing: search for other forms of the words "
                     "(end them with *)."))
    return out or [_("Your list holds exactly the posts the brief asks for. Well done.")]


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    """The final query (a search box, to see what it finds) or the list of pages (or posts)."""
    if part == "query":
        return {"kind": "text", "search": True, "label": _("Your final query"),
                "placeholder": "site:... after:... before:... (... OR ...) -...",
                "help": _("Type your query and press Search to see what it finds. The last query you search is "
                          "your answer.")}
    if part == "posts":
        # The job board's example query would mislead here: * ends a word in task 2, not a gap.
        return {"kind": "pages", "label": _("Task 2: the posts in {language}").format(
            language=_language_name(exercise["posts"]["language"])),
            "search_placeholder": f"site:{exercise['posts']['site']} (...* OR ...*)"}
    return {"kind": "pages", "label": _("The pages the brief asks for")}

