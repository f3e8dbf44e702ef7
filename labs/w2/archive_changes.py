"""Lab w2-05 "Archive and changes": what an edited or deleted page said before, and when it changed.

Six pages of the recruiter's, each captured four to six times by the web archive. On each, one
thing of substance changed between two captures (the phone number, the salary, the destination),
or the page was deleted (later captures answer 404), or nothing of substance changed. Every
capture also differs in noise (a view counter, "posted 3 days ago"), and a capture may have hit a
login wall (HTTP 302): neither is a change.

Parts:
- changes: per page, the kind of change (half) and the values before and after (half; for a
  deletion, the phone number the page gave; numbers compared in E.164, salaries as numbers);
- window: per page, the last capture with the old text and the first with the new (or the 404);
  both blank when nothing of substance changed;
- opsec: see labs.w2.common.
"""

from __future__ import annotations

import random
import re
from typing import Any

from labs import scoring
from labs.items import coded_options
from labs.w2 import common
from osintlab.i18n import N_, NP_, _

PARTS = {"changes": 6.0, "window": 4.0, common.OPSEC: 2.0}
HINT_UNITS = {"changes": N_("answers"), "window": N_("captures"), common.OPSEC: N_("parts")}
USES_SEARCH = False
# Translators: the kinds of change a trainee picks in lab W2-05 (the brief lists them): your word, then the
# English code in brackets, e.g. "word (salary)". "none": nothing changed.
KINDS = (
    NP_("answer option", "phone"),
    NP_("answer option", "salary"),
    NP_("answer option", "destination"),
    NP_("answer option", "deleted"),
    NP_("answer option", "none"),
)


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from labs.runtime import UnsuitableSeed

    key = common.world_key(case)
    if len(key.edits) < 5:
        raise UnsuitableSeed(f"seed {seed}: the world has too few edited pages")
    rng = random.Random(f"w2-05\x1f{seed}")
    edits = rng.sample(key.edits, len(key.edits))
    pages, expected = {}, {}
    for n, edit in enumerate(edits, 1):
        item = f"A{n}"
        pages[item] = {"url": edit.url}
        expected[item] = {"change": edit.change, "before": edit.before, "after": edit.after,
                          "last_before": edit.last_before, "first_after": edit.first_after}
    origin = case.manifest["countries"]["origin"]
    brief = _(
        "A recruiter keeps changing these pages. For each page A, list its captures in the web archive and "
        "compare them. Say what changed in substance: the phone number, the salary, the destination, the page "
        "was deleted (later captures answer 404), or nothing (counters and 'posted ... ago' are noise; a login "
        "page, HTTP 302, is not a deletion). Give the value before and after (phone numbers in E.164, the "
        "salary as a number, the destination as the country's name; for a deletion, the phone number the page "
        "gave before it went). Then date the change: the last capture with the old text and the first capture "
        "with the new text (or the 404). Leave values and captures blank when nothing changed."
    )
    public = {"title": _("Archive and changes"), "brief": brief, "pages": pages, "kinds": list(KINDS), "region": origin}
    return public, {"changes": expected}


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("PAGES")]
    lines += [f"  {k}: {v['url']}" for k, v in exercise["pages"].items()]
    lines += ["", _("KINDS OF CHANGE: {kinds}").format(kinds=", ".join(exercise["kinds"])), "",
              _("TOOLS (sb = lab.sandbox)"),
              "  sb.archive.captures(url)   sb.archive.text(capture_id)   sb.archive.diff(older, newer)",
              f"  sb.footprint.normalise_phone(number, \"{exercise['region']}\")",
              "", common.opsec_render_line()]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _entry(value: Any, item: str) -> dict[str, Any]:
    entry = value.get(item) if type(value) is dict else None
    return entry if type(entry) is dict else {}


def _same(kind: str, given: Any, expected: str, region: str) -> bool:
    """Whether a value the trainee gives is the key's value, compared the way the brief says."""
    if not expected:
        return not (type(given) is str and given.strip()) and given not in (0,)
    if type(given) in (int, float) and type(given) is not bool:
        given = str(int(given))
    if type(given) is not str:
        return False
    if kind in ("phone", "deleted"):
        import phonenumbers

        try:
            parsed = phonenumbers.parse(given.strip(), region)
        except phonenumbers.NumberParseException:
            return False
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == expected
    if kind == "salary":
        return re.sub(r"\D", "", given) == re.sub(r"\D", "", expected)
    return scoring.norm(given) == scoring.norm(expected)


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    if part == common.OPSEC:
        return common.opsec_problems(value)
    pages = exercise["pages"]
    if type(value) is not dict:
        return [_("give a dict like {example}.").format(
            example='{"A1": {"change": "phone", "before": "...", "after": "...", '
                    '"last_before": "cap-...", "first_after": "cap-..."}, ...}')]
    problems = [_("{item} is not a page of this exercise.").format(item=repr(k)) for k in value if k not in pages]
    for item, entry in value.items():
        if type(entry) is not dict:
            problems.append(_("{item}: give a dict of fields.").format(item=item))
            continue
        if part == "changes" and scoring.norm(entry.get("change")) not in KINDS:
            problems.append(_("{item}: change must be one of {choices}.").format(item=item, choices=", ".join(KINDS)))
        if part == "window":
            for name in ("last_before", "first_after"):
                ref = entry.get(name)
                if ref and not (type(ref) is str and ref.strip().startswith("cap-")):
                    problems.append(_("{item}: {field} must be a capture id (cap-...) or blank.").format(
                        item=item, field=name))
    return problems[:6]


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if part == common.OPSEC:
        return {"answered"} if type(value) is dict and value.get("answers") else set()
    out = set()
    for item in exercise["pages"]:
        entry = _entry(value, item)
        if part == "changes" and entry.get("change"):
            out.add(f"{item}|{scoring.norm(entry.get('change'))}")
        if part == "window":
            out.add(f"{item}|{entry.get('last_before') or ''}|{entry.get('first_after') or ''}")
    return out


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == common.OPSEC:
        return {"answered": _("your answers, found without loud actions")}
    if part == "changes":
        return {f"{k}|{v['change']}": _("what changed on a page") for k, v in key["changes"].items()}
    return {f"{k}|{v['last_before']}|{v['first_after']}": _("the two captures around a change")
            for k, v in key["changes"].items()}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if part == common.OPSEC:
        return common.opsec_score(value, PARTS, score, exercise, key, case_dir)
    if type(value) is not dict:
        return 0.0
    total = 0.0
    for item, expected in key["changes"].items():
        entry = _entry(value, item)
        kind = expected["change"]
        if scoring.norm(entry.get("change")) != kind:
            continue
        if part == "changes":
            values = _same(kind, entry.get("before"), expected["before"], exercise["region"]) and \
                _same(kind, entry.get("after"), expected["after"], exercise["region"])
            total += 0.5 + 0.5 * values
        else:
            total += float((entry.get("last_before") or "") == expected["last_before"]
                           and (entry.get("first_after") or "") == expected["first_after"])
    return total / len(key["changes"])


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == common.OPSEC:
        return common.opsec_answer({p: reference(p, exercise, key) for p in PARTS if p != common.OPSEC})
    return {k: dict(v) for k, v in key["changes"].items()}


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    if part == common.OPSEC:
        return common.opsec_form()
    items = [{"id": k, "text": v["url"]} for k, v in exercise["pages"].items()]
    fields = [{"name": "change", "label": _("What changed"), "kind": "choice",
               "options": coded_options(exercise["kinds"])},
              {"name": "before", "label": _("Before"), "kind": "text"},
              {"name": "after", "label": _("After"), "kind": "text"},
              {"name": "last_before", "label": _("Last capture with the old text"), "kind": "text"},
              {"name": "first_after", "label": _("First capture with the new text (or the 404)"), "kind": "text"}]
    return {"kind": "records", "items": items, "fields": fields, "variable": "changes",
            "note": _("One table answers both parts: what changed, and between which captures.")}
