"""Pictures for footprint work: profile photos, street scenes with signs to geolocate, a photo
reposted across accounts, and the EXIF a phone writes (with or without a UTC offset).

Everything is drawn (never a photograph, never a person). GPS tags and the places a scene
shows are public places of the country packs. The text painted on signs is also written to
case/image_text.jsonl: what an OCR or lens tool would read from the picture.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont, ImageOps

from synthetic_data.generator.context import iso
from synthetic_data.generator.steprng import Step
from synthetic_data.model import Image, ImageText, ImageTruth, Place

W, H = 320, 240
Colour = tuple[int, int, int]
# The word a sign or a vehicle shows for each kind of public place (what tells a reader the kind).
KIND_WORDS = {
    "airport": "AIRPORT", "railway_station": "RAILWAY STATION", "bus_terminal": "BUS TERMINAL",
    "border_crossing": "BORDER CHECKPOINT", "market": "MARKET", "square": "CITY SQUARE", "mall": "SHOPPING MALL",
    "port": "FERRY TERMINAL",
}


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def colour(step: Step, lo: int = 30, hi: int = 230) -> Colour:
    r = step.rng.randint
    return (r(lo, hi), r(lo, hi), r(lo, hi))


# ------------------------------------------------------------------ storing


def encode(img: PILImage.Image, quality: int, exif: bytes = b"") -> bytes:
    out = io.BytesIO()
    if exif:
        img.save(out, format="JPEG", quality=quality, exif=exif)
    else:
        img.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def store(step: Step, img: PILImage.Image, truth: ImageTruth, *, quality: int = 88, exif: bytes = b"",
          text: list[str] | None = None) -> str:
    """Add a picture to the world (case image + key truth, and its painted text if any)."""
    g = step.g
    g.case.images.append(Image(truth.image_id, f"images/{truth.image_id}.jpg", img.width, img.height))
    g.case.image_bytes[truth.image_id] = encode(img, quality, exif)
    g.key.images.append(truth)
    if text:
        g.case.image_text.append(ImageText(truth.image_id, list(text)))
    return truth.image_id


# ------------------------------------------------------------------ EXIF


@dataclass(frozen=True)
class Shot:
    """When and where a phone took a picture, and how much of it the file keeps."""

    moment: datetime  # UTC
    zone: str  # the phone clock's zone (IANA)
    place: Place | None  # GPS position written, if any
    offset: bool = True  # write OffsetTimeOriginal (EXIF 2.31); older phones do not
    device: tuple[str, str] = ("Orion Mobile", "OM-7 Pro")


def exif_bytes(shot: Shot) -> bytes:
    """EXIF as a phone writes it: make, model, local times, offset (optional), GPS (optional)."""
    local = shot.moment.astimezone(ZoneInfo(shot.zone))
    exif = PILImage.Exif()
    exif[0x010F], exif[0x0110], exif[0x0131] = shot.device[0], shot.device[1], "Camera 4.2"
    exif[0x0132] = local.strftime("%Y:%m:%d %H:%M:%S")
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = local.strftime("%Y:%m:%d %H:%M:%S")
    if shot.offset:
        offset = local.strftime("%z")
        sub[0x9011] = f"{offset[:3]}:{offset[3:]}"
    if shot.place is not None:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = ("N" if shot.place.lat >= 0 else "S"), _dms(shot.place.lat)
        gps[3], gps[4] = ("E" if shot.place.lon >= 0 else "W"), _dms(shot.place.lon)
    return exif.tobytes()


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 2)
    return (float(degrees), float(minutes), seconds)


def exif_state(shot: Shot | None) -> str:
    if shot is None:
        return "stripped"
    return "full" if shot.place is not None else "partial"


# ------------------------------------------------------------------ drawing


def avatar(step: Step, style: str) -> PILImage.Image:
    """A square profile picture: a travel-agency style logo, or an everyday object."""
    size = 240
    img = PILImage.new("RGB", (size, size), colour(step, 40, 200))
    d = ImageDraw.Draw(img)
    r = step.rng.randint
    if style == "logo":
        d.ellipse((30, 30, 210, 210), fill=colour(step, 150, 250), outline=colour(step, 0, 90), width=6)
        for lat in range(3):
            y = 70 + lat * 50
            d.arc((40, y - 30, 200, y + 30), 0, 180, fill=colour(step, 0, 120), width=3)
        wing = r(0, 30)
        d.polygon([(60, 140 - wing), (190, 90), (200, 100), (80, 150 - wing)], fill=colour(step, 240, 255))
        d.polygon([(120, 118), (150, 60), (160, 66), (140, 118)], fill=colour(step, 200, 255))
        d.rectangle((0, 214, size, size), fill=colour(step, 0, 80))
    else:
        sky = colour(step, 120, 240)
        d.rectangle((0, 0, size, 150), fill=sky)
        d.rectangle((0, 150, size, size), fill=colour(step, 40, 160))
        if style == "mountain":
            for _ in range(r(2, 4)):
                x, h = r(-40, 200), r(60, 130)
                d.polygon([(x, 150), (x + 70, 150 - h), (x + 140, 150)], fill=colour(step, 60, 180))
        elif style == "flower":
            cx, cy = r(80, 160), r(70, 130)
            for k in range(6):
                a = k * math.pi / 3
                d.ellipse((cx + 35 * math.cos(a) - 22, cy + 35 * math.sin(a) - 22,
                           cx + 35 * math.cos(a) + 22, cy + 35 * math.sin(a) + 22), fill=colour(step, 180, 255))
            d.ellipse((cx - 18, cy - 18, cx + 18, cy + 18), fill=(240, 200, 40))
            d.rectangle((cx - 3, cy + 20, cx + 3, 230), fill=(40, 140, 60))
        elif style == "ball":
            cx, cy, rad = r(70, 170), r(100, 160), r(35, 60)
            d.ellipse((cx - rad, cy - rad, cx + rad, cy + rad), fill=(245, 245, 245), outline=(20, 20, 20), width=4)
            d.polygon([(cx, cy - 15), (cx + 14, cy - 4), (cx + 9, cy + 13), (cx - 9, cy + 13), (cx - 14, cy - 4)],
                      fill=(20, 20, 20))
        else:  # a cup on a table
            d.rectangle((0, 160, size, size), fill=colour(step, 90, 160))
            x = r(60, 120)
            d.rectangle((x, 90, x + 70, 170), fill=colour(step, 180, 255), outline=(40, 40, 40), width=3)
            d.arc((x + 55, 105, x + 95, 150), 270, 90, fill=(40, 40, 40), width=6)
    return img


def _landmark(step: Step, d: ImageDraw.ImageDraw, kind: str, horizon: int) -> None:
    r = step.rng.randint
    if kind == "airport":
        d.rectangle((230, horizon - 120, 250, horizon), fill=colour(step, 150, 200))
        d.rectangle((215, horizon - 140, 265, horizon - 115), fill=(60, 120, 170))
        d.polygon([(20, horizon - 60), (140, horizon - 80), (150, horizon - 70), (30, horizon - 50)],
                  fill=(235, 235, 240))
    elif kind in ("bus_terminal", "railway_station"):
        x = r(10, 60)
        d.rectangle((x, horizon - 45, x + 150, horizon + 5), fill=colour(step, 160, 240))
        for k in range(6):
            d.rectangle((x + 8 + k * 23, horizon - 38, x + 24 + k * 23, horizon - 22), fill=(190, 220, 250))
        if kind == "railway_station":
            d.line((0, horizon + 14, W, horizon + 14), fill=(70, 70, 70), width=4)
        else:
            d.ellipse((x + 18, horizon - 2, x + 38, horizon + 18), fill=(20, 20, 20))
            d.ellipse((x + 112, horizon - 2, x + 132, horizon + 18), fill=(20, 20, 20))
    elif kind == "border_crossing":
        d.rectangle((40, horizon - 90, 52, horizon + 10), fill=(200, 200, 200))
        d.rectangle((52, horizon - 40, 230, horizon - 30), fill=(220, 40, 40))
        d.rectangle((250, horizon - 110, 300, horizon), fill=colour(step, 120, 200))
    elif kind in ("market", "mall", "square", "port"):
        for k in range(r(3, 5)):
            x = 10 + k * 62
            d.polygon([(x, horizon - 40), (x + 27, horizon - 60), (x + 54, horizon - 40)], fill=colour(step, 150, 250))
            d.rectangle((x + 4, horizon - 40, x + 50, horizon), fill=colour(step, 90, 200))
        if kind == "port":
            d.rectangle((0, horizon + 20, W, H), fill=(50, 110, 170))


def scene(step: Step, kind: str, signs: list[str]) -> PILImage.Image:
    """A street view of a public place of `kind`, with its signs painted in."""
    img = PILImage.new("RGB", (W, H))
    d = ImageDraw.Draw(img)
    horizon = step.rng.randint(120, 150)
    d.rectangle((0, 0, W, horizon), fill=colour(step, 120, 230))
    d.rectangle((0, horizon, W, H), fill=colour(step, 50, 140))
    for _ in range(step.rng.randint(2, 5)):
        x, w, h = step.rng.randint(-20, W), step.rng.randint(20, 70), step.rng.randint(20, 70)
        d.rectangle((x, horizon - h, x + w, horizon), fill=colour(step, 60, 180))
    _landmark(step, d, kind, horizon)
    y = 8
    for text in signs:
        width = 14 + int(d.textlength(text, font=_font(15)))
        x = step.rng.randint(4, max(5, W - width - 4))
        d.rectangle((x, y, x + width, y + 22), fill=colour(step, 200, 255), outline=(30, 30, 30), width=2)
        d.text((x + 6, y + 3), text, fill=(10, 10, 10), font=_font(15))
        y += 28
    return img


def interior(step: Step) -> PILImage.Image:
    """An office, dormitory or hotel room as recruiters post them ("our office in ...").

    The layout (floor line, light, windows, door, furniture) is drawn at random so that two rooms
    differ in their overall light and shape, as two real photos do: perceptual hashes compare
    exactly that, so look-alike rooms must not pass for copies."""
    r = step.rng.randint
    img = PILImage.new("RGB", (W, H), colour(step, 120, 240))
    d = ImageDraw.Draw(img)
    floor = r(100, 190)
    d.rectangle((0, floor, W, H), fill=colour(step, 30, 130))
    light_x = r(0, W)  # a bright patch where the window light falls
    d.polygon([(light_x, floor), (light_x + r(40, 140), floor), (light_x + r(80, 200), H), (light_x - r(0, 60), H)],
              fill=colour(step, 190, 255))
    for _ in range(r(1, 4)):
        x, y, w, h = r(0, W - 40), r(10, max(11, floor - 60)), r(30, 110), r(25, 70)
        d.rectangle((x, y, x + w, y + h), fill=colour(step, 170, 250), outline=colour(step, 20, 90), width=3)
    door = r(0, W - 50)
    d.rectangle((door, floor - r(70, 100), door + r(35, 55), floor), fill=colour(step, 40, 160))
    for _ in range(r(1, 3)):
        y = r(floor + 5, H - 20)
        for _ in range(r(2, 6)):
            x = r(0, W - 50)
            d.rectangle((x, y, x + r(30, 60), y + r(6, 14)), fill=colour(step, 60, 200))
            d.rectangle((x + 8, y - 18, x + 28, y - 2), fill=colour(step, 0, 60))
    if step.chance(0.6):
        cx, cy = r(20, W - 20), r(floor - 40, floor)
        d.ellipse((cx - r(15, 35), cy - r(30, 60), cx + r(15, 35), cy), fill=colour(step, 20, 120))
    return img


# ------------------------------------------------------------------ copies


def transformed(step: Step, img: PILImage.Image, transform: str) -> tuple[PILImage.Image, int]:
    """A copy as another account would post it: (picture, JPEG quality)."""
    w, h = img.size
    if transform == "recompress":
        return img.resize((int(w * 0.8), int(h * 0.8))), 55
    if transform == "upscale":  # "enhanced" by an app: bigger, not better, and no metadata
        return img.resize((int(w * 1.5), int(h * 1.5)), PILImage.Resampling.BICUBIC), 70
    if transform == "crop":
        dx, dy = int(w * step.rng.uniform(0.04, 0.08)), int(h * step.rng.uniform(0.04, 0.08))
        return img.crop((dx, dy, w - dx, h - dy)), 80
    if transform == "mirror":
        return ImageOps.mirror(img), 80
    out = img.copy()
    d = ImageDraw.Draw(out)
    d.rectangle((0, h - 34, w, h), fill=(0, 0, 0))
    d.text((10, h - 28), step.pick(["SHARE!", "Good jobs", "Call now", "Apply today"]), fill=(255, 255, 0),
           font=_font(18))
    return out, 75


def copy_truth(step: Step, source: str, transform: str) -> ImageTruth:
    return ImageTruth(image_id=step.new_id("img"), source=source, transform=transform, exif="stripped")


def picture_truth(step: Step, shot: Shot | None, *, place_id: str | None = None, scene_place: str | None = None,
                  clues: list[str] | None = None, taken: datetime | None = None) -> ImageTruth:
    moment = shot.moment if shot else taken
    return ImageTruth(image_id=step.new_id("img"), exif=exif_state(shot), place_id=place_id,
                      taken=iso(moment) if moment else None, device="camera" if shot else None,
                      scene_place=scene_place, clues=list(clues or []))
