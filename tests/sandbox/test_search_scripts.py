"""Words in the region's scripts: found as a word and as a phrase (issues 12 and 17).

Thai, Lao, Khmer and Burmese are written without spaces between words: the index and
the queries are split by ICU's word break iterator (sandbox/search/segment.py). Mongolian
Cyrillic and Bengali are space-separated but need case folding and one Unicode form
(NFC), whichever form a page or a query was typed in. The sentences are plain job-ad
text written for these tests.
"""

from __future__ import annotations

import unicodedata

import pytest

from sandbox.search import SearchEngine
from sandbox.search.segment import ZWSP, segment
from tests.sandbox.test_search_engine import make_world, page

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
YA = "\u09df"  # Bengali য় as one code point (NFC decomposes it: it is a composition exclusion)
YA_PARTS = "\u09af\u09bc"  # য + nukta

PAGES = [
    page("th", "https://jobs.th.example/ads/1", "รับสมัครพนักงานขายออนไลน์",
         "รับสมัครพนักงานขายออนไลน์ทำงานที่กรุงเทพ เงินเดือนดี มีที่พักให้ ติดต่อคุณสมชาย",
         "2025-01-01T00:00:00Z", lang="th"),
    page("lo", "https://jobs.la.example/ads/2", "ຮັບສະໝັກພະນັກງານ",
         "ຮັບສະໝັກພະນັກງານເຮັດວຽກຢູ່ປະເທດໄທ ເງິນເດືອນດີ", "2025-01-02T00:00:00Z", lang="lo"),
    page("km", "https://jobs.kh.example/ads/3", "ការងារនៅប្រទេសថៃ",
         "ក្រុមហ៊ុនត្រូវការបុគ្គលិកធ្វើការនៅប្រទេសថៃ ប្រាក់ខែល្អ", "2025-01-03T00:00:00Z", lang="km"),
    page("my", "https://jobs.mm.example/ads/4", "အလုပ်ခေါ်စာ",
         "ထိုင်းနိုင်ငံတွင် အလုပ်လုပ်ရန် ဝန်ထမ်းများ ခေါ်ယူနေပါသည်။ လစာကောင်းသည်။", "2025-01-04T00:00:00Z", lang="my"),
    page("mn", "https://jobs.mn.example/ads/5", "Солонгост ажилтан авна",
         NFD("Солонгост ажиллах ажилтан авч байна. Цалин сард 3 сая төгрөг. Өргөдлөө илгээнэ үү."),
         "2025-01-05T00:00:00Z", lang="mn"),
    page("bn", "https://jobs.bd.example/ads/6", "মালয়েশিয়ায় কাজ",
         f"মাল{YA}েশি{YA}া{YA} কাজের জন্য কর্মী নি{YA}োগ চলছে। বেতন ভালো, থাকার ব্যবস্থা আছে।",
         "2025-01-06T00:00:00Z", lang="bn"),
    page("en", "https://jobs.example/ads/7", "Sales job in Bangkok",
         "Ask for Khun สมชาย at the office. Salary 15000 THB.", "2025-01-07T00:00:00Z"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    return SearchEngine(make_world(tmp_path_factory.mktemp("scripts") / "w", PAGES))


def ids(engine: SearchEngine, query: str) -> set[str]:
    return {h.page_id for h in engine.search(query, per_page=100).hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Thai: words inside a run, a phrase across words, the same phrase typed with spaces
        ("พนักงาน", {"th"}),
        ("เงินเดือน", {"th"}),
        ("กรุงเทพ", {"th"}),
        ('"ทำงานที่กรุงเทพ"', {"th"}),
        ('"ทำงาน ที่ กรุงเทพ"', {"th"}),
        ('"กรุงเทพ ทำงาน"', set()),  # the words exist, not in this order
        ("สมชาย", {"th", "en"}),  # a Thai name inside an English page is split the same way
        ("intitle:ออนไลน์", {"th"}),
        # Lao
        ("ພະນັກງານ", {"lo"}),
        ("ເງິນເດືອນ", {"lo"}),
        ('"ເຮັດວຽກຢູ່ປະເທດໄທ"', {"lo"}),
        # Khmer
        ("បុគ្គលិក", {"km"}),
        ("ប្រាក់ខែ", {"km"}),
        ('"ធ្វើការនៅប្រទេសថៃ"', {"km"}),
        # Burmese
        ("ဝန်ထမ်း", {"my"}),
        ("လစာ", {"my"}),
        ('"အလုပ်လုပ်ရန်"', {"my"}),
        # Mongolian Cyrillic: case folding, Өө Үү, й typed decomposed or precomposed
        ("ЦАЛИН", {"mn"}),
        ("өргөдлөө", {"mn"}),
        ("ӨРГӨДЛӨӨ", {"mn"}),
        ("байна", {"mn"}),
        (NFD("байна"), {"mn"}),
        ('"ажилтан авч байна"', {"mn"}),
        (NFD('"АЖИЛТАН АВЧ БАЙНА"'), {"mn"}),
        # Bengali: য় precomposed or decomposed, in the page and in the query
        (f"মাল{YA}েশি{YA}া{YA}", {"bn"}),
        (f"মাল{YA_PARTS}েশি{YA_PARTS}া{YA_PARTS}", {"bn"}),
        ('"কাজের জন্য কর্মী"', {"bn"}),
        (f'"কর্মী নি{YA_PARTS}োগ"', {"bn"}),
        ("বেতন ভালো", {"bn"}),
    ],
)
def test_words_and_phrases_in_each_script(engine: SearchEngine, query: str, expected: set[str]) -> None:
    assert ids(engine, query) == expected


def test_thai_snippets_show_the_text_as_written(engine: SearchEngine) -> None:
    hit = engine.search("เงินเดือน").hits[0]
    assert ZWSP not in hit.snippet and ZWSP not in hit.snippet_html
    assert "ทำงานที่กรุงเทพ เงินเดือนดี" in hit.snippet
    assert [hit.snippet[a:b] for a, b in hit.marks] == ["เงินเดือน"]


def test_wildcard_phrases_in_thai(engine: SearchEngine) -> None:
    assert ids(engine, '"พนักงาน * กรุงเทพ"') == {"th"}


def test_segment_splits_only_the_scripts_without_spaces() -> None:
    assert segment("ทำงานที่กรุงเทพ") == ZWSP.join(["ทำงาน", "ที่", "กรุงเทพ"])
    assert segment("Salary 15000 THB, Цалин, বেতন") == "Salary 15000 THB, Цалин, বেতন"
    assert segment("Khun สมชาย!") == "Khun สมชาย!"
