"""Answerers for w2-02 "Phone and e-mail pivots".

The careful reader: parses each number in the country the brief says it was written in; reads
the e-mail provider's rules; pivots with the public lookups, every search query for the number's
written forms (keeping only pages that write exactly that number), and the wallet records; asks
the portability database about every number.
"""

from __future__ import annotations

import re
from typing import Any

import phonenumbers

from labs.w2.common import opsec_answer
from tests.labs.validity import TraineeView

LAB = "w2-02-phone-email-pivots"
PARTS = ("normalise", "pivots", "ported")


def _answer(normalise: Any, pivots: Any, ported: Any) -> dict[str, Any]:
    answers = {"normalise": normalise, "pivots": pivots, "ported": ported}
    return {**answers, "opsec": opsec_answer(answers)}


def nothing(view: TraineeView) -> dict[str, Any]:
    return {}


def copy_as_given(view: TraineeView) -> dict[str, Any]:
    """Every item as copied, no pivots, nothing ported."""
    items = view.exercise["items"]
    return _answer({k: v["raw"] for k, v in items.items()}, {}, {})


def home_country_everywhere(view: TraineeView) -> dict[str, Any]:
    """Digits with the home country's code, every number 'ported' to the first operator."""
    origin = view.case.manifest["countries"]["origin"]
    code = phonenumbers.country_code_for_region(origin)
    items = view.exercise["items"]
    normalise = {k: "+" + str(code) + re.sub(r"\D", "", v["raw"]) for k, v in items.items()}
    ported = {k: view.exercise["operators"][0] for k in items if k.startswith("N")}
    return _answer(normalise, {}, ported)


def last_digits_search(view: TraineeView) -> dict[str, Any]:
    """Pivot by searching the last four digits of each number (finds other people's numbers too)."""
    pivots = {}
    for tid, value in view.exercise["targets"].items():
        query = value[-4:] if view.exercise["target_kinds"][tid] == "phone" else value.split("@")[0]
        pivots[tid] = [h.page_id for h in view.sandbox.search(f'"{query}"', per_page=100).hits]
    return _answer({}, pivots, {})


NO_SKILL = {"nothing": nothing, "copy as given": copy_as_given, "home country everywhere": home_country_everywhere,
            "last four digits": last_digits_search}


def _numbers(text: str, regions: list[str]) -> set[str]:
    found = set()
    for raw in re.findall(r"\+?\d[\d\s\-()]{5,18}\d", text):
        for region in [None] if raw.startswith("+") else regions:
            try:
                parsed = phonenumbers.parse(raw, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_possible_number(parsed):
                found.add(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
    return found


def careful(view: TraineeView) -> dict[str, Any]:
    sb, ex = view.sandbox, view.exercise
    fp = sb.footprint
    regions = list(dict.fromkeys(view.case.manifest["countries"].values()))
    normalise = {}
    for item, spec in ex["items"].items():
        if item.startswith("E"):
            normalise[item] = fp.email(spec["raw"])["canonical"]
        else:
            normalise[item] = fp.normalise_phone(spec["raw"], spec["country"] or None)
    pivots: dict[str, list[str]] = {}
    for tid, value in ex["targets"].items():
        found: set[str] = set()
        if ex["target_kinds"][tid] == "phone":
            found |= set(fp.by_phone(value).url)
            for query in fp.dorks(value):
                for hit in sb.search(query, per_page=100).hits:
                    page = view.case.page_by_id[hit.page_id]
                    if value in _numbers(page.text, regions):
                        found.add(page.url if page.kind == "profile" else page.page_id)
            found |= set(fp.wallets(value).fin_id)
        else:
            found |= set(fp.by_email(value).url)
            local, _, domain = value.partition("@")
            for hit in sb.search(f'"{domain}" {local}', per_page=100).hits:
                page = view.case.page_by_id[hit.page_id]
                emails = {fp.email(m)["canonical"] for m in re.findall(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", page.text)}
                if value in emails:
                    found.add(page.url if page.kind == "profile" else page.page_id)
        pivots[tid] = sorted(found)
    ported = {}
    for item, number in normalise.items():
        if item.startswith("N"):
            answer = fp.mnp(number)
            if answer["ported"]:
                ported[item] = answer["operator"]
    return _answer(normalise, pivots, ported)


CAREFUL = careful
