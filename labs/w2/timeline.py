"""Lab w2-04 "Timeline": sixteen events of a victim's journey from posts, chat and SMS exports,
an e-ticket, photos and archive captures, each shown in its own time zone; the trainee gives
each in UTC with the zone used, and flags the event whose time cannot be right.

Times as sources show them: platforms and the archive in UTC; a chat or SMS export in the local
time of the phone that exported it (no zone is written: it follows from who exported it where);
an e-ticket in each airport's local time; a photo in its phone's clock, with an offset or only a
GPS position. The events are drawn so that no single zone covers more than six of sixteen:
converting everything with one zone cannot pass.

Parts:
- times: share of events whose UTC is right (within a minute) and whose zone is recorded;
- flag: the one event whose time contradicts the flight (a phone clock a day off);
- opsec: see labs.w2.common.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from labs import scoring
from labs.w2 import common
from osintlab.i18n import N_, _

PARTS = {"times": 7.0, "flag": 3.0, common.OPSEC: 2.0}
HINT_UNITS = {"times": N_("times"), "flag": N_("answers"), common.OPSEC: N_("parts")}
USES_SEARCH = False
EVENTS = 16
CAPS = {"utc": 5, "origin": 5, "dest": 6}  # events per zone group (16 in all)
TOLERANCE_S = 60
STAGES = ("recruitment", "payment", "departure", "arrival", "exploitation", "archive")


def _source(event: Any, case: Any) -> str:
    """Where a trainee finds the event's time (never the time itself)."""
    ref = event.source_ref
    if event.source_kind in ("post", "comment"):
        return _("the page {ref}").format(ref=ref) + f" (lab.page(\"{ref}\"))"
    if event.source_kind == "capture":
        return _("the archive capture {ref}").format(ref=ref) + f" (sb.archive.get(\"{ref}\"))"
    if event.source_kind == "photo":
        return _("the photo {ref}").format(ref=ref) + f" (sb.images.exif(\"{ref}\"))"
    export, line = ref.split(":")
    kind = case.export_by_id[export].kind
    where = (_("line {line} of the e-ticket {export}") if kind == "ticket"
             else _("line {line} of the {kind} export {export}")).format(line=line, kind=kind, export=export)
    return where + f" (sb.exports.read(\"{export}\"))"


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from labs.runtime import UnsuitableSeed

    key = common.world_key(case)
    events = key.events
    if len(events) < 18 or sum(e.contradicts for e in events) != 1:
        raise UnsuitableSeed(f"seed {seed}: the world has no full journey")
    origin_zone = case.manifest["timezones"][case.manifest["countries"]["origin"]]
    rng = random.Random(f"w2-04\x1f{seed}")

    def group(e: Any) -> str:
        return "utc" if e.zone == "UTC" else ("origin" if e.zone == origin_zone else "dest")

    must = [e for e in events if e.note in ("departure", "arrival") or e.contradicts]
    chosen = list(must)
    counts = {g: sum(group(e) == g for e in chosen) for g in CAPS}
    for e in rng.sample(events, len(events)):
        if e in chosen or counts[group(e)] >= CAPS[group(e)]:
            continue
        chosen.append(e)
        counts[group(e)] += 1
    if len(chosen) < EVENTS:
        raise UnsuitableSeed(f"seed {seed}: only {len(chosen)} events fit the zone caps")
    rng.shuffle(chosen)
    items, key_times, flagged = {}, {}, ""
    for n, e in enumerate(chosen[:EVENTS], 1):
        item = f"E{n}"
        items[item] = {"what": e.what, "stage": e.stage, "source": _source(e, case)}
        key_times[item] = {"utc": e.utc, "zone": e.zone, "shown": e.shown}
        if e.contradicts:
            flagged = item
    brief = _(
        "Build the timeline of one victim's journey. For each event E1-E16, open its source, read the time "
        "the source shows, and give it in UTC (YYYY-MM-DDTHH:MM:SSZ) with the time zone you used. Sources "
        "show time differently: platform pages and the archive in UTC; a chat or SMS export in the local time "
        "of the phone that exported it (no zone is written: who exported it, and where, tells you); an e-ticket "
        "in the local time of each airport; a photo in its phone's clock, with an offset or only a GPS position. "
        "Then flag the one event whose time cannot be right: every 'departure' event happens before the flight "
        "leaves, and every 'arrival' or 'exploitation' event after it lands."
    )
    public = {"title": _("Timeline"), "brief": brief, "events": items, "stages": list(STAGES)}
    return public, {"times": key_times, "flag": flagged}


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("EVENTS")]
    for k, v in exercise["events"].items():
        lines += [f"  {k}: [{v['stage']}] {v['what']}", "        " + _("source: {source}").format(source=v["source"])]
    lines += ["", _("TOOLS (sb = lab.sandbox)"),
              "  sb.exports.list()   sb.exports.lines(export_id)   sb.archive.get(capture_id)",
              "  sb.images.exif(image_id)   sb.to_utc(shown, zone)   sb.places.zone(\"MN\")",
              "  sb.places.zone_at(lat, lon)   sb.places.places(name)",
              "", common.opsec_render_line()]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _utc(value: Any) -> datetime | None:
    if type(value) is not str or not value.strip():
        return None
    text = value.strip().replace(" ", "T").removesuffix("Z")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is None else None


def _flag(value: Any) -> str:
    """The flagged event: a plain id, or the choice form's {"flag": id}."""
    if type(value) is dict:
        value = value.get("flag")
    return value.strip().upper() if type(value) is str else ""


def _entry(value: Any, item: str) -> dict[str, Any]:
    entry = value.get(item) if type(value) is dict else None
    return entry if type(entry) is dict else {}


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    if part == common.OPSEC:
        return common.opsec_problems(value)
    events = exercise["events"]
    if part == "flag":
        return [] if _flag(value) in events else [
            _("give one event id, like {example} (E1 to {last}).").format(example='"E3"', last=f"E{len(events)}")]
    if type(value) is not dict:
        return [_("give a dict like {example}.").format(
            example='{"E1": {"utc": "2025-03-04T13:40:12Z", "zone": "Asia/Ulaanbaatar"}, ...}')]
    problems = [_("{item} is not an event of this exercise.").format(item=repr(k)) for k in value if k not in events]
    for item, entry in value.items():
        if type(entry) is not dict:
            problems.append(_("{item}: give a dict with utc and zone.").format(item=item))
            continue
        if _utc(entry.get("utc")) is None:
            problems.append(_("{item}: write utc as YYYY-MM-DDTHH:MM:SSZ (in UTC, no offset).").format(item=item))
        if not str(entry.get("zone") or "").strip():
            problems.append(_("{item}: record the zone you used (for example Asia/Dhaka, +07:00 or UTC).").format(
                item=item))
    return problems[:6]


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if part == common.OPSEC:
        return {"answered"} if type(value) is dict and value.get("answers") else set()
    if part == "flag":
        return {_flag(value)} - {""}
    out = set()
    for item in exercise["events"]:
        moment = _utc(_entry(value, item).get("utc"))
        if moment is not None:
            out.add(f"{item}|{moment.isoformat()[:16]}")
    return out


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == common.OPSEC:
        return {"answered": _("your answers, found without loud actions")}
    if part == "flag":
        return {key["flag"]: _("the event whose time cannot be right")}
    return {f"{item}|{t['utc'][:16]}": (_("the UTC time of a source that shows UTC") if t["zone"] == "UTC"
                                        else _("the UTC time of a source that shows local time"))
            for item, t in key["times"].items()}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if part == common.OPSEC:
        return common.opsec_score(value, PARTS, score, exercise, key, case_dir)
    if part == "flag":
        return float(_flag(value) == key["flag"])
    right = 0
    for item, expected in key["times"].items():
        entry = _entry(value, item)
        given, want = _utc(entry.get("utc")), _utc(expected["utc"])
        if given is not None and want is not None and abs((given - want).total_seconds()) <= TOLERANCE_S \
                and scoring.norm(entry.get("zone")):
            right += 1
    return right / len(key["times"])


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == common.OPSEC:
        return common.opsec_answer({p: reference(p, exercise, key) for p in PARTS if p != common.OPSEC})
    if part == "flag":
        return key["flag"]
    return {item: {"utc": t["utc"], "zone": t["zone"]} for item, t in key["times"].items()}


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    if part == common.OPSEC:
        return common.opsec_form()
    items = [{"id": k, "text": f"[{v['stage']}] {v['what']} ({v['source']})"} for k, v in exercise["events"].items()]
    if part == "flag":
        return {"kind": "choice", "items": [{"id": "flag", "text": _("The event whose time cannot be right")}],
                "options": [{"value": i["id"], "label": f"{i['id']}: {i['text']}"} for i in items]}
    return {"kind": "records", "items": items,
            "fields": [{"name": "utc", "label": "UTC", "kind": "datetime"},
                       {"name": "zone", "label": _("Zone used"), "kind": "text"}]}
