"""EXIF reading, reverse image search over reposts, and the offline GPS map."""

from __future__ import annotations

from pathlib import Path

import pytest

from osintlab.errors import UserError
from sandbox import open_case
from sandbox.images import STRIPPED, ImageTools
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
    assert ax.get_title() == "1 photos with GPS"
