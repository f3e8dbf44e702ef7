"""Every operator alone and combined, on a small hand-made world whose answers are known."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osintlab.errors import UserError
from sandbox.search import QueryError, SearchEngine
from synthetic_data.bundle import Case, Key, World, write_world
from synthetic_data.model import FORMAT_VERSION, Page


def page(pid: str, url: str, title: str, text: str, published: str, **kw: str) -> Page:
    domain = url.split("/")[2]
    return Page(pid, url, domain, kw.pop("kind", "post"), title, text, published, **kw)  # type: ignore[arg-type]


PAGES = [
    page("ad1", "https://jobs.example/ads/driver-dubai", "Driver wanted in Dubai",
         "Good salary and free visa. Contact the recruiter on Tsahim.", "2025-02-01T10:00:00Z"),
    page("ad2", "https://blog.jobs.example/post/visa-tips", "Visa tips for workers",
         "Work permit and visa help for anyone going abroad.", "2024-06-15T08:00:00Z"),
    page("ad3", "https://careers.example/listing/cook", "Cook needed in Doha",
         "Kitchen work; the employer keeps your passport for safety.", "2025-03-10T00:00:00Z"),
    page("pdf1", "https://news.example/reports/scam-2024.pdf", "Annual report on scam compounds",
         "Workers described debt bondage and confiscated passports.", "2024-12-31T23:59:59Z", filetype="pdf"),
    page("doc1", "https://registry.example/docs/licence.doc", "Licence register",
         "Agency licence number MN-0001 was revoked.", "2023-05-05T00:00:00Z", filetype="doc"),
    page("mn1", "https://social.example/u/bold/1", "Ажил хайж байна",
         "Улаанбаатар хотод ажил олно. Цалин өндөр.", "2025-01-15T00:00:00Z", lang="mn"),
    page("bd1", "https://social.example/u/rahim/2", "বিদেশে চাকরি",
         "ঢাকায় কাজের সুযোগ, বেতন ভালো।", "2025-01-20T00:00:00Z", lang="bn"),
    page("th1", "https://forum.example/t/3", "งาน กรุงเทพ",
         "งานดีเงินดี ที่ กรุงเทพ ติดต่อ", "2025-01-25T00:00:00Z", lang="th"),
    page("fr1", "https://cafe.example/naive", "Résumé café",
         "A naïve résumé written at the café <script>x</script>.", "2022-01-01T00:00:00Z"),
    page("my1", "https://myjobs.example/ads/1", "Driver needed",
         "Truck driver, local work only.", "2025-02-02T00:00:00Z"),
    page("del1", "https://jobs.example/ads/gone", "Driver wanted (removed)",
         "Free visa for drivers to Dubai, deleted later.", "2025-02-03T00:00:00Z", status="deleted"),
]
LIVE = {p.page_id for p in PAGES if p.status == "live"}
SECRET = "zanabazarkeyonly"  # appears only in key/, never in case/


def make_world(root: Path, pages: list[Page] = PAGES) -> Path:
    case = Case(manifest={"format_version": FORMAT_VERSION}, pages=pages)
    return write_world(World(case, Key(truth={"summary": SECRET})), root)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_world(tmp_path_factory.mktemp("search") / "w")


@pytest.fixture(scope="module")
def engine(world: Path) -> SearchEngine:
    return SearchEngine(world)


def ids(engine: SearchEngine, query: str) -> set[str]:
    results = engine.search(query, per_page=100)
    assert results.total == len(results.hits)
    return {h.page_id for h in results.hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # plain words, ANDed, anywhere (title, text, URL), case-insensitive
        ("driver", {"ad1", "my1"}),
        ("DRIVER dubai", {"ad1"}),
        ("driver-dubai", {"ad1"}),  # URL words, punctuation splits them into a phrase
        ("recruit*", {"ad1"}),
        # exact phrase and wildcard phrase
        ('"free visa"', {"ad1"}),
        ('"visa free"', set()),
        ('"salary * visa"', {"ad1"}),  # "salary and free visa"
        ('"good * salary"', set()),  # * is one or more words, never zero
        ('"permit * help"', {"ad2"}),
        ('"contact * on tsahim"', {"ad1"}),
        ('"work permit * help"', {"ad2"}),  # a group of words before the *
        ('"good * and * visa"', {"ad1"}),  # several stars
        ('"free * visa"', set()),
        ('"driver * tsahim"', set()),  # title and text are separate: no phrase spans them
        ('"Улаанбаатар * ажил"', {"mn1"}),
        ('"ঢাকায় * বেতন"', {"bd1"}),
        # OR and |
        ("dubai OR doha", {"ad1", "ad3"}),
        ("dubai | doha", {"ad1", "ad3"}),
        ("work visa OR passport", {"ad2", "ad3"}),  # work AND (visa OR passport)
        # exclusions: term, phrase, group, operator
        ("visa -dubai", {"ad2"}),
        ('visa -"free visa"', {"ad2"}),
        ("work -(permit OR kitchen)", {"my1"}),
        ("visa -site:blog.jobs.example", {"ad1"}),
        ("driver -filetype:html", set()),
        ("work -after:2025", {"ad2"}),
        # site: domain and subdomains, never a lookalike; site:domain/path is a URL prefix
        ("site:jobs.example", {"ad1", "ad2"}),
        ("site:blog.jobs.example", {"ad2"}),
        ("site:jobs.example/ads", {"ad1"}),
        ("site:jobs.example/ads/driver", {"ad1"}),
        ("site:jobs.example/post", set()),  # a URL prefix: blog.jobs.example/post is another host
        ("site:blog.jobs.example/post/visa", {"ad2"}),
        ("site:example filetype:pdf", {"pdf1"}),
        # inurl: intitle: intext:
        ("inurl:listing", {"ad3"}),
        ("intitle:visa", {"ad2"}),
        ('intitle:"visa tips"', {"ad2"}),
        ("intext:dubai", set()),  # Dubai is only in ad1's title
        ("intext:recruiter", {"ad1"}),
        ('intext:"salary * visa"', {"ad1"}),
        ('intitle:"salary * visa"', set()),
        # filetype:
        ("filetype:pdf", {"pdf1"}),
        ("filetype:doc", {"doc1"}),
        ("filetype:html site:social.example", {"mn1", "bd1"}),
        # before: / after: on published (UTC); before: is strict, after: inclusive
        ("after:2025", {"ad1", "ad3", "mn1", "bd1", "th1", "my1"}),
        ("before:2024", {"doc1", "fr1"}),
        ("after:2024-12 before:2025", {"pdf1"}),
        ("after:2024-12-31 before:2025-01-01", {"pdf1"}),
        ("before:2024-12-31 after:2024-12", set()),
        ("after:2025-03-10", {"ad3"}),
        # accents and scripts
        ("cafe resume", {"fr1"}),
        ("CAFÉ", {"fr1"}),
        ("naive", {"fr1"}),
        ("ажил", {"mn1"}),
        ("АЖИЛ Улаанбаатар", {"mn1"}),
        ('"ажил хайж"', {"mn1"}),
        ("কাজের", {"bd1"}),
        ('"ঢাকায় কাজের"', {"bd1"}),
        ("กรุงเทพ", {"th1"}),
        ("งานดีเงินดี", {"th1"}),
        ("เงินดี", {"th1"}),  # ICU word breaks: a word inside a Thai run is found
        ('"เงินดี ที่"', {"th1"}),
        # combinations
        ("(dubai OR doha) -intitle:cook after:2025 site:jobs.example", {"ad1"}),
        ("(site:careers.example OR filetype:pdf) passport*", {"ad3", "pdf1"}),
        ("dubai OR site:registry.example", {"ad1", "doc1"}),
        ('(intitle:driver OR inurl:listing) -"local work" before:2025-03', {"ad1"}),
        ('"free visa" OR "debt bondage"', {"ad1", "pdf1"}),
        ("site:social.example -(ажил OR doha)", {"bd1"}),
        ("after:2025-02 -driver", {"ad3"}),
    ],
)
def test_operator(engine: SearchEngine, query: str, expected: set[str]) -> None:
    assert ids(engine, query) == expected


def test_deleted_pages_are_never_returned(engine: SearchEngine) -> None:
    assert ids(engine, "site:jobs.example/ads/gone") == set()
    assert ids(engine, "deleted later") == set()
    assert ids(engine, "site:example") == LIVE


def test_ranking_puts_title_matches_first(engine: SearchEngine) -> None:
    hits = engine.search("visa").hits
    assert hits[0].page_id == "ad2"
    assert [h.rank for h in hits] == [1, 2]
    assert hits[0].score >= hits[1].score


def test_filter_only_queries_list_newest_first(engine: SearchEngine) -> None:
    hits = engine.search("site:social.example").hits
    assert [h.page_id for h in hits] == ["bd1", "mn1"]


def test_paging_covers_every_result_once(engine: SearchEngine) -> None:
    first = engine.search("site:example", page=1, per_page=4)
    assert first.total == len(LIVE) and first.pages == 3
    seen: list[str] = []
    for number in range(1, 4):
        results = engine.search("site:example", page=number, per_page=4)
        assert [h.rank for h in results.hits] == list(range(4 * number - 3, 4 * number - 3 + len(results.hits)))
        seen += [h.page_id for h in results.hits]
    assert sorted(seen) == sorted(LIVE)
    beyond = engine.search("site:example", page=9, per_page=4)
    assert beyond.hits == [] and beyond.total == len(LIVE)


def test_snippets_highlight_matched_terms(engine: SearchEngine) -> None:
    hit = engine.search('"free visa" recruiter').hits[0]
    assert "<mark>free visa</mark>" in hit.snippet_html
    assert "<mark>recruiter</mark>" in hit.snippet_html
    assert "<mark>" not in hit.snippet and "free visa" in hit.snippet
    assert [hit.snippet[a:b] for a, b in hit.marks] == ["free visa", "recruiter"]


def test_snippets_are_escaped(engine: SearchEngine) -> None:
    hit = engine.search("naive").hits[0]
    assert "&lt;script&gt;" in hit.snippet_html and "<script>" not in hit.snippet_html
    assert "<mark>naïve</mark>" in hit.snippet_html


def test_frame_and_html(engine: SearchEngine) -> None:
    results = engine.search("visa", per_page=1)
    frame = results.frame()
    assert list(frame.columns) == ["rank", "title", "url", "snippet", "published", "page_id", "score"]
    assert frame.iloc[0]["page_id"] == "ad2" and len(frame) == 1
    html = results._repr_html_()
    assert '<a href="https://blog.jobs.example/post/visa-tips"' in html
    assert "<mark>" in html and "page 1 of 2" in html


def test_every_query_is_logged_with_time(world: Path, tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "queries.jsonl"
    engine = SearchEngine(world, log_path=log_file)
    engine.search("visa")
    with pytest.raises(QueryError):
        engine.search("visa before:2025-13")
    engine.search("site:jobs.example", page=2)
    log = engine.log
    assert [e.query for e in log] == ["visa", "visa before:2025-13", "site:jobs.example"]
    assert [e.total for e in log] == [2, 0, 2]
    assert log[0].error is None and "is not a date" in (log[1].error or "")
    assert all(e.time.endswith("Z") and e.time[:2] == "20" for e in log)
    assert [e.time for e in log] == sorted(e.time for e in log)
    lines = [json.loads(x) for x in log_file.read_text(encoding="utf-8").splitlines()]
    assert lines == [e.__dict__ for e in log]


def test_bad_paging_values_are_user_errors(engine: SearchEngine) -> None:
    with pytest.raises(UserError, match="page 0"):
        engine.search("visa", page=0)
    with pytest.raises(UserError, match="per_page 500"):
        engine.search("visa", per_page=500)


def test_the_key_is_never_read(world: Path, tmp_path: Path) -> None:
    copy = make_world(tmp_path / "w")
    assert SECRET in (copy / "key" / "truth.json").read_text()
    (copy / "key" / "truth.json").unlink()  # search works without the key at all
    engine = SearchEngine(copy)
    assert engine.search(SECRET).total == 0
    assert engine.search("visa").total == 2


def test_not_a_world_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not a case world"):
        SearchEngine(tmp_path)


def test_build_and_search_open_no_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    opened: list[object] = []
    real_init = socket.socket.__init__

    def record(self: socket.socket, *args: object, **kwargs: object) -> None:
        opened.append(args)
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "__init__", record)
    engine = SearchEngine(make_world(tmp_path / "w"), log_path=tmp_path / "log.jsonl")
    engine.search('"salary * visa" OR site:news.example after:2024').frame()
    assert opened == []


def test_a_star_stands_for_one_to_eight_words(tmp_path: Path) -> None:
    text = "alpha " + " ".join(f"w{i}" for i in range(1, 10)) + " omega"  # w1..w9: nine words
    world = make_world(tmp_path / "w", [page("g", "https://gap.example/1", "Gap", text, "2025-01-01T00:00:00Z")])
    engine = SearchEngine(world)
    assert engine.search('"alpha * w9"').total == 1  # eight words in between
    assert engine.search('"alpha * omega"').total == 0  # nine
    assert engine.search('"alpha * w2 * omega"').total == 1
    assert engine.search('intitle:"alpha * w9"').total == 0


def test_wildcard_results_survive_paging_and_cache_clearing(engine: SearchEngine) -> None:
    first = [h.page_id for h in engine.search('"salary * visa" OR "permit * help"', per_page=1).hits]
    second = [h.page_id for h in engine.search('"salary * visa" OR "permit * help"', page=2, per_page=1).hits]
    engine.clear_cache()
    again = engine.search('"salary * visa" OR "permit * help"', per_page=10)
    assert sorted(first + second) == sorted(h.page_id for h in again.hits) == ["ad1", "ad2"]


def test_many_wildcard_phrases_in_one_session(engine: SearchEngine) -> None:
    for i in range(70):  # more than the 64 kept: the oldest are dropped between queries, never within one
        query = f'"salary * visa" OR "permit * help" OR "zz{i} * yy"'
        assert engine.search(query).total == 2
