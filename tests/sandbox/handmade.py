"""A small case world built by hand from model records, with known answers for the tool tests."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageDraw, ImageOps

from synthetic_data.bundle import Case, Key, World, write_world
from synthetic_data.model import FORMAT_VERSION, Account, Capture, Image, Page, Place, Platform

PHONE = "+97615112869"  # Mongolian mobile, unallocated leading digits (safe-identifiers.md)


def _picture(seed: int) -> PILImage.Image:
    """A drawn scene: distinct shapes per seed so unrelated images hash far apart."""
    img = PILImage.new("RGB", (320, 240), (30 + seed * 40 % 200, 90, 160))
    draw = ImageDraw.Draw(img)
    for i in range(6):
        x, y = (seed * 53 + i * 71) % 260, (seed * 37 + i * 43) % 180
        draw.rectangle((x, y, x + 40 + i * 5, y + 30), fill=((i * 60) % 255, (seed * 90) % 255, 200 - i * 20))
    draw.ellipse((seed * 20 % 200, 20, seed * 20 % 200 + 90, 110), fill=(250, 240, 40))
    return img


def _jpeg(img: PILImage.Image, quality: int = 88, exif: bytes = b"") -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality, exif=exif) if exif else img.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _exif(gps: bool) -> bytes:
    exif = PILImage.Exif()
    exif[0x010F], exif[0x0110], exif[0x0131] = "Lumea", "L9 Lite", "Camera 4.2"
    sub = exif.get_ifd(0x8769)
    sub[0x9003], sub[0x9011] = "2025:07:23 11:28:23", "+08:00"
    if gps:
        g = exif.get_ifd(0x8825)
        g[1], g[2] = "N", (47.0, 54.0, 39.24)  # 47.910900
        g[3], g[4] = "E", (106.0, 53.0, 4.92)  # 106.884700
    return exif.tobytes()


def reposts(img: PILImage.Image) -> dict[str, bytes]:
    """The ways a reposter changes a photo."""
    w, h = img.size
    overlay = img.copy()
    ImageDraw.Draw(overlay).rectangle((0, h - 34, w, h), fill=(0, 0, 0))
    ImageDraw.Draw(overlay).text((10, h - 28), "Call now", fill=(255, 255, 0))
    return {
        "resized": _jpeg(img.resize((256, 192)), 55),
        "recompressed": _jpeg(img, 40),
        "cropped": _jpeg(img.crop((int(w * 0.1), int(h * 0.1), int(w * 0.9), int(h * 0.9))), 80),
        "mirrored": _jpeg(ImageOps.mirror(img), 80),
        "overlay": _jpeg(overlay, 75),
    }


def build(out: Path) -> Path:
    platforms = [
        Platform("nomadbook", "Nomadbook", "social", "nomadbook.example", "https://nomadbook.example/{username}"),
        Platform("jobsteppe", "JobSteppe", "jobs", "jobsteppe.example", "https://jobsteppe.example/company/{username}"),
    ]
    acc = [
        Account("acc-1", "nomadbook", "bold_recruit", "Bold Recruit", "https://nomadbook.example/bold_recruit",
                "2024-01-01T00:00:00Z", phone=PHONE, email="jobs@eastern-manpower.example",
                followers=["acc-2", "acc-3"], following=["acc-2"]),
        Account("acc-2", "nomadbook", "saraa.b", "Saraa B", "https://nomadbook.example/saraa.b",
                "2024-01-02T00:00:00Z", followers=["acc-1"], following=["acc-1"]),
        Account("acc-3", "nomadbook", "Bold.Recruit7", "Bold Recruit 7", "https://nomadbook.example/Bold.Recruit7",
                "2024-01-03T00:00:00Z", following=["acc-1"]),
        Account("acc-4", "jobsteppe", "bold_recruit", "Bold Recruit LLC",
                "https://jobsteppe.example/company/bold_recruit", "2024-01-04T00:00:00Z"),
        Account("acc-5", "jobsteppe", "b0ld_recruit", "B0ld", "https://jobsteppe.example/company/b0ld_recruit",
                "2024-01-05T00:00:00Z"),
        Account("acc-6", "jobsteppe", "bold_recruiter", "Other", "https://jobsteppe.example/company/bold_recruiter",
                "2024-01-06T00:00:00Z"),
    ]
    ad_url = "https://jobsteppe.example/jobs/office-work-thailand"
    gone_url = "https://jobsteppe.example/jobs/call-centre-abroad"
    pages = [
        Page("pg-1", ad_url, "jobsteppe.example", "job_ad", "Office work in Thailand", "Good salary.\nApply now.",
             "2025-01-10T00:00:00Z", author="acc-4", images=["img-a"]),
        Page("pg-2", "https://nomadbook.example/bold_recruit/posts/1", "nomadbook.example", "post", "New jobs",
             "Message me for jobs abroad.", "2025-01-11T00:00:00Z", author="acc-1", images=["img-a-mirrored"]),
        Page("pg-3", "https://whois.example/eastern-manpower.example", "whois.example", "whois",
             "WHOIS eastern-manpower.example", "Domain Name: eastern-manpower.example", "2020-01-01T00:00:00Z",
             data={"domain": "eastern-manpower.example", "registrar": "Reserved Names LLC", "created": "2020-01-01",
                   "expires": "2026-01-01", "registrant_name": "Eastern Manpower",
                   "registrant_email": "admin@eastern-manpower.example", "registrant_phone": "1511 2869",
                   "name_servers": ["ns1.eastern-manpower.example"], "ip": "192.0.2.8"}),
        Page("pg-4", "https://registry.mn.example/company/MN-1234567", "registry.mn.example", "registry",
             "Eastern Manpower LLC - Registry", "Company: Eastern Manpower LLC", "2020-01-01T00:00:00Z",
             data={"company": "Eastern Manpower LLC", "registration": "MN-1234567", "registered": "2020-01-01",
                   "status": "Active", "address": "Ulaanbaatar", "directors": ["Bold Batbayar", "Saraa Dorj"],
                   "activity": "Recruitment", "licence": ""}),
        Page("pg-5", gone_url, "jobsteppe.example", "job_ad", "Call centre abroad", "Fee paid from salary.",
             "2025-02-01T00:00:00Z", author="acc-4", status="deleted"),
    ]
    archive = [
        Capture("cap-1", ad_url, "2025-01-10T05:00:00Z", 200, "Office work in Thailand",
                "Good salary.\nApply now.\nPassport kept by employer for safety."),
        Capture("cap-2", gone_url, "2025-02-02T00:00:00Z", 200, "Call centre abroad", "Fee paid from salary."),
        Capture("cap-3", gone_url, "2025-03-01T00:00:00Z", 200, "Call centre abroad", "Fee 900,000 MNT."),
        Capture("cap-4", gone_url, "2025-04-01T00:00:00Z", 404, "Not Found", ""),
    ]
    base, other = _picture(1), _picture(4)
    image_bytes = {"img-a": _jpeg(base, exif=_exif(gps=True)), "img-b": _jpeg(other, exif=_exif(gps=False)),
                   "img-c": _jpeg(_picture(7))}
    image_bytes.update({f"img-a-{k}": v for k, v in reposts(base).items()})
    images = []
    for image_id, data in image_bytes.items():
        with PILImage.open(io.BytesIO(data)) as img:
            images.append(Image(image_id, f"images/{image_id}.jpg", img.width, img.height))
    places = [Place("pl-1", "Ulaanbaatar Railway Station", "railway_station", "Ulaanbaatar", "MN", 47.9109, 106.8847)]
    manifest = {"format_version": FORMAT_VERSION, "countries": {"origin": "MN", "destination": "TH"}}
    case = Case(manifest, platforms, acc, pages, archive, images=images, places=places, image_bytes=image_bytes)
    return write_world(World(case, Key(truth={})), out)
