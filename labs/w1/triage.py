"""Lab w1-04 "Job-ad triage": tag recruitment red flags in about 30 ads and rank which to escalate.

The ads are the case's storyline job ads and recruitment posts (exploitative, legitimate and
near misses), numbered J1.. in a seeded order. Two parts:

- tags: {"J3": ["RF-HIGH-PAY", ...]}; graded by F1 per indicator against the planted cues,
  averaged over the indicators (macro F1);
- escalate: the ads to escalate, most urgent first; half F1 of the set against the
  exploitative ads, half average precision of the order.
"""

from __future__ import annotations

import random
from typing import Any

from labs import scoring

HINT_UNITS = {"tags": "tags", "escalate": "ads"}  # what the visible check counts
PARTS = {"tags": 8.0, "escalate": 4.0}
MAX_ADS = 30
LABELS = ("exploitative", "legitimate", "near_miss")


def indicators() -> dict[str, dict[str, str]]:
    from synthetic_data.indicators import GROUPS

    return dict(GROUPS["recruitment"])


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from synthetic_data.bundle import load_key

    # Exploitative pages with fewer than two cues give the reader nothing to go on: left out.
    truths = [t for t in load_key(case.root.parent).pages
              if t.label in LABELS and (t.label != "exploitative" or len({c.indicator for c in t.cues}) >= 2)]
    live = [t for t in truths if t.page_id in case.page_by_id and case.page_by_id[t.page_id].kind in ("job_ad", "post")]
    rng = random.Random(f"w1-04\x1f{seed}")
    chosen = rng.sample(live, min(MAX_ADS, len(live)))
    ads, tags, escalate, ids = {}, {}, [], {}
    for i, truth in enumerate(chosen, 1):
        page, item = case.page_by_id[truth.page_id], f"J{i}"
        ads[item] = {"page_id": page.page_id, "url": page.url, "published": page.published[:10],
                     "title": page.title, "text": page.text}
        tags[item] = sorted({c.indicator for c in truth.cues})
        ids[item] = truth.label
        if truth.label == "exploitative":
            escalate.append(item)
    brief = ("A hotline passed on these job ads and posts from the case. Most look alike. "
             "For each ad, tag the recruitment red flags you can see in its text. Then list the ads "
             "that the unit must look at first (escalate), most urgent first. Legitimate ads and "
             "near misses (one small flag, a named and registered employer) should not be escalated.")
    public = {"title": "Job-ad triage", "brief": brief, "ads": ads, "indicators": indicators()}
    return public, {"tags": tags, "labels": ids, "escalate": escalate}


def render(exercise: dict[str, Any]) -> str:
    lines = ["TASK", exercise["brief"], "", "RED FLAGS"]
    lines += [f"  {k}: {v['name']} ({v['hint']})" for k, v in exercise["indicators"].items()]
    lines.append("")
    for item, ad in exercise["ads"].items():
        lines += [f"--- {item}  {ad['published']}  {ad['url']}", ad["title"], ad["text"], ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _tag_sets(value: Any, exercise: dict[str, Any]) -> dict[str, set[str]]:
    """indicator -> items the trainee tagged with it (unknown items and indicators ignored)."""
    out: dict[str, set[str]] = {}
    if type(value) is not dict:
        return out
    for item, tags in value.items():
        if item not in exercise["ads"] or type(tags) is not list:
            continue
        for tag in tags:
            if type(tag) is str and tag.strip().upper() in exercise["indicators"]:
                out.setdefault(tag.strip().upper(), set()).add(item)
    return out


def _escalated(value: Any, exercise: dict[str, Any]) -> list[str]:
    if type(value) is not list:
        return []
    seen: list[str] = []
    for v in value:
        if type(v) is str and v.strip().upper() in exercise["ads"] and v.strip().upper() not in seen:
            seen.append(v.strip().upper())
    return seen


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    ads, known = exercise["ads"], exercise["indicators"]
    if part == "escalate":
        if type(value) is not list:
            return ['give a list of ad numbers, most urgent first, like ["J4", "J17"].']
        return [f"{v!r} is not an ad number (J1 to J{len(ads)})." for v in value if str(v).upper() not in ads][:5]
    if type(value) is not dict:
        return ['give a dict like {"J1": ["RF-HIGH-PAY"], "J2": []}.']
    problems = [f"{k!r} is not an ad number (J1 to J{len(ads)})." for k in value if k not in ads]
    for item, tags in value.items():
        if type(tags) is not list:
            problems.append(f"{item}: give a list of red-flag ids, [] for none.")
            continue
        problems += [f"{item}: {t!r} is not a red-flag id (see the list above)."
                     for t in tags if str(t).strip().upper() not in known]
    return problems[:6]


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if part == "escalate":
        return set(_escalated(value, exercise))
    return {f"{item}|{ind}" for ind, items in _tag_sets(value, exercise).items() for item in items}


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == "escalate":
        return {item: "an ad that should be escalated" for item in key["escalate"]}
    names = public["indicators"]
    return {f"{item}|{ind}": f"a sign of '{names[ind]['name']}'" for item, inds in key["tags"].items() for ind in inds}


def average_precision(ranking: list[str], relevant: set[str]) -> float:
    hits, total = 0, 0.0
    for rank, item in enumerate(ranking, 1):
        if item in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant) if relevant else 0.0


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if part == "escalate":
        ranking, relevant = _escalated(value, exercise), set(key["escalate"])
        return 0.5 * scoring.prf(ranking, relevant).f1 + 0.5 * average_precision(ranking, relevant)
    expected: dict[str, set[str]] = {}
    for item, inds in key["tags"].items():
        for ind in inds:
            expected.setdefault(ind, set()).add(item)
    per = scoring.f1_per_label(_tag_sets(value, exercise), expected)
    return scoring.macro_f1(per)


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == "escalate":
        return list(key["escalate"])
    return {item: list(tags) for item, tags in key["tags"].items()}


# ---------------------------------------------------------------- answer form (drawn by labs/forms.py)


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    """Red-flag checkboxes for every ad, or the ads to escalate in order."""
    items = [{"id": k, "title": ad["title"], "text": ad["text"]} for k, ad in exercise["ads"].items()]
    if part == "escalate":
        return {"kind": "ranking", "label": "The ads to escalate, most urgent first",
                "items": [{"id": i["id"], "title": i["title"]} for i in items]}
    return {"kind": "multi", "label": "Tick the red flags you see in each ad",
            "items": items,
            "options": [{"value": k, "label": v["name"]} for k, v in exercise["indicators"].items()]}
