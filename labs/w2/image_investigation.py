"""Lab w2-03 "Image investigation": which photos keep their metadata and when they were taken in
UTC; every copy of a reposted photo, its original file and its first appearance; and where
street photos were taken, from the signs they show.

Parts:
- exif: per photo, the metadata state (none / time / gps) and the capture time in UTC the file
  gives (its offset, or the zone of its GPS position; blank when it has no time or no zone);
  half a point each;
- copies: (right - wrong) / expected over the copies of the reposted photo (crops, mirror
  images, overlays, smaller copies, a copy of a copy); look-alike photos are wrong;
- original: the original file (not cropped, mirrored or edited, with its EXIF; an app's enlarged copy
  is bigger but not the original) and the page
  where the photo first appeared (the earliest page that shows any copy), half each;
- geolocate: per photo, great-circle distance bands as geolocation research scores them
  (street 1 km, city 25 km, region 200 km, country 750 km: 1, 0.6, 0.3, 0.1);
- opsec: see labs.w2.common.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from labs import scoring
from labs.items import coded_options
from labs.w2 import common
from osintlab.i18n import N_, NP_, _

PARTS = {"exif": 3.0, "copies": 2.0, "original": 2.0, "geolocate": 3.0, common.OPSEC: 2.0}
HINT_UNITS = {"exif": N_("answers"), "copies": N_("copies"), "original": N_("answers"), "geolocate": N_("photos"),
              common.OPSEC: N_("parts")}
USES_SEARCH = True
BANDS = ((1.0, 1.0), (25.0, 0.6), (200.0, 0.3), (750.0, 0.1))  # (km, share): Im2GPS/PlaNet radii
# Translators: what a photo's metadata still holds, picked in lab W2-03: your word, then the English code in
# brackets. "none": no metadata left; "time": only the time it was taken; "gps": time and place.
STATES = (NP_("answer option", "none"), NP_("answer option", "time"), NP_("answer option", "gps"))
UTC_TOLERANCE_S = 60


# ---------------------------------------------------------------- building


def _cluster(truths: dict[str, Any], original: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for t in truths.values():
        if t.source:
            children.setdefault(t.source, []).append(t.image_id)
    out, todo = set(), [original]
    while todo:
        current = todo.pop()
        if current not in out:
            out.add(current)
            todo += children.get(current, [])
    return out


def _shown_on(case: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for page in case.pages:
        for image_id in page.images:
            out.setdefault(image_id, []).append(page)
    return out


def _where(case: Any, image_id: str, shown: dict[str, list[Any]]) -> str:
    if image_id in shown:
        return _("posted at {url}").format(url=shown[image_id][0].url)
    for message in case.messages:
        if image_id in message.attachments:
            export = next((e for e in case.exports if f"<attached: {image_id}.jpg>" in case.read_export(e.export_id)),
                          None)
            return _("sent in a chat ({export})").format(export=export.export_id) if export else _("sent in a chat")
    account = next((a for a in case.accounts if a.avatar == image_id), None)
    return _("the profile photo of {url}").format(url=account.url) if account else _("in the case's images")


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from labs.runtime import UnsuitableSeed
    from sandbox.images import ImageTools

    key = common.world_key(case)
    truths = {t.image_id: t for t in key.images}
    rng = random.Random(f"w2-03\x1f{seed}")
    ImageTools(case).build_index()  # shipped with the case: the trainee's first reverse search is fast
    shown = _shown_on(case)
    chains = [t.image_id for t in truths.values() if t.source is None and t.exif != "stripped"
              and len(_cluster(truths, t.image_id)) >= 4]
    scenes = [t for t in truths.values() if t.scene_place and t.image_id in shown]
    photo_events = {e.source_ref: e for e in key.events if e.source_kind == "photo"}
    if not chains or len(scenes) < 3 or len(photo_events) < 3:
        raise UnsuitableSeed(f"seed {seed}: not enough photos for the image lab")
    original = chains[0]
    cluster = _cluster(truths, original)
    copies = [i for i in cluster if i != original and truths[i].transform in ("crop", "mirror", "overlay")]
    repost = rng.choice(sorted(copies or (cluster - {original})))
    pages = sorted((p for i in cluster for p in shown.get(i, [])), key=lambda p: (p.published, p.page_id))
    # photos for the metadata part: the journey's three, the original, and two without metadata
    stripped = [i for i in sorted(truths) if truths[i].exif == "stripped" and i in shown and i not in cluster]
    photo_ids = [*sorted(photo_events), original, *rng.sample(stripped, 2)]
    rng.shuffle(photo_ids)
    photos, exif = {}, {}
    for n, image_id in enumerate(photo_ids, 1):
        truth = truths[image_id]
        state = {"stripped": "none", "partial": "time", "full": "gps"}[truth.exif]
        utc = photo_events[image_id].utc if image_id in photo_events else (truth.taken or "")
        photos[f"P{n}"] = {"image_id": image_id, "where": _where(case, image_id, shown)}
        exif[f"P{n}"] = {"exif": state, "utc": utc if state != "none" else ""}
    places = {p.place_id: p for p in case.places}
    geo, spots = {}, {}
    for n, truth in enumerate(rng.sample(scenes, 3), 1):
        place = places[truth.scene_place]
        geo[f"G{n}"] = {"image_id": truth.image_id, "where": _where(case, truth.image_id, shown)}
        spots[f"G{n}"] = {"lat": place.lat, "lon": place.lon, "place": place.name, "clues": truth.clues}
    brief = _(
        "Recruiters reuse photos, and photos say where and when. (1) For each photo P: does the file keep "
        "metadata (none, time only, or time and GPS)? When was it taken, in UTC? Use the offset the file "
        "states; if it states none, the time zone of its GPS position; if neither, leave the time blank. "
        "(2) The office photo {repost} was posted by the recruiter. Find every copy of it in the case "
        "(crops, mirror images, overlays, smaller copies, copies of copies), but not photos that only look "
        "alike. (3) Which file is the original (not cropped, mirrored or edited, and still carrying its "
        "metadata: a bigger copy may only be an enlargement), and on which page did the photo first appear? "
        "(4) Where were the street photos G taken? Read every "
        "sign; a town, a shop or a place name can lead you to the gazetteer. Give latitude and longitude. "
        "Work passively."
    ).format(repost=repost)
    public = {"title": _("Image investigation"), "brief": brief, "photos": photos, "repost": repost,
              "repost_where": _where(case, repost, shown), "street": geo}
    return public, {"exif": exif, "copies": sorted(cluster - {repost}), "original": original,
                    "first_page": pages[0].page_id, "geolocate": spots}


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("PHOTOS (metadata)")]
    lines += [f"  {k}: {v['image_id']}  {v['where']}" for k, v in exercise["photos"].items()]
    lines += ["", _("REPOSTED PHOTO: {image}").format(image=exercise["repost"]) + f"  {exercise['repost_where']}", "",
              _("STREET PHOTOS")]
    lines += [f"  {k}: {v['image_id']}  {v['where']}" for k, v in exercise["street"].items()]
    lines += ["", _("TOOLS (sb = lab.sandbox)"),
              "  sb.images.exif(image_id)   sb.images.reverse_search(image_id)   sb.images.read_text(image_id)",
              "  sb.places.places(text, city=..., kind=...)   sb.places.zone_at(lat, lon)   sb.to_utc(shown, zone)",
              "  sb.widgets.image()   lab.search('\"a shop name\"')   sb.footprint.profile(url)",
              "", common.opsec_render_line()]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _ids(value: Any) -> list[str]:
    """Image ids from a list, or from one text with commas or spaces (what the form writes)."""
    if type(value) is str:
        value = value.replace(",", " ").split()
    return [v.strip() for v in value if type(v) is str and v.strip()] if type(value) is list else []


def _utc(value: Any) -> datetime | None:
    if type(value) is not str or not value.strip():
        return None
    text = value.strip().replace(" ", "T").removesuffix("Z")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=None) if moment.tzinfo is None else None


def _number(value: Any) -> float | None:
    if type(value) in (int, float) and type(value) is not bool:
        return float(value)
    if type(value) is str:
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def distance_share(lat: Any, lon: Any, spot: dict[str, Any]) -> float:
    """The share a guess earns by its great-circle distance from the true place (bands in BANDS)."""
    from sandbox.geo import haversine_km

    a, b = _number(lat), _number(lon)
    if a is None or b is None or not (-90 <= a <= 90 and -180 <= b <= 180):
        return 0.0
    km = haversine_km(a, b, spot["lat"], spot["lon"])
    return next((share for limit, share in BANDS if km <= limit), 0.0)


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    if part == common.OPSEC:
        return common.opsec_problems(value)
    if part == "copies":
        if type(value) not in (list, str) or not _ids(value):
            return [_("give a list of image ids, like {example}.").format(example='["img-1a2b3c4d5e", "img-..."]')]
        return [_("{value} is not an image id (they start with img-).").format(value=repr(v)) for v in _ids(value)
                if not v.startswith("img-")][:5]
    if part == "original":
        if type(value) is not dict or not {"image", "page"} <= set(value):
            return [_("give a dict like {example}.").format(example='{"image": "img-...", "page": "pg-..."}')]
        return []
    items = exercise["photos"] if part == "exif" else exercise["street"]
    if type(value) is not dict:
        return [_("give a dict like {example}.").format(example='{"' + next(iter(items)) + '": {...}}')]
    problems = [_("{item} is not a photo of this exercise.").format(item=repr(k)) for k in value if k not in items]
    for item, entry in value.items():
        if type(entry) is not dict:
            problems.append(_("{item}: give a dict of fields.").format(item=item))
        elif part == "exif":
            if scoring.norm(entry.get("exif")) not in STATES:
                problems.append(_("{item}: exif must be one of {choices}.").format(
                    item=item, choices=", ".join(STATES)))
            if entry.get("utc") and _utc(entry.get("utc")) is None:
                problems.append(_("{item}: write the time in UTC as YYYY-MM-DDTHH:MM:SSZ, or leave it blank.").format(
                    item=item))
        elif _number(entry.get("lat")) is None or _number(entry.get("lon")) is None:
            problems.append(_("{item}: give lat and lon as decimal degrees (numbers).").format(item=item))
    return problems[:6]


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if part == common.OPSEC:
        return {"answered"} if type(value) is dict and value.get("answers") else set()
    if part == "copies":
        return set(_ids(value))
    if part == "original":
        return {f"{k}|{value.get(k)}" for k in ("image", "page")} if type(value) is dict else set()
    if type(value) is not dict:
        return set()
    if part == "exif":
        out = set()
        for item, entry in value.items():
            if type(entry) is dict:
                out.add(f"{item}|exif|{scoring.norm(entry.get('exif'))}")
                moment = _utc(entry.get("utc"))
                out.add(f"{item}|utc|{moment.isoformat()[:16] if moment else ''}")
        return out
    return {f"{item}|{round(_number(e.get('lat')) or 0, 1)}|{round(_number(e.get('lon')) or 0, 1)}"
            for item, e in value.items() if type(e) is dict}


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == common.OPSEC:
        return {"answered": _("your answers, found without loud actions")}
    if part == "copies":
        return {i: _("a copy of the reposted photo") for i in key["copies"]}
    if part == "original":
        return {f"image|{key['original']}": _("the original file"), f"page|{key['first_page']}": _("the first page")}
    if part == "exif":
        out = {}
        for item, e in key["exif"].items():
            out[f"{item}|exif|{e['exif']}"] = _("the metadata state of a photo")
            out[f"{item}|utc|{e['utc'][:16] if e['utc'] else ''}"] = _("the UTC time of a photo (blank when unknown)")
        return out
    return {f"{item}|{round(s['lat'], 1)}|{round(s['lon'], 1)}": _("where a street photo was taken")
            for item, s in key["geolocate"].items()}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if part == common.OPSEC:
        return common.opsec_score(value, PARTS, score, exercise, key, case_dir)
    if part == "copies":
        given = set(_ids(value)) - {exercise["repost"]}
        expected = set(key["copies"])
        right = len(given & expected)
        return max(0.0, (right - (len(given) - right)) / len(expected))
    if type(value) is not dict:
        return 0.0
    if part == "original":
        return 0.5 * (value.get("image") == key["original"]) + 0.5 * (value.get("page") == key["first_page"])
    if part == "geolocate":
        shares = []
        for item, spot in key["geolocate"].items():
            entry = value.get(item)
            shares.append(distance_share(entry.get("lat"), entry.get("lon"), spot) if type(entry) is dict else 0.0)
        return sum(shares) / len(shares)
    total = 0.0
    for item, expected in key["exif"].items():
        entry = value.get(item)
        if type(entry) is not dict:
            continue
        total += 0.5 * (scoring.norm(entry.get("exif")) == expected["exif"])
        given, want = _utc(entry.get("utc")), _utc(expected["utc"])
        if want is None:
            total += 0.5 * (not entry.get("utc"))
        elif given is not None and abs((given - want).total_seconds()) <= UTC_TOLERANCE_S:
            total += 0.5
    return total / len(key["exif"])


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == common.OPSEC:
        return common.opsec_answer({p: reference(p, exercise, key) for p in PARTS if p != common.OPSEC})
    if part == "exif":
        return {k: dict(v) for k, v in key["exif"].items()}
    if part == "copies":
        return list(key["copies"])
    if part == "original":
        return {"image": key["original"], "page": key["first_page"]}
    return {k: {"lat": v["lat"], "lon": v["lon"]} for k, v in key["geolocate"].items()}


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    if part == common.OPSEC:
        return common.opsec_form()
    if part == "exif":
        return {"kind": "records", "items": [{"id": k, "text": f"{v['image_id']} ({v['where']})"}
                                             for k, v in exercise["photos"].items()],
                "fields": [{"name": "exif", "label": _("Metadata"), "kind": "choice",
                            "options": coded_options(STATES)},
                           {"name": "utc", "label": _("Taken (UTC)"), "kind": "datetime"}]}
    if part == "copies":
        return {"kind": "text", "placeholder": "img-..., img-...", "multiline": True,
                "note": _("image ids of every copy of the reposted photo")}
    if part == "original":
        return {"kind": "record", "fields": [{"name": "image", "label": _("Original file (img-...)"), "kind": "text"},
                                             {"name": "page", "label": _("First page (pg-...)"), "kind": "text"}]}
    return {"kind": "records", "items": [{"id": k, "text": v["image_id"]} for k, v in exercise["street"].items()],
            "fields": [{"name": "lat", "label": _("Latitude"), "kind": "number"},
                       {"name": "lon", "label": _("Longitude"), "kind": "number"}]}
