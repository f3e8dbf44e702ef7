"""Answerers for lab w1-03 (Search operators): no skill, and a careful searcher.

The careful searcher does what the brief says with the sandbox only: it lists the job board's
ads in the brief's months (site:, after:, before:, -licence), reads each one and keeps those
that show one of the two printed red flags (the same careful reading of the printed
definitions as the triage lab's reader), then writes a query that joins, in one OR group, the
phrases those ads use for the flags, and checks that the query finds just the ads it kept.
"""

from __future__ import annotations

import re
from typing import Any

from labs.w1.search_operators import results
from tests.labs.answerers._common import nothing
from tests.labs.answerers.w1_triage import flags_of
from tests.labs.validity import TraineeView

LAB = "w1-03-search-operators"


def _scope(view: TraineeView) -> str:
    ex = view.exercise
    return f"site:{ex['board']} after:{ex['after']} before:{ex['before']}"


def operators_only(view: TraineeView) -> dict[str, Any]:
    """The brief's operators and no words at all."""
    query = f"{_scope(view)} -licence"
    return {"query": query, "pages": results(query, view.case_dir)}


def operators_with_filler(view: TraineeView) -> dict[str, Any]:
    """The operators, and an OR group of words every ad has."""
    query = f"{_scope(view)} (job OR work OR the) -licence"
    return {"query": query, "pages": results(query, view.case_dir)}


def brief_words(view: TraineeView) -> dict[str, Any]:
    """Every word of the printed definitions in one OR group, on the board."""
    text = " ".join(f"{d['name']} {d['hint']}" for d in view.exercise["definitions"].values())
    words = sorted({w for w in re.findall(r"[A-Za-z]{4,}", text)} - {"with", "that", "from", "only", "often"})
    query = f"site:{view.exercise['board']} ({' OR '.join(words)})"
    return {"query": query, "pages": results(query, view.case_dir)[:20]}


def everything_visible(view: TraineeView) -> dict[str, Any]:
    """Every page the board shows."""
    query = f"site:{view.exercise['board']}"
    return {"pages": results(query, view.case_dir)}


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
    return {"pages": kept, "query": query}


NO_SKILL = {
    "nothing": nothing,
    "operators without words": operators_only,
    "operators and filler words": operators_with_filler,
    "keyword rules (the definitions' words)": brief_words,
    "everything visible": everything_visible,
}
CAREFUL = careful
