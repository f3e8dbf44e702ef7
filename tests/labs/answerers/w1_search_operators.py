"""Answerers for lab w1-03 (Search operators): no skill, and a careful searcher.

The careful searcher does what the brief says with the sandbox only: it lists the job board's
ads in the brief's months (site:, after:, before:, -licence), reads each one and keeps those
that show one of the two printed red flags (the same careful reading of the printed
definitions as the triage lab's reader), then writes a query that joins, in one OR group, the
phrases those ads use for the flags, and checks that the query finds just the ads it kept.

Task 2 (posts in the country's language): the careful searcher reads the language as a native
speaker does. It searches the site with the words of the flag in that language, each ending with *
(the words a speaker would choose: the language bank's search terms for the flag), and keeps the
posts, in that language, in which a recruiter offers work with the flag: it recognises the bank's
phrasings of the flag, and a warning post by its fixed sentences (a reader of the language
recognises both). In English it reads every English page of the site, as for the ads. Never the key.
"""

from __future__ import annotations

import re
from typing import Any

from labs.w1.search_operators import results
from tests.labs.answerers._common import nothing
from tests.labs.answerers.w1_triage import flags_of
from tests.labs.validity import TraineeView

LAB = "w1-03-search-operators"


def _site(view: TraineeView) -> str:
    return f"site:{view.exercise['posts']['site']}"


def _scope(view: TraineeView) -> str:
    ex = view.exercise
    return f"site:{ex['board']} after:{ex['after']} before:{ex['before']}"


def operators_only(view: TraineeView) -> dict[str, Any]:
    """The brief's operators and no words at all."""
    query = f"{_scope(view)} -licence"
    return {"query": query, "pages": results(query, view.case_dir), "posts": results(_site(view), view.case_dir)}


def operators_with_filler(view: TraineeView) -> dict[str, Any]:
    """The operators, and an OR group of words every ad has."""
    query = f"{_scope(view)} (job OR work OR the) -licence"
    posts = results(f"{_site(view)} (job OR work OR the)", view.case_dir)
    return {"query": query, "pages": results(query, view.case_dir), "posts": posts}


def brief_words(view: TraineeView) -> dict[str, Any]:
    """Every word of the printed definitions in one OR group, on the board."""
    text = " ".join(f"{d['name']} {d['hint']}" for d in view.exercise["definitions"].values())
    words = sorted({w for w in re.findall(r"[A-Za-z]{4,}", text)} - {"with", "that", "from", "only", "often"})
    query = f"site:{view.exercise['board']} ({' OR '.join(words)})"
    post = next(iter(view.exercise["posts_flag"].values()))
    post_words = sorted({w for w in re.findall(r"[A-Za-z]{4,}", f"{post['name']} {post['hint']}")})
    posts = results(f"{_site(view)} ({' OR '.join(post_words)})", view.case_dir)[:20]
    return {"query": query, "pages": results(query, view.case_dir)[:20], "posts": posts}


def everything_visible(view: TraineeView) -> dict[str, Any]:
    """Every page the board shows."""
    query = f"site:{view.exercise['board']}"
    return {"pages": results(query, view.case_dir), "posts": results(_site(view), view.case_dir)}


# ---------------------------------------------------------------- the careful searcher


def _flag_sentences(text: str, flags: list[str], cities: list[str], messengers: list[str]) -> list[str]:
    """The sentences of an ad that show one of `flags`, by the printed definitions."""
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        if set(flags) & flags_of(sentence, cities, messengers) - {"RF-VAGUE-LOCATION", "RF-VAGUE-EMPLOYER"}:
            out.append(sentence.strip().rstrip("."))
    return out


def careful(view: TraineeView) -> dict[str, Any]:
    from synthetic_data.country import load_country

    case = view.case
    flags = view.exercise["flags"]
    countries = case.manifest["countries"].values()
    cities = sorted({c.name for code in countries for c in load_country(code).cities}, key=len, reverse=True)
    messengers = [p.name for p in case.platforms if p.kind == "messenger"]
    in_scope = results(f"{_scope(view)} -licence", view.case_dir)
    kept, phrases = [], []
    for page_id in in_scope:
        page = case.page_by_id[page_id]
        if page.kind != "job_ad":
            continue
        found = _flag_sentences(page.text, flags, cities, messengers)
        if found:
            kept.append(page_id)
            phrases += found
    words = " OR ".join(sorted({'"' + " ".join(p.replace('"', " ").split()) + '"' for p in phrases}))
    query = f"{_scope(view)} ({words}) -licence"
    return {"pages": kept, "query": query, "posts": careful_posts(view, cities, messengers)}


def careful_posts(view: TraineeView, cities: list[str], messengers: list[str]) -> list[str]:
    """Task 2: search the site in the brief's language, read each page, keep the recruiters' offers that
    say the flag (a warning about such offers is not one)."""
    from synthetic_data.generator.language import load_language, search_terms
    from synthetic_data.scenario import load_content

    brief = view.exercise["posts"]
    flag, code, case = brief["flag"], brief["language"], view.case
    if code == "en":
        warning = _patterns(load_content("recruitment")["texts"]["warning_post"])
        found = [case.page_by_id[p] for p in results(_site(view), view.case_dir)]
        return [p.page_id for p in found if p.lang == "en" and flag in flags_of(p.text, cities, messengers)
                and not any(r.search(f"{p.title}\n{p.text}") for r in warning)]
    lang = load_language(code)
    found = [case.page_by_id[p] for p in results(f"{_site(view)} ({' OR '.join(search_terms(lang, flag))})",
                                                 view.case_dir)]
    offers = _phrasings(lang, flag)
    warning = _patterns(lang.texts.get("warning_post", {}))
    return [p.page_id for p in found if p.lang == code and any(r.search(p.text) for r in offers)
            and not any(r.search(f"{p.title}\n{p.text}") for r in warning)]


def _pattern(template: str) -> re.Pattern[str]:
    """A template as a pattern: its {slots} match any words."""
    from synthetic_data.textgen import SLOT

    return re.compile(".+?".join(re.escape(part) for part in SLOT.split(template)[::2]), re.S)


def _patterns(spec: dict[str, Any]) -> list[re.Pattern[str]]:
    """The fixed sentences of a kind of text (its title, opener, closer...), not its cues."""
    return [_pattern(t) for part, values in spec.items() if part not in ("cues", "pick") and isinstance(values, list)
            for t in values if isinstance(t, str)]


def _phrasings(lang: Any, flag: str) -> list[re.Pattern[str]]:
    """The ways the language bank's recruiters write `flag` (in every kind of text but a warning)."""
    from synthetic_data.textgen import CUE_MARK

    templates = [t for name, spec in lang.texts.items() if name != "warning_post"
                 for t in spec.get("cues", {}).get(flag, [])]
    templates += [t for script in lang.scripts.values() for step in script["steps"] for t in step["text"]]
    cues = {m.group(2) for t in templates for m in CUE_MARK.finditer(t) if m.group(1) == flag}
    return [_pattern(cue) for cue in cues]


NO_SKILL = {
    "nothing": nothing,
    "operators without words": operators_only,
    "operators and filler words": operators_with_filler,
    "keyword rules (the definitions' words)": brief_words,
    "everything visible": everything_visible,
}
CAREFUL = careful
