"""Reading in place: ids and addresses in any form resolve, views show text and never link out."""

from __future__ import annotations

import re

import pytest

from osintlab.errors import UserError
from sandbox import Sandbox, open_case, reader
from tests.sandbox.handmade import build

AD = "https://jobsteppe.example/jobs/office-work-thailand"
LINK = re.compile(r"<a\s|href=|src=\"(?!data:)", re.IGNORECASE)


@pytest.fixture(scope="module")
def sb(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    return open_case(build(tmp_path_factory.mktemp("w") / "w"), workdir=tmp_path_factory.mktemp("work"))


@pytest.mark.parametrize("ref", ["pg-1", AD, AD + "/", AD + "#apply", "jobsteppe.example/jobs/office-work-thailand",
                                 "http://www.JOBSTEPPE.example/jobs/office-work-thailand?ref=x", f"  '{AD}'  "])
def test_a_page_by_its_id_or_any_form_of_its_address(sb: Sandbox, ref: str) -> None:
    assert reader.resolve(sb.case, ref).page_id == "pg-1"


def test_accounts_images_and_archived_copies(sb: Sandbox) -> None:
    case = sb.case
    assert reader.resolve(case, "https://nomadbook.example/saraa.b/").account_id == "acc-2"
    assert reader.resolve(case, "img-b").image_id == "img-b"
    assert reader.resolve(case, "cap-1").capture_id == "cap-1"
    # a deleted page: its last readable capture (not the later 404)
    assert reader.resolve(case, "jobsteppe.example/jobs/call-centre-abroad").capture_id == "cap-3"


@pytest.mark.parametrize("ref", ["pg-nope", "https://never.example/x", "", "   "])
def test_unknown_references_are_one_sentence(sb: Sandbox, ref: str) -> None:
    with pytest.raises(UserError) as err:
        reader.resolve(sb.case, ref)
    text = str(err.value)
    assert text.endswith(".") and "\n" not in text and "://" not in text


def test_views_show_id_date_address_and_text_and_never_link_out(sb: Sandbox) -> None:
    case = sb.case
    for ref in ("pg-1", "cap-2", "acc-1", "img-a"):
        html = reader.Reader(case, reader.resolve(case, ref))._repr_html_()
        assert ref in html and not LINK.search(html), ref
    page = reader.page_html(case.page_by_id["pg-1"])
    assert AD in page and "2025-01-10" in page and "Apply now." in page
    assert "Message me for jobs abroad." in reader.account_html(case.account_by_id["acc-1"],
                                                                [case.page_by_id["pg-2"]])
    assert "://" not in repr(reader.Reader(case, case.page_by_id["pg-1"]))  # consoles link schemes


def test_search_results_open_their_pages_in_place(sb: Sandbox) -> None:
    results = sb.search("salary")  # sb.search remembers the case: results can show the full page
    html = reader.results_html(results)
    assert "<details>" in html and "Apply now." in html and "pg-1" in html and not LINK.search(html)
    assert "pg-1" in reader.results_text(results) and "://" not in reader.results_text(results)
    assert sb.open(AD + "#x").item.page_id == "pg-1"
