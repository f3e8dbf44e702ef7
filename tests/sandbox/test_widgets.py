"""Widgets driven through their Python objects: set values, call handlers, read what they show."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox import Sandbox, open_case
from tests.sandbox.handmade import build


@pytest.fixture
def sb(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Sandbox:
    return open_case(build(tmp_path_factory.mktemp("w") / "w"), workdir=tmp_path / "work", analyst="Officer B.")


def test_search_widget_runs_real_engine_and_pages(sb: Sandbox) -> None:
    widget = sb.widgets.search(per_page=1)
    widget.query.value = "site:jobsteppe.example OR site:nomadbook.example"
    widget.button.click()
    assert widget.results.total == 2 and widget.page == 1
    assert "2 results" in widget.summary.value and len(widget.rows.children) == 1
    row = widget.rows.children[0]
    assert row.hit.page_id in row.children[0].value and row.hit.url in row.children[0].value
    assert widget.prev.disabled and not widget.next.disabled
    widget.next.click()
    assert widget.page == 2 and widget.next.disabled
    assert [e.query for e in sb.engine.log] == [widget.query.value] * 2


def test_search_widget_shows_query_errors_without_raising_and_clears_old_results(sb: Sandbox) -> None:
    widget = sb.widgets.search()
    widget.query.value = "salary"
    assert widget.results.total == 1 and widget.rows.children  # Enter (leaving the box) searched
    widget.query.value = "-visa"
    assert widget.results is None and "color:#a00" in widget.status.value
    assert widget.rows.children == () and widget.summary.value == "" and widget.next.disabled
    message = widget.status.value.split(">", 1)[1].rsplit("<", 1)[0]
    assert message[0].isupper() and message.count(". ") == 0 and "Traceback" not in message


def test_search_result_opens_its_page_in_place_and_can_be_picked(sb: Sandbox) -> None:
    picked: list[str] = []
    widget = sb.widgets.search(on_pick=picked.append)
    widget.query.value = "salary"
    row = widget.rows.children[0]
    row.read.click()
    assert "Good salary." in row.page.value and "pg-1" in row.page.value and "<a " not in row.page.value
    row.read.click()
    assert row.page.value == ""
    row.pick.click()
    assert picked == ["pg-1"]


def test_profile_viewer(sb: Sandbox) -> None:
    widget = sb.widgets.profile()
    widget.username.value = "bold_recruit"
    widget.show()
    assert widget.profile is None and "several platforms" in widget.status.value
    widget.platform.value = "jobsteppe"
    widget.button.click()
    assert widget.profile.account.account_id == "acc-4"
    assert "Office work in Thailand" in widget.output.value and "1 posts" in widget.status.value
    assert "NaN" not in widget.output.value and "None" not in widget.output.value and "<a " not in widget.output.value
    widget.username.value = "nobody_here"
    widget.show()
    assert widget.profile is None and widget.output.value == "" and "color:#a00" in widget.status.value


def test_image_viewer_shows_exif_picture_and_similar(sb: Sandbox) -> None:
    widget = sb.widgets.image()
    widget.choice.value = "img-c"
    widget.button.click()
    assert "metadata stripped" in widget.status.value and widget.picture.value == sb.case.read_image("img-c")
    widget.choice.value = "img-a"
    widget.show()
    assert "Lumea" in widget.status.value
    widget.similar.click()
    assert len(widget.matches) == 5 and "img-a-mirrored" in widget.output.value


def test_capture_button_writes_the_evidence_log(sb: Sandbox) -> None:
    widget = sb.widgets.capture("https://nomadbook.example/bold_recruit")
    widget.note.value = "recruiter profile"
    widget.button.click()
    assert widget.entry is not None and widget.entry["kind"] == "profile"
    assert widget.entry["sha256"] in widget.status.value
    assert sb.evidence.verify().ok and len(sb.evidence.entries()) == 1
    widget.analyst.value = ""
    sb.evidence.analyst = None
    widget.capture()
    assert "Analyst is empty" in widget.status.value and len(sb.evidence.entries()) == 1


def test_viewers_capture_what_they_show(sb: Sandbox) -> None:
    profile = sb.widgets.profile()
    profile.username.value = "saraa.b"
    profile.show()
    profile.capture.button.click()
    image = sb.widgets.image()
    image.choice.value = "img-b"
    image.show()
    image.capture.button.click()
    kinds = [(e["kind"], e["source_id"]) for e in sb.evidence.entries()]
    assert kinds == [("profile", "acc-2"), ("image", "img-b")]


def test_dashboard_holds_every_tool(sb: Sandbox) -> None:
    tab = sb.widgets.dashboard()
    assert tab.titles == ("Search", "Profiles", "Images", "Capture") and len(tab.children) == 4
