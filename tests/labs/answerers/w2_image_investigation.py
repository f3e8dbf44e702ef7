"""Answerers for w2-03 "Image investigation".

The careful reader reads each file's EXIF (UTC from the stated offset, else from the zone of the
GPS position), follows reverse image search from copy to copy, picks the file that keeps its
metadata as the original and the earliest page as the first appearance, and places each street
photo from its signs: a place name in the gazetteer, or a town (on a sign, or from a shop's
profile) together with the kind of place the signs show.
"""

from __future__ import annotations

import re
from typing import Any

from labs.w2.common import opsec_answer
from tests.labs.validity import TraineeView

LAB = "w2-03-image-investigation"
PARTS = ("exif", "copies", "original", "geolocate")
KINDS = {"airport": "airport", "railway": "railway_station", "bus": "bus_terminal", "border": "border_crossing",
         "market": "market", "square": "square", "mall": "mall", "ferry": "port"}


def _answer(**answers: Any) -> dict[str, Any]:
    return {**answers, "opsec": opsec_answer(answers)}


def nothing(view: TraineeView) -> dict[str, Any]:
    return {}


def no_metadata_anywhere(view: TraineeView) -> dict[str, Any]:
    """'Platforms strip everything': no metadata, no copies, the repost is its own original, the capital."""
    first = view.case.places[0]
    ex = view.exercise
    return _answer(exif={k: {"exif": "none", "utc": ""} for k in ex["photos"]}, copies=[],
                   original={"image": ex["repost"], "page": ""},
                   geolocate={k: {"lat": first.lat, "lon": first.lon} for k in ex["street"]})


def trust_everything(view: TraineeView) -> dict[str, Any]:
    """Every photo 'has GPS' and its local time is taken as UTC; every look-alike is a copy; the middle
    of all known places for every street photo."""
    sb, ex = view.sandbox, view.exercise
    exif = {}
    for item, spec in ex["photos"].items():
        when = sb.images.exif(spec["image_id"]).fields.get("datetime_original") or "2025:01:01 00:00:00"
        exif[item] = {"exif": "gps", "utc": when.replace(":", "-", 2).replace(" ", "T") + "Z"}
    loose = sb.images.reverse_search(ex["repost"], max_distance=20)
    lat = sum(p.lat for p in view.case.places) / len(view.case.places)
    lon = sum(p.lon for p in view.case.places) / len(view.case.places)
    biggest = max(loose.itertuples(), key=lambda r: r.width * r.height).image_id if len(loose) else ex["repost"]
    return _answer(exif=exif, copies=list(loose.image_id), original={"image": biggest, "page": ""},
                   geolocate={k: {"lat": lat, "lon": lon} for k in ex["street"]})


NO_SKILL = {"nothing": nothing, "no metadata anywhere": no_metadata_anywhere, "trust everything": trust_everything}


def _exif(sb: Any, image_id: str) -> dict[str, Any]:
    report = sb.images.exif(image_id)
    fields = report.fields
    if report.stripped or not fields.get("datetime_original"):
        return {"exif": "none", "utc": ""}
    has_gps = fields.get("gps_lat") is not None
    if fields.get("offset_time"):
        utc = sb.to_utc(f"{fields['datetime_original']} {fields['offset_time']}")
    elif has_gps:
        utc = sb.to_utc(fields["datetime_original"], sb.places.zone_at(fields["gps_lat"], fields["gps_lon"]))
    else:
        utc = ""
    return {"exif": "gps" if has_gps else "time", "utc": utc}


def _place(view: TraineeView, lines: list[str]) -> Any:
    places = view.case.places
    names = {p.name.casefold(): p for p in places}
    for line in lines:
        if line.casefold() in names:
            return names[line.casefold()]
    kind = next((k for line in lines for word, k in KINDS.items() if word in line.casefold()), None)
    city = None
    for line in lines:
        match = re.match(r"welcome to (.+)", line, re.IGNORECASE)
        if match:
            city = match.group(1).strip()
    if city is None:
        for line in lines:
            owners = [a for a in view.case.accounts if a.display_name == line and a.location]
            for hit in view.sandbox.search(f'"{line}"', per_page=50).hits:
                author = view.case.page_by_id[hit.page_id].author
                account = view.case.account_by_id.get(author or "")
                if account is not None and account.display_name == line and account.location:
                    owners.append(account)
            if owners:
                city = owners[0].location
                break
    matches = [p for p in places if (city is None or p.city == city) and (kind is None or p.kind == kind)]
    return matches[0] if len(matches) == 1 else (matches or places)[0]


def careful(view: TraineeView) -> dict[str, Any]:
    sb, ex = view.sandbox, view.exercise
    exif = {item: _exif(sb, spec["image_id"]) for item, spec in ex["photos"].items()}
    cluster, todo = {ex["repost"]}, [ex["repost"]]
    while todo:
        for image_id in sb.images.reverse_search(todo.pop()).image_id:
            if image_id not in cluster:
                cluster.add(image_id)
                todo.append(image_id)
    listing = sb.images.list().set_index("image_id")
    with_exif = [i for i in cluster if not sb.images.exif(i).stripped]
    original = max(with_exif or cluster, key=lambda i: listing.width[i] * listing.height[i])
    pages = [view.case.page_by_url[u] for i in cluster for u in listing.pages[i] if u in view.case.page_by_url]
    first = min(pages, key=lambda p: (p.published, p.page_id)).page_id if pages else ""
    geolocate = {}
    for item, spec in ex["street"].items():
        place = _place(view, sb.images.read_text(spec["image_id"]))
        geolocate[item] = {"lat": place.lat, "lon": place.lon}
    return _answer(exif=exif, copies=sorted(cluster - {ex["repost"]}), original={"image": original, "page": first},
                   geolocate=geolocate)


CAREFUL = careful
