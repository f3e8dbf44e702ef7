"""Archive: captures by URL, text, diffs, recovery of a deleted page, domain index."""

from __future__ import annotations

import pytest

from osintlab.errors import UserError
from sandbox import open_case
from sandbox.archive import Archive, normalise_url
from tests.sandbox.handmade import build

GONE = "https://jobsteppe.example/jobs/call-centre-abroad"
AD = "https://jobsteppe.example/jobs/office-work-thailand"


@pytest.fixture(scope="module")
def ar(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return open_case(build(tmp_path_factory.mktemp("w") / "w")).archive


def test_captures_are_oldest_first_with_status(ar: Archive) -> None:
    table = ar.captures(GONE)
    assert list(table["capture_id"]) == ["cap-2", "cap-3", "cap-4"]
    assert list(table["http_status"]) == [200, 200, 404]


def test_url_forms_compare_equal(ar: Archive) -> None:
    assert normalise_url("HTTPS://www.Jobsteppe.example/jobs/x/") == "example,jobsteppe)/jobs/x"
    assert normalise_url("jobsteppe.example/jobs/x?b=2&a=1") == normalise_url("http://jobsteppe.example/jobs/x?a=1&b=2")
    assert len(ar.captures("jobsteppe.example/jobs/call-centre-abroad/")) == 3
    assert ar.captures("https://never.example/").empty


def test_recover_deleted_page_is_last_200_capture(ar: Archive) -> None:
    capture = ar.recover(GONE)
    assert capture.capture_id == "cap-3" and ar.text(capture.capture_id) == "Fee 900,000 MNT."
    with pytest.raises(UserError, match="no readable capture"):
        ar.recover("https://never.example/x")


def test_diff_between_captures_and_against_live(ar: Archive) -> None:
    between = ar.diff("cap-2", "cap-3")
    assert "-Fee paid from salary." in between and "+Fee 900,000 MNT." in between
    live = ar.diff("cap-1")  # the edit removed a line that only the archive still shows
    assert "-Passport kept by employer for safety." in live and "live page" in live
    assert ar.diff("cap-2", "cap-2") == "The two captures have the same title and text."
    with pytest.raises(UserError, match="no longer live"):
        ar.diff("cap-2")


def test_unknown_capture_id(ar: Archive) -> None:
    with pytest.raises(UserError, match="not in the archive"):
        ar.text("cap-999")


def test_index_lists_domain_urls_with_live_flag(ar: Archive) -> None:
    table = ar.index("jobsteppe.example").set_index("url")
    assert table.loc[GONE, "live"] == False  # noqa: E712 (numpy bool)
    assert table.loc[GONE, "last_status"] == 404 and table.loc[GONE, "captures"] == 3
    assert bool(table.loc[AD, "live"])
    assert ar.index("nomadbook.example").empty


@pytest.mark.parametrize("suffix", ["#apply", "/#apply", "#", "?#top"])
def test_a_fragment_is_not_part_of_the_archived_url(ar: Archive, suffix: str) -> None:
    # an officer copies a deleted ad's address from a chat, with the anchor of its "apply" button
    assert ar.recover(GONE + suffix).capture_id == "cap-3"
    assert len(ar.captures(GONE.upper().replace("HTTPS", "https") + suffix)) == 3
