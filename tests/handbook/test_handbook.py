"""The handbook: curriculum map validation, generated reference pages, content, safety of
example identifiers, the internal link check, and (slow) the full offline HTML + PDF build."""

from __future__ import annotations

import ipaddress
import re
import shlex
from pathlib import Path

import phonenumbers
import pytest
import yaml

from handbook import build, linkcheck, refgen
from osintlab.cli import build_parser
from osintlab.errors import UserError

HANDBOOK = refgen.ROOT / "handbook"
CHAPTERS = {
    "trainee/phases": "investigation phases (Berkeley Protocol)",
    "trainee/law-ethics": "law, ethics, data protection, victims' rights",
    "trainee/opsec": "OPSEC checklist and research personas",
    "trainee/search": "search operator cheat sheet",
    "trainee/indicators": "trafficking and smuggling indicators",
    "trainee/footprint": "digital footprint pivots",
    "trainee/images": "images: metadata, reverse search, geolocation",
    "trainee/social-media": "social media and messengers",
    "trainee/timelines": "timelines across time zones and web archives",
    "trainee/networks": "networks and roles, link charts, centrality and its traps",
    "trainee/money": "following the money: rails, statements, cash-out, typologies",
    "trainee/crypto": "crypto tracing, heuristics and their measured error",
    "trainee/darkweb": "dark-web awareness, onion checksums, vendor clues, officer safety",
    "trainee/evidence": "evidence capture, WARC packages and chain of custody",
    "trainee/cooperation": "preservation, mutual legal assistance, 24/7 and emergency requests",
    "trainee/reporting": "reporting for prosecution",
    "trainee/glossary": "glossary",
    "trainer/running": "running the series",
    "trainer/cohort": "cohort workflow commands",
    "trainer/grading": "grading, flags, feedback",
    "trainer/capstone": "grading the capstone case report",
    "trainer/adapting": "adapting to a new country",
}


def _prose_words(text: str) -> int:
    """Words outside headings and code blocks: a chapter of headings only scores near zero."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return len(re.findall(r"[A-Za-z]{2,}", "\n".join(lines)))


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_every_chapter_exists_with_real_content(chapter: str) -> None:
    text = (HANDBOOK / f"{chapter}.md").read_text(encoding="utf-8")
    assert text.startswith("# "), f"{chapter} must start with its title"
    assert _prose_words(text) >= 350, f"{chapter} ({CHAPTERS[chapter]}) is too thin"
    if chapter != "trainee/glossary":
        assert text.count("\n## ") >= 3, f"{chapter} needs sections"
    assert "Draft." not in text


def test_every_chapter_is_in_the_toctree() -> None:
    index = (HANDBOOK / "index.md").read_text(encoding="utf-8")
    for chapter in [*CHAPTERS, "reference/labs", "reference/curriculum-map", "reference/cli"]:
        assert f"\n{chapter}\n" in index


def test_cohort_workflow_documents_every_contract_command() -> None:
    text = (HANDBOOK / "trainer/cohort.md").read_text(encoding="utf-8")
    for command in ("init", "release", "collect", "autograde", "feedback", "report", "export"):
        assert f"osintlab cohort {command} " in text
    assert "{doc}`/reference/cli`" in text, "must point to the generated reference as the truth"


def test_every_query_in_the_cheat_sheet_parses_in_the_sandbox_engine() -> None:
    from sandbox.search import parse_query

    text = (HANDBOOK / "trainee/search.md").read_text(encoding="utf-8")
    queries = [
        re.sub(r"^\d+\.\s+", "", line).strip()
        for block in re.findall(r"```text\n(.*?)```", text, flags=re.S)
        for line in block.splitlines()
    ]
    assert len([q for q in queries if q]) >= 10
    for query in filter(None, queries):
        parse_query(query)  # raises QueryError naming the column if the handbook is wrong


def test_documented_commands_that_exist_parse_with_the_real_cli() -> None:
    """Examples of landed commands must match the parser; planned ones are skipped until they land."""
    parser = build_parser()
    existing = set(refgen.command_paths(parser))
    checked = 0
    for page in sorted(HANDBOOK.glob("train*/*.md")):
        for block in re.findall(r"```sh\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S):
            for line in block.splitlines():
                words = shlex.split(line.split("  #")[0])
                words = ["osintlab", *words[1:]] if words and words[0].endswith("bin/osintlab") else words
                if len(words) < 2 or words[0] != "osintlab" or " ".join(words[:2]) not in existing:
                    continue  # a command group that has not landed yet
                group = " ".join(words[:2])
                if any(p.startswith(group + " ") for p in existing) and " ".join(words[:3]) not in existing:
                    continue  # a subcommand of a landed group that has not landed yet
                try:
                    parser.parse_args(words[1:])
                except SystemExit:
                    pytest.fail(f"{page.name}: documented command does not parse: {line}")
                checked += 1
    assert checked >= 4


# --- curriculum map -------------------------------------------------------------------


def test_curriculum_map_validates_and_covers_three_workshops() -> None:
    curriculum = refgen.load_map()
    assert [w["id"] for w in curriculum["workshops"]] == ["W1", "W2", "W3"]
    for workshop in curriculum["workshops"]:
        assert any(s["kind"] == "lab" for s in workshop["sessions"])
        for session in workshop["sessions"]:
            if "handbook" in session:
                assert (HANDBOOK / f"{session['handbook']}.md").exists(), session["id"]


def _broken_map(tmp_path: Path, change: dict) -> Path:
    data = yaml.safe_load(refgen.MAP_PATH.read_text(encoding="utf-8"))
    data["workshops"][0]["sessions"][1].update(change)
    path = tmp_path / "map.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"minutes": 5}, "field workshops[0].sessions[1].minutes: 5 is less than the minimum of 10"),
        ({"kind": "party"}, "field workshops[0].sessions[1].kind"),
        ({"skills": ["juggling"]}, "field workshops[0].sessions[1].skills[0]"),
        ({"id": "W1.1"}, "W1.1 is used twice"),
        ({"day": 3}, "day 3 is after the workshop's 2 days"),
        ({"kind": "lab", "lab": "w2-09-wrong-workshop", "status": "planned"}, "does not belong to W1"),
    ],
)
def test_broken_map_fails_with_one_sentence_naming_the_field(tmp_path: Path, change: dict, message: str) -> None:
    with pytest.raises(UserError) as info:
        refgen.load_map(_broken_map(tmp_path, change))
    assert message in str(info.value)
    assert str(info.value).count("\n") == 0


def test_map_with_bad_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "map.yml"
    path.write_text("version: 1\nworkshops: [\n  - id: W1\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"map.yml line \d+: invalid YAML"):
        refgen.load_map(path)


def test_lab_without_a_lab_field_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"sessions\[1\]"):
        refgen.load_map(_broken_map(tmp_path, {"kind": "lab"}))


# --- generated reference pages ---------------------------------------------------------


def test_catalogue_lists_every_lab_folder_with_a_lab_yml() -> None:
    folders = sorted(p.parent.name for p in refgen.LABS_DIR.glob("*/lab.yml"))
    page = refgen.render_catalogue(refgen.load_labs(), refgen.load_map())
    for folder in folders:
        assert f"`{folder}`" in page
    if not folders:
        assert "No labs published yet" in page


def test_catalogue_without_labs_says_so_and_lists_planned_ones(tmp_path: Path) -> None:
    page = refgen.render_catalogue(refgen.load_labs(tmp_path), refgen.load_map())
    assert "No labs published yet" in page
    assert "## Planned labs" in page
    assert "`w1-03-search-operators`" in page


def test_catalogue_picks_up_a_new_lab_folder(tmp_path: Path) -> None:
    source = next(refgen.LABS_DIR.glob("*/lab.yml"), None)
    if source is None:
        pytest.skip("no published lab to copy yet")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data.update(id="w3-09-new-lab", workshop=3, title="A brand new lab")
    (tmp_path / "w3-09-new-lab").mkdir()
    (tmp_path / "w3-09-new-lab" / "lab.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    labs = refgen.load_labs(tmp_path)
    page = refgen.render_catalogue(labs, refgen.load_map())
    assert "## W3: Networks, money and evidence" in page
    assert "A brand new lab" in page and "not listed yet" in page
    assert "(published)" not in refgen.render_map(refgen.load_map(), labs).split("## W1")[1].split("## W2")[0]


def test_map_page_marks_published_labs_and_uses_their_minutes(tmp_path: Path) -> None:
    source = next(refgen.LABS_DIR.glob("*/lab.yml"), None)
    if source is None:
        pytest.skip("no published lab to copy yet")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data.update(id="w1-03-search-operators", minutes=90)
    (tmp_path / "w1-03-search-operators").mkdir()
    (tmp_path / "w1-03-search-operators" / "lab.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    page = refgen.render_map(refgen.load_map(), refgen.load_labs(tmp_path))
    row = next(line for line in page.splitlines() if "`w1-03-search-operators`" in line)
    assert "(published)" in row and "| 90 |" in row
    assert "`w1-04-job-ad-triage` (planned)" in page


def test_cli_reference_contains_every_subcommand() -> None:
    parser = build_parser()
    page = refgen.render_cli(parser)
    paths = refgen.command_paths(parser)
    assert "osintlab world generate" in paths
    for path in paths:
        assert f"`{path}`\n" in page, path
        assert f"usage: {path}" in page, path


# --- safe identifiers in the text -------------------------------------------------------

RESERVED_TLDS = (".example", ".test", ".invalid")
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
TEST_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]


def _texts() -> dict[str, str]:
    pages = sorted(HANDBOOK.rglob("*.md"))
    return {str(p.relative_to(HANDBOOK)): p.read_text(encoding="utf-8") for p in pages if "_build" not in p.parts}


def _safe_domain(domain: str) -> bool:
    domain = domain.lower().rstrip(".")
    return domain.endswith(RESERVED_TLDS) or any(domain == d or domain.endswith("." + d) for d in RESERVED_DOMAINS)


def test_every_domain_and_email_in_the_text_is_reserved() -> None:
    for name, text in _texts().items():
        for domain in re.findall(r"[\w.-]+@([\w-]+(?:\.[\w-]+)+)", text):
            assert _safe_domain(domain), f"{name}: e-mail domain {domain}"
        for domain in re.findall(r"https?://([\w.-]+)", text):
            assert _safe_domain(domain), f"{name}: URL host {domain}"
        for domain in re.findall(r"site:([\w.-]+)", text):
            assert _safe_domain(domain), f"{name}: site: {domain}"


def test_every_ip_address_in_the_text_is_a_documentation_address() -> None:
    for name, text in _texts().items():
        for ip in re.findall(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", text):
            address = ipaddress.ip_address(ip)
            assert address.is_loopback or any(address in net for net in TEST_NETS), f"{name}: {ip}"


def test_every_phone_number_in_the_text_is_possible_but_unallocated() -> None:
    found = 0
    for name, text in _texts().items():
        for raw in re.findall(r"\+\d(?:[ -]?\d){7,14}", text):
            number = phonenumbers.parse(raw)
            assert phonenumbers.is_possible_number(number), f"{name}: {raw} is not even possible"
            assert not phonenumbers.is_valid_number(number), f"{name}: {raw} may belong to someone"
            found += 1
    assert found >= 10, "the chapters should show real-looking (synthetic) phone examples"


def test_crypto_addresses_in_the_text_are_testnet() -> None:
    for name, text in _texts().items():
        for address in re.findall(r"\b(?:bc1|tb1|bcrt1)[0-9a-z]{20,}\b", text):
            assert address.startswith(("tb1", "bcrt1")), f"{name}: {address}"


W3_PAGES = ["trainee/networks", "trainee/money", "trainee/crypto", "trainee/darkweb", "trainee/evidence",
            "trainee/cooperation", "trainee/reporting", "trainer/capstone"]


@pytest.mark.parametrize("page", W3_PAGES)
def test_workshop_3_pages_pass_the_world_scanner(page: str) -> None:
    """Onion names, key fingerprints, wallets and phones in the Workshop 3 chapters are synthetic
    by the same rules as a generated world (synthetic_data.safety)."""
    from synthetic_data.safety import scan_text

    assert scan_text(page, (HANDBOOK / f"{page}.md").read_text(encoding="utf-8")) == []


# --- internal link check ------------------------------------------------------------------


def test_linkcheck_finds_broken_files_anchors_and_network_assets(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<a href="b.html#here">ok</a><a href="b.html#gone">bad anchor</a><a href="c.html">bad file</a>'
        '<a href="https://example.org/">link out</a><a href="#top" id="top">self</a>'
        '<script src="https://cdn.example.com/x.js"></script>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<h1 id="here">B</h1>', encoding="utf-8")
    problems = linkcheck.check_tree(tmp_path)
    assert len(problems) == 3
    assert any("broken anchor b.html#gone" in p for p in problems)
    assert any("broken link c.html" in p for p in problems)
    assert any("loads https://cdn.example.com/x.js from the network" in p for p in problems)


# --- the whole build (slow) ------------------------------------------------------------------


@pytest.mark.slow
def test_offline_build_with_warnings_as_errors(tmp_path: Path) -> None:
    """One build (HTML, single page, PDF, link check) with sockets blocked by tests/conftest.py;
    Sphinx and WeasyPrint run in this process, so any network call would fail the build."""
    outputs = build.build(tmp_path)
    _check_html(outputs["html"])
    _check_pdf(outputs["pdf"])


def _check_html(html: Path) -> None:
    for chapter in CHAPTERS:
        assert (html / f"{chapter}.html").exists()
    catalogue = (html / "reference/labs.html").read_text(encoding="utf-8")
    for lab in refgen.LABS_DIR.glob("*/lab.yml"):
        assert lab.parent.name in catalogue
    cli = (html / "reference/cli.html").read_text(encoding="utf-8")
    for path in refgen.command_paths(build_parser()):
        assert path in cli
    assert linkcheck.check_tree(html) == []


def _check_pdf(pdf: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    pages = [page.extract_text() or "" for page in reader.pages]
    total = len(pages)
    assert total >= 30
    assert "Contents" in pages[1]
    assert "Chain of custody" in "".join(pages[1:5]), "the contents (pages 2-5) list the evidence chapter's sections"
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in text, f"page {number} has no page number"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Part 1: Trainee handbook" in titles
    assert any("Б. Болд" in text for text in pages), "Cyrillic text must survive into the PDF"
