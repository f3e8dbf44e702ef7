"""Image tools: an EXIF reader, reverse image search by perceptual hash, a GPS map plot.

Reverse search compares 64-bit pHashes (imagehash). One hash per image misses reposts, so
each image is hashed in a few views: whole, centre crops (a cropped repost matches its
source's centre), and top 84% (a banner pasted over the bottom, as reposters add, is cut
away). The query is also hashed mirrored. The distance of two images is the smallest
Hamming distance between any query view and any candidate view.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osintlab.errors import UserError
from osintlab.i18n import _, ngettext

if TYPE_CHECKING:
    import imagehash
    import numpy
    import pandas
    from matplotlib.figure import Figure
    from PIL import Image as PILImage

    from synthetic_data.bundle import Case

STRIPPED = "no EXIF: metadata stripped"
EXIF_FIELDS = ["make", "model", "software", "datetime", "datetime_original", "offset_time", "gps_lat", "gps_lon"]
MATCH_COLUMNS = ["image_id", "distance", "view", "file", "width", "height", "pages"]
DEFAULT_MAX_DISTANCE = 8  # bits of 64: reposts in 8 medium worlds fell at <= 4, look-alike posters mostly >= 8
CENTRE_CUTS = (0.04, 0.07, 0.10)  # share cut from each side: reposts crop about 4-10%

_TAGS = {0x010F: "make", 0x0110: "model", 0x0131: "software", 0x0132: "datetime"}
_EXIF_TAGS = {0x9003: "datetime_original", 0x9010: "offset_time", 0x9011: "offset_time"}
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825


@dataclass
class ExifReport:
    """What a photo's metadata says, with `stripped` True when it carries none."""

    source: str
    stripped: bool
    fields: dict[str, Any]

    @property
    def summary(self) -> str:
        if self.stripped:
            return f"{self.source}: {STRIPPED}"
        shown = [f"{k}={v}" for k, v in self.fields.items() if v not in (None, "")]
        gps = "" if self.fields.get("gps_lat") is not None else " (no GPS)"
        return f"{self.source}: " + ", ".join(shown) + gps

    def frame(self) -> pandas.DataFrame:
        import pandas

        if self.stripped:
            return pandas.DataFrame([{"field": "exif", "value": STRIPPED}], columns=["field", "value"])
        return pandas.DataFrame([{"field": k, "value": v} for k, v in self.fields.items()], columns=["field", "value"])

    def _repr_html_(self) -> str:
        return f"<p><b>{self.summary}</b></p>" + self.frame().to_html(index=False)


def _decimal(dms: Any, ref: Any) -> float | None:
    """Degrees, minutes, seconds (EXIF rationals) to signed decimal degrees; None when there is no fix.

    A phone without a GPS fix writes the rationals 0/0, which Pillow reads as NaN: that is no position.
    """
    try:
        deg, minutes, seconds = (float(x) for x in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = deg + minutes / 60 + seconds / 3600
    if not math.isfinite(value):
        return None
    return round(-value if str(ref).upper() in ("S", "W") else value, 6)


def _too_large(source: str, message: str) -> UserError:
    from PIL import Image as PILImage

    found = re.search(r"\((\d+) pixels\)", message)
    size = _("{count} pixels").format(count=f"{int(found.group(1)):,}") if found else _("too many pixels")
    limit = 2 * (PILImage.MAX_IMAGE_PIXELS or 0)
    return UserError(_("{source} is too large to open ({size}; the image tools take up to {limit} pixels, about "
                       "{side} x {side}): downscale it or crop the part you need, save it as a new file and try "
                       "again.").format(
        source=source, size=size, limit=format(limit, ","), side=format(math.isqrt(limit), ",")))


@contextmanager
def open_image(data: bytes, source: str) -> Iterator[PILImage.Image]:
    """The image in `data`, or one UserError: not an image, or too large to open safely.

    Pillow refuses images over twice `PIL.Image.MAX_IMAGE_PIXELS` (about 179 million pixels, e.g.
    a 13,500 x 13,500 scan or satellite tile) as possible decompression bombs.
    """
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        img = PILImage.open(io.BytesIO(data))
    except PILImage.DecompressionBombError as exc:
        raise _too_large(source, str(exc)) from None
    except (UnidentifiedImageError, OSError):
        raise UserError(_("{source} is not an image Pillow can read: give a JPEG or PNG "
                          "file.").format(source=source)) from None
    with img:
        yield img


def read_exif(data: bytes, source: str = "image") -> ExifReport:
    """Read make, model, software, times, offset and GPS (decimal degrees, None without a fix) from
    image bytes. Raises UserError for bytes that are not an image, or an image too large to open."""
    with open_image(data, source) as img:
        exif = img.getexif()
    if not exif:
        return ExifReport(source, True, {})
    fields: dict[str, Any] = dict.fromkeys(EXIF_FIELDS)
    for tag, name in _TAGS.items():
        fields[name] = exif.get(tag)
    for tag, name in _EXIF_TAGS.items():
        value = exif.get_ifd(_EXIF_IFD).get(tag)
        if value is not None:
            fields[name] = value
    gps = exif.get_ifd(_GPS_IFD)
    if gps:
        fields["gps_lat"] = _decimal(gps.get(2), gps.get(1))
        fields["gps_lon"] = _decimal(gps.get(4), gps.get(3))
    return ExifReport(source, False, fields)


def _hash_int(h: imagehash.ImageHash) -> int:
    """A 64-bit perceptual hash as one unsigned integer (for fast XOR and bit counts)."""
    return int(str(h), 16)


def _views(img: PILImage.Image, mirrored: bool) -> list[tuple[str, imagehash.ImageHash]]:
    import imagehash
    from PIL import ImageOps

    grey = img.convert("L")
    bases = [("", grey), ("mirrored ", ImageOps.mirror(grey))] if mirrored else [("", grey)]
    out = []
    for prefix, base in bases:
        w, h = base.size
        out.append((prefix + "whole", imagehash.phash(base)))
        for cut in CENTRE_CUTS:
            dx, dy = int(w * cut), int(h * cut)
            out.append((prefix + f"centre {cut:.0%}", imagehash.phash(base.crop((dx, dy, w - dx, h - dy)))))
        out.append((prefix + "top", imagehash.phash(base.crop((0, 0, w, int(h * 0.84))))))
    return out


class ImageTools:
    """EXIF, reverse search and maps over one case world's images."""

    def __init__(self, case: Case) -> None:
        self.case = case

    def _bytes(self, ref: str | bytes | Path) -> tuple[bytes, str]:
        if isinstance(ref, bytes):
            return ref, "uploaded image"
        if isinstance(ref, Path) or (ref not in self.case.image_by_id and ("/" in ref or Path(ref).is_file())):
            path = Path(ref)
            if not path.is_file():
                raise UserError(_("image file {path} does not exist: check the path.").format(path=path))
            return path.read_bytes(), path.name
        if ref not in self.case.image_by_id:
            raise UserError(_("image {ref} is not in this case: use an image_id from images.list() "
                              "or a file path.").format(
                ref=repr(ref)))
        return self.case.read_image(ref), ref

    def list(self) -> pandas.DataFrame:
        """Every image with the pages that show it."""
        import pandas

        rows = [{"image_id": i.image_id, "file": i.file, "width": i.width, "height": i.height,
                 "pages": self._pages.get(i.image_id, [])} for i in self.case.images]
        return pandas.DataFrame(rows, columns=["image_id", "file", "width", "height", "pages"])

    @cached_property
    def _pages(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for page in self.case.pages:
            for image_id in page.images:
                out.setdefault(image_id, []).append(page.url)
        for account in self.case.accounts:
            if account.avatar:
                out.setdefault(account.avatar, []).append(account.url)
        return out

    # ------------------------------------------------------------ EXIF

    def exif(self, ref: str | bytes | Path) -> ExifReport:
        data, source = self._bytes(ref)
        return read_exif(data, source)

    def exif_table(self) -> pandas.DataFrame:
        """EXIF of every image in the case, one row each (`stripped` True where none)."""
        import pandas

        rows = []
        for image in self.case.images:
            report = self.exif(image.image_id)
            rows.append({"image_id": image.image_id, "stripped": report.stripped,
                         **{k: report.fields.get(k) for k in EXIF_FIELDS}})
        return pandas.DataFrame(rows, columns=["image_id", "stripped", *EXIF_FIELDS])

    # ------------------------------------------------------------ reverse search

    @cached_property
    def _hashes(self) -> dict[str, list[tuple[str, imagehash.ImageHash]]]:
        out = {}
        for image in self.case.images:
            with open_image(self.case.read_image(image.image_id), image.image_id) as img:
                out[image.image_id] = _views(img, mirrored=False)
        return out

    def reverse_search(self, ref: str | bytes | Path, max_distance: int = DEFAULT_MAX_DISTANCE) -> pandas.DataFrame:
        """Images that look like `ref` (resized, recompressed, cropped, mirrored, overlaid), nearest first."""
        import pandas
        from PIL import UnidentifiedImageError

        if not 0 <= max_distance <= 64:
            raise UserError(_("max_distance {max_distance} is out of range: use 0 (identical) to 64 bits.").format(
                max_distance=max_distance))
        data, source = self._bytes(ref)
        with open_image(data, source) as img:
            try:
                query = _views(img, mirrored=True)
            except (UnidentifiedImageError, OSError):
                raise UserError(_("{source} is not an image Pillow can read: give a JPEG or PNG file.").format(
                    source=source)) from None
        rows = []
        for image_id, dist, view in self._nearest(query, max_distance):
            if image_id == ref:
                continue
            image = self.case.image_by_id[image_id]
            rows.append({"image_id": image_id, "distance": dist, "view": view, "file": image.file,
                         "width": image.width, "height": image.height, "pages": self._pages.get(image_id, [])})
        rows.sort(key=lambda r: (r["distance"], r["image_id"]))
        return pandas.DataFrame(rows, columns=MATCH_COLUMNS)

    @cached_property
    def _hash_matrix(self) -> tuple[list[str], numpy.ndarray]:
        """(image ids, uint64 matrix of their view hashes): one row per image, one column per view.

        Built from `_hashes` once and cached beside the case (`.index/phash-*.npz`, keyed by the
        images' file), like the search index, so a kernel opening the case again skips the hashing."""
        import numpy

        cache = self._hash_cache_path()
        if cache is not None and cache.is_file():
            with numpy.load(cache) as stored:
                return [str(i) for i in stored["ids"]], stored["hashes"]
        ids = [image.image_id for image in self.case.images]
        matrix = numpy.array([[_hash_int(h) for _, h in self._hashes[i]] for i in ids], dtype=numpy.uint64)
        if cache is not None:
            try:
                cache.parent.mkdir(exist_ok=True)
                tmp = cache.with_suffix(f".{os.getpid()}.tmp.npz")
                numpy.savez(tmp, ids=numpy.array(ids), hashes=matrix)
                os.replace(tmp, cache)
            except OSError:
                pass  # a read-only case: hash again next time
        return ids, matrix

    def build_index(self) -> None:
        """Hash every image now and cache the hashes beside the case (a lab prepares this for trainees)."""
        self._hash_matrix  # noqa: B018 (computing the property is the point)

    def _hash_cache_path(self) -> Path | None:
        root = self.case.root
        listing = root / "images.jsonl" if root is not None else None
        if listing is None or not listing.is_file():
            return None
        digest = hashlib.blake2b(f"phash-v1|{CENTRE_CUTS}".encode() + listing.read_bytes(), digest_size=10)
        return root / ".index" / f"phash-{digest.hexdigest()}.npz"

    def _nearest(self, query: list[tuple[str, imagehash.ImageHash]], max_distance: int) -> list[tuple[str, int, str]]:
        """(image id, distance in bits, query view) of every image within `max_distance` of a query view:
        the smallest Hamming distance between any query view and any of the image's views."""
        import numpy

        ids, matrix = self._hash_matrix
        if not ids:
            return []
        q = numpy.array([_hash_int(h) for _, h in query], dtype=numpy.uint64)
        best = numpy.bitwise_count(matrix[None, :, :] ^ q[:, None, None]).min(axis=2)  # (query views, images)
        out = []
        for col in numpy.flatnonzero(best.min(axis=0) <= max_distance):
            dist = int(best[:, col].min())
            view = min(query[i][0] for i in numpy.flatnonzero(best[:, col] == dist))
            out.append((ids[col], dist, view))
        return out

    # ------------------------------------------------------------ map

    def gps_points(self, image_ids: list[str] | None = None) -> pandas.DataFrame:
        table = self.exif_table()
        if image_ids is not None:
            table = table[table["image_id"].isin(image_ids)]
        return table.dropna(subset=["gps_lat", "gps_lon"])[["image_id", "gps_lat", "gps_lon", "datetime_original"]]

    def map(self, image_ids: list[str] | None = None, *, places: bool = True) -> Figure:
        """Plot GPS points of images over the case's gazetteer places (no map tiles: offline)."""
        from osintlab.plotfonts import script_fonts

        with script_fonts():
            return self._map(image_ids, places)

    def _map(self, image_ids: list[str] | None, places: bool) -> Figure:
        from matplotlib.figure import Figure

        from sandbox.display import enable_inline_figures
        from sandbox.figures import pad_axes, place_labels

        enable_inline_figures()
        points = self.gps_points(image_ids)
        fig = Figure(figsize=(9, 6.5))
        ax = fig.add_subplot()
        shown = self.case.places if places else []
        xs = [p.lon for p in shown] + [float(v) for v in points["gps_lon"]]
        ys = [p.lat for p in shown] + [float(v) for v in points["gps_lat"]]
        pad_axes(ax, xs, ys)
        if shown:
            ax.scatter([p.lon for p in shown], [p.lat for p in shown], marker="^", c="grey", s=30,
                       label=_("gazetteer places"), zorder=3)
        ax.scatter(points["gps_lon"], points["gps_lat"], c="crimson", s=45, label=_("photo GPS"), zorder=3)
        labels = [p.name for p in shown] + [str(i) for i in points["image_id"]]
        texts = place_labels(ax, xs, ys, labels, fontsize=8)  # every label readable, none on another
        for text in texts[len(shown):]:
            text.set_color("crimson")
        ax.set_xlabel(_("longitude (decimal degrees)"))
        ax.set_ylabel(_("latitude (decimal degrees)"))
        ax.set_title(ngettext("{count} photo with GPS", "{count} photos with GPS", len(points)).format(
            count=len(points)))
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
        fig.tight_layout()
        return fig

    # ------------------------------------------------------------ text in the picture

    def read_text(self, image_id: str) -> list[str]:
        """The text painted in a picture (signs, posters), line by line, as an OCR or lens tool reads
        it; [] when there is none. Read every line: a shop name or a town on a sign is a clue."""
        if image_id not in self.case.image_by_id:
            raise UserError(_("image {image_id} is not in this case: use an image_id from images.list().").format(
                image_id=repr(image_id)))
        return next((list(t.lines) for t in self.case.image_text if t.image_id == image_id), [])

