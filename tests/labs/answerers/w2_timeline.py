"""Answerers for w2-04 "Timeline".

The careful reader opens every source, reads the time as shown, and converts it with the zone the
source implies: UTC for platform pages and archive captures; the exporting phone's country for a
chat or SMS export (from who provided it, where); the airport's country for the e-ticket; the
stated offset of a photo, else the zone of its GPS position. It flags the event that falls on the
wrong side of the flight.
"""

from __future__ import annotations

import re
from typing import Any

from labs.w2.common import opsec_answer
from synthetic_data.country import load_country
from tests.labs.validity import TraineeView

LAB = "w2-04-timeline"


def _answer(times: Any, flag: Any) -> dict[str, Any]:
    return {"times": times, "flag": flag, "opsec": opsec_answer({"times": times, "flag": flag})}


def _shown(view: TraineeView, source: str) -> tuple[str, str | None, Any]:
    """(the time as the source shows it, the zone it states or implies, extra) for one event source."""
    sb = view.sandbox
    ref = re.search(r"(pg|cap|img|ex)-[0-9a-f]{10}", source).group()
    if ref.startswith("pg-"):
        return view.case.page_by_id[ref].published, "UTC", None
    if ref.startswith("cap-"):
        return sb.archive.get(ref).captured, "UTC", None
    if ref.startswith("img-"):
        fields = sb.images.exif(ref).fields
        if fields.get("offset_time"):
            return f"{fields['datetime_original']} {fields['offset_time']}", None, None
        return fields["datetime_original"], sb.places.zone_at(fields["gps_lat"], fields["gps_lon"]), None
    line = int(re.search(r"line (\d+)", source).group(1))
    export = sb.exports.read(ref)
    text = export.text.splitlines()[line - 1]
    codes = list(dict.fromkeys(view.case.manifest["countries"].values()))
    names = {load_country(c).name: c for c in codes}
    if "Departure:" in text or "Arrival:" in text:
        airport = re.match(r"\w+: (.+) \(", text).group(1)
        country = view.case.places[[p.name for p in view.case.places].index(airport)].country
        return re.search(r"\d{2} \w{3} \d{4} \d{2}:\d{2}$", text).group(), sb.places.zone(country), None
    shown = sb.exports.lines(ref).set_index("line").shown[line]
    country = next(code for name, code in names.items() if f"({name})" in export.provided_by)
    return shown, sb.places.zone(country), None


def nothing(view: TraineeView) -> dict[str, Any]:
    return {}


def shown_as_utc(view: TraineeView) -> dict[str, Any]:
    """Every time taken as if it were UTC already; the first photo flagged."""
    times = {}
    for item, event in view.exercise["events"].items():
        shown, _zone, _ = _shown(view, event["source"])
        try:
            times[item] = {"utc": view.sandbox.to_utc(shown.split(" +")[0], "UTC"), "zone": "UTC"}
        except Exception:
            times[item] = {"utc": "", "zone": "UTC"}
    photo = next((k for k, e in view.exercise["events"].items() if "photo" in e["source"]), "E1")
    return _answer(times, photo)


def home_zone_everywhere(view: TraineeView) -> dict[str, Any]:
    """Every time converted with the home country's zone; the last event flagged."""
    origin = view.case.manifest["countries"]["origin"]
    zone = view.sandbox.places.zone(origin)
    times = {}
    for item, event in view.exercise["events"].items():
        shown, _zone, _ = _shown(view, event["source"])
        times[item] = {"utc": view.sandbox.to_utc(shown.split(" +")[0].removesuffix("Z"), zone), "zone": zone}
    return _answer(times, f"E{len(view.exercise['events'])}")


NO_SKILL = {"nothing": nothing, "shown as UTC": shown_as_utc, "home zone everywhere": home_zone_everywhere}


def careful(view: TraineeView) -> dict[str, Any]:
    times = {}
    for item, event in view.exercise["events"].items():
        shown, zone, _ = _shown(view, event["source"])
        times[item] = {"utc": view.sandbox.to_utc(shown, zone), "zone": zone or "stated offset"}
    events = view.exercise["events"]
    departure = next(times[k]["utc"] for k, e in events.items() if e["what"] == "The flight leaves")
    arrival = next(times[k]["utc"] for k, e in events.items() if e["what"] == "The flight lands")
    flag = ""
    for item, event in events.items():
        if (event["stage"] == "departure" and times[item]["utc"] > departure) or (
                event["stage"] in ("arrival", "exploitation") and times[item]["utc"] < arrival):
            flag = item
    return _answer(times, flag)


CAREFUL = careful
