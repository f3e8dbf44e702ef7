"""Generated photos, posters and document images, with EXIF, and their reposts.

Images are drawn (never photographs of people). GPS tags point only at public places.
Reposts are the same picture recompressed, cropped, mirrored or overlaid, with metadata
stripped as platforms do; the key records which image reposts which.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont, ImageOps

from synthetic_data.country import CountryPack, PublicPlace
from synthetic_data.generator.context import Gen, iso
from synthetic_data.model import Account, Image, ImageTruth, Page, Person

W, H = 320, 240
TRANSFORMS = ("recompress", "crop", "mirror", "overlay")


def _colour(g: Gen, lo: int = 30, hi: int = 230) -> tuple[int, int, int]:
    return (g.rng.randint(lo, hi), g.rng.randint(lo, hi), g.rng.randint(lo, hi))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _draw_place(g: Gen, draw: ImageDraw.ImageDraw) -> None:
    horizon = g.rng.randint(90, 150)
    draw.rectangle((0, 0, W, horizon), fill=_colour(g, 120, 230))
    draw.rectangle((0, horizon, W, H), fill=_colour(g, 40, 140))
    for _ in range(g.rng.randint(3, 8)):
        x, w, h = g.rng.randint(-20, W), g.rng.randint(20, 90), g.rng.randint(20, 110)
        draw.rectangle((x, horizon - h, x + w, horizon + 10), fill=_colour(g, 40, 200))
        for wy in range(horizon - h + 6, horizon, 14):
            draw.rectangle((x + 5, wy, x + 12, wy + 6), fill=_colour(g, 180, 255))
    r = g.rng.randint(10, 24)
    cx, cy = g.rng.randint(r, W - r), g.rng.randint(r, horizon - r)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(250, 230, 120))


def _draw_office(g: Gen, draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 0, W, H), fill=_colour(g, 150, 230))
    draw.rectangle((0, 150, W, H), fill=_colour(g, 60, 120))
    for _ in range(g.rng.randint(2, 4)):
        x = g.rng.randint(10, W - 80)
        draw.rectangle((x, 50, x + 60, 110), fill=(200, 230, 250), outline=(80, 80, 80))
    for row in range(g.rng.randint(1, 3)):
        for col in range(g.rng.randint(3, 6)):
            x, y = 10 + col * 52, 140 + row * 30
            draw.rectangle((x, y, x + 40, y + 8), fill=_colour(g, 90, 160))
            draw.rectangle((x + 10, y - 18, x + 30, y - 2), fill=(30, 30, 40))


def _draw_poster(g: Gen, draw: ImageDraw.ImageDraw, lines: list[str]) -> None:
    draw.rectangle((0, 0, W, H), fill=_colour(g, 20, 120))
    band = g.rng.randint(20, 60)
    draw.rectangle((0, band, W, band + 56), fill=_colour(g, 180, 255))
    draw.text((14, band + 10), lines[0], fill=(20, 20, 20), font=_font(30))
    y = band + 76
    for line in lines[1:]:
        draw.text((14, y), line, fill=(250, 250, 250), font=_font(18))
        y += 28
    for _ in range(g.rng.randint(2, 6)):
        r = g.rng.randint(6, 20)
        x, yy = g.rng.randint(0, W), g.rng.randint(0, H)
        draw.ellipse((x - r, yy - r, x + r, yy + r), outline=_colour(g), width=3)


def _draw_document(g: Gen, draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 0, W, H), fill=_colour(g, 60, 110))
    draw.rounded_rectangle((20, 30, W - 20, H - 30), radius=12, fill=_colour(g, 200, 245))
    draw.rectangle((36, 56, 116, 156), fill=_colour(g, 150, 190))
    for i in range(6):
        draw.rectangle((132, 60 + i * 18, 132 + g.rng.randint(60, 150), 68 + i * 18), fill=(90, 90, 110))
    draw.text((60, 168), "SPECIMEN - NOT VALID", fill=(200, 30, 30), font=_font(20))


def _exif(g: Gen, pack: CountryPack, place: PublicPlace | None, moment: datetime, stripped: bool) -> tuple[bytes, str]:
    if stripped:
        return b"", "stripped"
    device = g.pick(g.content["platforms"]["services"]["devices"])
    local = moment.astimezone(ZoneInfo(pack.timezone))
    exif = PILImage.Exif()
    exif[0x010F], exif[0x0110], exif[0x0131] = device["make"], device["model"], "Camera 4.2"
    exif[0x0132] = local.strftime("%Y:%m:%d %H:%M:%S")
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = local.strftime("%Y:%m:%d %H:%M:%S")
    offset = local.strftime("%z")
    sub[0x9011] = f"{offset[:3]}:{offset[3:]}"
    if place is None:
        return exif.tobytes(), "partial"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = ("N" if place.lat >= 0 else "S"), _dms(place.lat)
    gps[3], gps[4] = ("E" if place.lon >= 0 else "W"), _dms(place.lon)
    return exif.tobytes(), "full"


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 2)
    return (float(degrees), float(minutes), seconds)


def _encode(img: PILImage.Image, quality: int, exif: bytes = b"") -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality, exif=exif) if exif else img.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _store(g: Gen, data: bytes, size: tuple[int, int], truth: ImageTruth) -> str:
    image_id = truth.image_id
    g.case.images.append(Image(image_id=image_id, file=f"images/{image_id}.jpg", width=size[0], height=size[1]))
    g.case.image_bytes[image_id] = data
    g.key.images.append(truth)
    g.pixels[image_id] = None
    return image_id


def make_image(
    g: Gen,
    kind: str,
    person: Person | None,
    account: Account | None,
    *,
    reposts: bool = True,
    posted: datetime | None = None,
    job: str | None = None,
    at_home: bool = False,
) -> str:
    """Draw one picture of `kind`, store it, and maybe repost it; return the original's id.

    `posted`: when the page showing it was published (the photo is taken before that); `job`:
    the job a poster advertises; `at_home`: the person has not left the origin country yet."""
    img = PILImage.new("RGB", (W, H))
    draw = ImageDraw.Draw(img)
    pack = g.dest if person is not None and person.country == g.dest.code else g.origin
    place = None
    if kind == "poster":
        _draw_poster(
            g,
            draw,
            [
                "WE ARE HIRING",
                (job or g.pick(g.scenario.data["jobs"]))[:24],
                f"Work in {g.dest.name}",
                f"{g.platforms['messenger'].name}: @{_handle(g, person)}",
            ],
        )
    elif kind == "office":
        _draw_office(g, draw)
    elif kind == "document":
        _draw_document(g, draw)
    else:
        _draw_place(g, draw)
        abroad = g.chance(0.5) and kind == "place" and person and "victim" in person.roles
        pack = g.dest if abroad and not at_home else pack
        place = g.pick(pack.places)
    moment = g.moment(posted - timedelta(days=30), posted) if posted is not None else g.moment()
    designed = kind in ("poster", "document")
    stripped = designed or g.chance(0.35)
    exif, exif_state = _exif(g, pack, place if g.chance(0.8) else None, moment, stripped)
    truth = ImageTruth(
        image_id=g.new_id("img"),
        exif=exif_state,
        taken=iso(moment),
        place_id=g.place_ids.get((pack.code, place.name)) if place and exif_state == "full" else None,
        device=None if stripped else "camera",
    )
    image_id = _store(g, _encode(img, 88, exif), img.size, truth)
    g.pixels[image_id] = img
    if reposts and g.chance(0.5):
        for _ in range(g.rng.randint(1, 2)):
            repost(g, image_id, person)
    return image_id


def _handle(g: Gen, person: Person | None) -> str:
    return g.messenger_handle.get(person.person_id, "jobs") if person else "jobs"


def repost(g: Gen, source_id: str, person: Person | None) -> str:
    """A copy of an image as another account would post it: transformed, metadata gone."""
    img: PILImage.Image = g.pixels[source_id]
    transform = g.pick(TRANSFORMS)
    if transform == "recompress":
        out = img.resize((int(W * 0.8), int(H * 0.8)))
        quality = 55
    elif transform == "crop":
        dx, dy = int(W * g.rng.uniform(0.04, 0.08)), int(H * g.rng.uniform(0.04, 0.08))
        out, quality = img.crop((dx, dy, W - dx, H - dy)), 80
    elif transform == "mirror":
        out, quality = ImageOps.mirror(img), 80
    else:
        out = img.copy()
        ImageDraw.Draw(out).rectangle((0, H - 34, W, H), fill=(0, 0, 0))
        ImageDraw.Draw(out).text(
            (10, H - 28), g.pick(["SHARE!", "Good jobs", "Call now", "Repost"]), fill=(255, 255, 0), font=_font(18)
        )
        quality = 75
    truth = ImageTruth(image_id=g.new_id("img"), source=source_id, transform=transform, exif="stripped")
    image_id = _store(g, _encode(out, quality), out.size, truth)
    g.pending_reposts.append((image_id, source_id, person))
    return image_id


def attach_background_photos(g: Gen, posts: list[Page]) -> None:
    """Fill the world up to its image budget with everyday photos on bystanders' posts."""
    for page in g.rng.sample(posts, len(posts)):
        if len(g.case.images) >= g.size.images:
            break
        posted = datetime.fromisoformat(page.published.replace("Z", "+00:00"))
        page.images.append(make_image(g, "place", None, None, reposts=False, posted=posted))
    g.pixels.clear()
