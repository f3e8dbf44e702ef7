"""EXIF reading, reverse image search over reposts, and the offline GPS map."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest

from osintlab.errors import UserError
from sandbox import open_case
from sandbox.images import STRIPPED, ImageTools, read_exif
from tests.sandbox.handmade import build


@pytest.fixture(scope="module")
def tools(tmp_path_factory: pytest.TempPathFactory) -> ImageTools:
    return open_case(build(tmp_path_factory.mktemp("w") / "w")).images


def test_exif_with_gps_in_decimal_degrees(tools: ImageTools) -> None:
    report = tools.exif("img-a")
    assert not report.stripped
    f = report.fields
    assert (f["make"], f["model"], f["software"]) == ("Lumea", "L9 Lite", "Camera 4.2")
    assert f["datetime_original"] == "2025:07:23 11:28:23" and f["offset_time"] == "+08:00"
    assert f["gps_lat"] == pytest.approx(47.9109, abs=1e-4) and f["gps_lon"] == pytest.approx(106.8847, abs=1e-4)


def test_exif_without_gps_and_stripped(tools: ImageTools) -> None:
    assert tools.exif("img-b").fields["gps_lat"] is None and "(no GPS)" in tools.exif("img-b").summary
    stripped = tools.exif("img-c")
    assert stripped.stripped and STRIPPED in stripped.summary
    assert list(stripped.frame()["value"]) == [STRIPPED]
    table = tools.exif_table().set_index("image_id")
    assert bool(table.loc["img-a-mirrored", "stripped"]) and not bool(table.loc["img-a", "stripped"])


def test_exif_of_a_file_path_and_bad_input(tools: ImageTools, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.jpg"
    path.write_bytes(tools.case.read_image("img-a"))
    assert tools.exif(path).fields["make"] == "Lumea"
    monkeypatch.chdir(tmp_path)
    assert tools.exif("a.jpg").fields["make"] == "Lumea"  # a bare file name in the notebook's folder
    (tmp_path / "bad.jpg").write_bytes(b"not an image")
    with pytest.raises(UserError, match="not an image"):
        tools.exif(tmp_path / "bad.jpg")
    with pytest.raises(UserError, match="not in this case"):
        tools.exif("img-zzz")


def test_reverse_search_finds_every_repost_and_nothing_else(tools: ImageTools) -> None:
    found = tools.reverse_search("img-a")
    reposts = {f"img-a-{k}" for k in ("resized", "recompressed", "cropped", "mirrored", "overlay")}
    assert set(found["image_id"]) == reposts
    assert list(found["distance"]) == sorted(found["distance"])
    assert found.set_index("image_id").loc["img-a-mirrored", "view"].startswith("mirrored")


@pytest.mark.parametrize("repost", ["resized", "recompressed", "cropped", "mirrored", "overlay"])
def test_each_repost_leads_back_to_the_source(tools: ImageTools, repost: str) -> None:
    found = tools.reverse_search(f"img-a-{repost}")
    assert "img-a" in set(found["image_id"]) and "img-b" not in set(found["image_id"])


def test_reverse_search_of_uploaded_bytes_and_range(tools: ImageTools) -> None:
    found = tools.reverse_search(tools.case.read_image("img-a"))
    assert found.iloc[0]["image_id"] == "img-a" and found.iloc[0]["distance"] == 0
    with pytest.raises(UserError, match="out of range"):
        tools.reverse_search("img-a", max_distance=99)


def test_map_plots_gps_points_and_gazetteer(tools: ImageTools) -> None:
    points = tools.gps_points()
    assert list(points["image_id"]) == ["img-a"]
    fig = tools.map()
    ax = fig.axes[0]
    labels = {t.get_text() for t in ax.texts}
    assert {"img-a", "Ulaanbaatar Railway Station"} <= labels
    assert ax.get_title() == "1 photo with GPS"
    from sandbox.figures import label_problems

    assert label_problems(fig) == []  # the photo sits on the station: both labels readable, apart


def test_map_speaks_the_course_language(tools: ImageTools) -> None:
    from osintlab.i18n import speaking

    with speaking("mn"):
        ax = tools.map().axes[0]
    assert ax.get_title() == "GPS-тэй 1 зураг"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("уртраг (аравтын градус)", "өргөрөг (аравтын градус)")
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"газрын нэрсийн лавлахын газрууд", "зургийн GPS"}
    with speaking("bn"):
        assert tools.map().axes[0].get_xlabel() == "দ্রাঘিমাংশ (দশমিক ডিগ্রি)"


def _jpeg_with_gps(lat: tuple[object, ...], lon: tuple[object, ...]) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Lumea"
    exif.get_ifd(0x8825).update({1: "N", 2: lat, 3: "E", 4: lon})
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_gps_rationals_of_zero_over_zero_mean_no_gps(tools: ImageTools) -> None:
    from PIL.TiffImagePlugin import IFDRational

    no_fix = (IFDRational(0, 0),) * 3  # what a phone writes when it has no GPS fix
    report = read_exif(_jpeg_with_gps(no_fix, no_fix), "phone.jpg")
    assert report.fields["gps_lat"] is None and report.fields["gps_lon"] is None
    assert report.summary == "phone.jpg: make=Lumea (no GPS)" and "nan" not in report.summary
    assert tools.exif(_jpeg_with_gps(no_fix, no_fix)).frame()["value"].notna().sum() == 1
    real = read_exif(_jpeg_with_gps((IFDRational(47, 1), IFDRational(54, 1), IFDRational(0, 1)), no_fix), "half.jpg")
    assert real.fields["gps_lat"] == 47.9 and real.fields["gps_lon"] is None


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size (a scan or satellite tile of that size opens the same way)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_a_very_large_image_is_one_sentence(tools: ImageTools, tmp_path: Path) -> None:
    path = tmp_path / "tile.png"
    path.write_bytes(_png_header(13_500, 13_500))
    for call in (tools.exif, tools.reverse_search):
        with pytest.raises(UserError, match=r"tile.png is too large to open \(182,250,000 pixels;.*downscale it"):
            call(path)
