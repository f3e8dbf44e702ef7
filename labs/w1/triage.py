"""Lab w1-04 "Job-ad triage": tag the recruitment red flags of each ad, then rank the ads to escalate.

The ads are the case's job ads and recruitment posts written from the ad text banks (lure ads,
legitimate ads, near misses), numbered J1.. in a seeded order. The red flags are defined in
synthetic_data/indicators.yml and printed with the ads; the key is what those definitions give,
read literally over the title, the text and the closing line (the generator marks every phrase
that carries a flag, and nothing else carries one; tests check a careful reader agrees).

- tags: {"J3": ["RF-HIGH-PAY", ...]}; macro F1 over the red flags (per flag, which ads carry it);
- escalate: the ads to escalate, most urgent first. The brief's rule: every ad with two or more
  different red flags; first those that tell people to travel as tourists or push them to leave
  fast, then those with more red flags. Scored as F1 of the set times the share of pairs of
  escalated ads the answer puts in the rule's order (ties in the rule may go either way).
"""

from __future__ import annotations

import random
from itertools import pairwise
from typing import Any

from labs import scoring
from osintlab.i18n import N_, _, ngettext

HINT_UNITS = {"tags": N_("tags"), "escalate": N_("ads")}
PARTS = {"tags": 8.0, "escalate": 4.0}
MAX_ADS = 30
MAX_LURES = 8
AD_TEMPLATES = ("lure_ad", "lure_city_ad", "agency_ad", "hostess_ad", "legit_ad", "near_miss_ad")
URGENT_FLAGS = ("RF-TOURIST-TRAVEL", "RF-URGENT")
ESCALATE_FROM = 2  # different red flags


def indicators() -> dict[str, dict[str, str]]:
    from synthetic_data.indicators import GROUPS

    return dict(GROUPS["recruitment"])


def priority(flags: list[str] | set[str]) -> tuple[int, int]:
    """The brief's order: travel as a tourist or leave fast first, then more red flags."""
    return (int(any(f in flags for f in URGENT_FLAGS)), len(set(flags)))


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from synthetic_data.bundle import load_key

    # Ads in English only: the red-flag definitions quote English wording, and the lab grades a tag
    # by its definition (a world's local-language ads are read in Workshop 2 and the lessons).
    truths = [t for t in load_key(case.root.parent).pages if t.template in AD_TEMPLATES
              and t.page_id in case.page_by_id and case.page_by_id[t.page_id].kind in ("job_ad", "post")
              and case.page_by_id[t.page_id].lang == "en"]
    rng = random.Random(f"w1-04\x1f{seed}")
    lures = [t for t in truths if t.label == "exploitative"]
    decoys = [t for t in truths if t.label != "exploitative"]
    # Like a hotline's inbox: most ads are honest; about a third are lures.
    chosen = rng.sample(lures, min(MAX_LURES, len(lures)))
    chosen += rng.sample(decoys, min(MAX_ADS - len(chosen), len(decoys)))
    rng.shuffle(chosen)
    ads, tags = {}, {}
    for i, truth in enumerate(chosen, 1):
        page, item = case.page_by_id[truth.page_id], f"J{i}"
        ads[item] = {"page_id": page.page_id, "url": page.url, "published": page.published[:10],
                     "title": page.title, "text": page.text}
        tags[item] = sorted({c.indicator for c in truth.cues})
    escalate = sorted((item for item, flags in tags.items() if len(flags) >= ESCALATE_FROM),
                      key=lambda item: (-priority(tags[item])[0], -priority(tags[item])[1], int(item[1:])))
    brief = _("A hotline passed on these job ads and posts from the case. Most look alike. For each ad, tag "
              "the red flags its title, text or closing line shows, by the definitions below: tag a flag "
              "whenever its definition fits, and only then. Then list the ads the unit must look at first. "
              "Escalate every ad that shows {n} or more different red flags. Put the most urgent first: ads "
              "that tell people to travel as tourists or hide the work (RF-TOURIST-TRAVEL) or push them to "
              "leave fast (RF-URGENT) come before the others; among ads alike, the ad with more red flags "
              "comes first.").format(n=ESCALATE_FROM)
    public = {"title": _("Job-ad triage"), "brief": brief, "ads": ads,
              "indicators": {k: {**v, "name": _(v["name"]), "hint": _(v["hint"])} for k, v in indicators().items()}}
    return public, {"tags": tags, "escalate": escalate,
                    "priority": {item: list(priority(tags[item])) for item in escalate}}


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("RED FLAGS (the definitions)")]
    lines += [f"  {k}: {_(v['name'])}: {_(v['hint'])}" for k, v in exercise["indicators"].items()]
    lines.append("")
    for item, ad in exercise["ads"].items():
        lines += [f"--- {item}  {ad['published']}  {ad['url']}", ad["title"], ad["text"], ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _tag_sets(value: Any, exercise: dict[str, Any]) -> dict[str, set[str]]:
    """indicator -> items the trainee tagged with it (unknown items and indicators ignored)."""
    out: dict[str, set[str]] = {}
    for item, flags in _tags_by_item(value, exercise).items():
        for flag in flags:
            out.setdefault(flag, set()).add(item)
    return out


def _tags_by_item(value: Any, exercise: dict[str, Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    if type(value) is not dict:
        return out
    for item, flags in value.items():
        if item not in exercise["ads"] or type(flags) is not list:
            continue
        out[item] = {f.strip().upper() for f in flags if type(f) is str and f.strip().upper() in exercise["indicators"]}
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
            return [_('give a list of ad numbers, most urgent first, like ["J4", "J17"].')]
        problems = [_("{value!r} is not an ad number (J1 to J{last}).").format(value=v, last=len(ads))
                    for v in value if type(v) is not str or v.strip().upper() not in ads]
        return problems[:5]
    if type(value) is not dict:
        return [_('give a dict like {{"J1": ["RF-HIGH-PAY"], "J2": []}}.')]
    problems = [_("{value!r} is not an ad number (J1 to J{last}).").format(value=k, last=len(ads))
                for k in value if k not in ads]
    for item, flags in value.items():
        if type(flags) is not list:
            problems.append(_("{item}: give a list of red-flag ids, [] for none.").format(item=item))
            continue
        problems += [_("{item}: {flag!r} is not a red-flag id (see the list above).").format(item=item, flag=t)
                     for t in flags if str(t).strip().upper() not in known]
    return problems[:6]


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if part == "escalate":
        return set(_escalated(value, exercise))
    return {f"{item}|{ind}" for ind, items in _tag_sets(value, exercise).items() for item in items}


def _pairs(key: dict[str, Any]) -> set[str]:
    """'Ja>Jb' for each two escalated ads the rule puts in an order (a more urgent than b)."""
    prio = {item: tuple(p) for item, p in key["priority"].items()}
    return {f"{a}>{b}" for a in prio for b in prio if prio[a] > prio[b]}


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == "escalate":
        atoms = {item: _("an ad that should be escalated") for item in key["escalate"]}
        return atoms | {pair: _("an order of two ads") for pair in _pairs(key)}
    names = public["indicators"]
    return {f"{item}|{ind}": _("a sign of '{name}'").format(name=names[ind]["name"])
            for item, inds in key["tags"].items() for ind in inds}


def hint_extras(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, Any]:
    """How many red flags each ad shows (a practice check may say 'J5: a red flag is missing')."""
    if part == "escalate":
        return {"count": len(key["escalate"])}
    return {"counts": {item: len(flags) for item, flags in key["tags"].items()}}


def order_agreement(ranking: list[str], priority: dict[str, tuple[int, ...]]) -> float:
    """Share of pairs of escalated ads in the ranking (with different priorities) put in the rule's order."""
    listed = [item for item in ranking if item in priority]
    pairs = right = 0
    for i, a in enumerate(listed):
        for b in listed[i + 1:]:
            if priority[a] != priority[b]:
                pairs += 1
                right += priority[a] > priority[b]
    return right / pairs if pairs else 1.0


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if part == "escalate":
        ranking, relevant = _escalated(value, exercise), set(key["escalate"])
        if not ranking:
            return 0.0
        prio = {item: tuple(p) for item, p in key["priority"].items()}
        return scoring.prf(ranking, relevant).f1 * order_agreement(ranking, prio)
    expected: dict[str, set[str]] = {}
    for item, inds in key["tags"].items():
        for ind in inds:
            expected.setdefault(ind, set()).add(item)
    return scoring.macro_f1(scoring.f1_per_label(_tag_sets(value, exercise), expected))


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == "escalate":
        return list(key["escalate"])
    return {item: list(tags) for item, tags in key["tags"].items()}


def feedback(part: str, value: Any, exercise: dict[str, Any], hints: Any) -> list[str]:
    """Practice-mode check, per ad: tags that do not apply, flags still missing; ads that should
    not be escalated, and two ads in the wrong order. Never which flag or which ad is right."""
    lines: list[str] = []
    if part == "escalate":
        ranking = _escalated(value, exercise)
        lines += [_("{item}: should not be escalated.").format(item=item) for item in ranking if not hints.has(item)]
        if sum(hints.has(item) for item in ranking) < hints.extras.get("count", 0):
            lines.append(_("An ad that must be escalated is still missing from your list."))
        kept = [item for item in ranking if hints.has(item)]
        for a, b in pairwise(kept):
            if hints.has(f"{b}>{a}"):
                lines.append(_("{b} is more urgent than {a}, which you listed above it.").format(a=a, b=b))
        return lines or [_("Your list is complete and in order. Well done.")]
    given = _tags_by_item(value, exercise)
    counts = hints.extras.get("counts", {})
    for item in exercise["ads"]:
        flags = given.get(item, set())
        right = sum(hints.has(f"{item}|{f}") for f in flags)
        extra, missing = len(flags) - right, counts.get(item, 0) - right
        if extra:
            lines.append(ngettext("{item}: one tag too many.", "{item}: {n} tags too many.", extra).format(
                item=item, n=extra))
        if missing:
            lines.append(ngettext("{item}: a red flag is still missing.", "{item}: {n} red flags are still missing.",
                                  missing).format(item=item, n=missing))
    return lines or [_("Every ad has exactly its red flags. Well done.")]


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    """Red-flag checkboxes for every ad, or the ads to escalate in order."""
    items = [{"id": k, "title": ad["title"], "text": ad["text"]} for k, ad in exercise["ads"].items()]
    if part == "escalate":
        return {"kind": "ranking", "label": _("The ads to escalate, most urgent first"),
                "items": [{"id": i["id"], "title": i["title"]} for i in items]}
    return {"kind": "multi", "label": _("Tick the red flags you see in each ad"), "items": items,
            "options": [{"value": k, "label": _(v["name"])} for k, v in exercise["indicators"].items()]}
