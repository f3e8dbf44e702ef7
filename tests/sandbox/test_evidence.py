"""Evidence log: captures keep exact bytes, the hash chain catches tampering, packages verify later."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from osintlab.errors import UserError
from sandbox import Sandbox, open_case
from sandbox.evidence import (
    GENESIS,
    EvidenceLog,
    WarcPackage,
    _entry_hash,
    render_page,
    sha256,
    verify_package,
    verify_warc_package,
)
from tests.sandbox.handmade import build


@pytest.fixture
def sb(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Sandbox:
    world = build(tmp_path_factory.mktemp("w") / "w")
    sb = open_case(world, workdir=tmp_path / "work", analyst="Officer B. Bat")
    sb.capture("https://jobsteppe.example/jobs/office-work-thailand", "job ad with fee")
    sb.capture("acc-1", "recruiter profile")
    sb.capture("img-a", "photo with GPS")
    sb.capture("https://jobsteppe.example/jobs/call-centre-abroad", "deleted ad, from the archive")
    return sb


def _rewrite(log: EvidenceLog, lines: list[str]) -> None:
    log.log_path.write_text("".join(x + "\n" for x in lines), encoding="utf-8")


def test_captures_store_exact_bytes_with_hashes(sb: Sandbox) -> None:
    entries = sb.evidence.entries()
    assert [e["kind"] for e in entries] == ["page", "profile", "image", "capture"]
    assert all(e["analyst"] == "Officer B. Bat" and e["time"].endswith("Z") for e in entries)
    image = entries[2]
    stored = (sb.evidence.root / image["file"]).read_bytes()
    assert stored == sb.case.read_image("img-a") and image["sha256"] == sha256(stored)
    assert image["url"] == "https://jobsteppe.example/jobs/office-work-thailand#img-a"  # where it was seen
    page = entries[0]
    assert (sb.evidence.root / page["file"]).read_bytes() == render_page(sb.case.page_by_id["pg-1"])
    assert entries[3]["source_id"] == "cap-3"  # the deleted page came from its last good capture
    assert json.loads((sb.evidence.root / entries[1]["file"]).read_bytes())["username"] == "bold_recruit"
    assert sb.evidence.verify().ok


def test_evidentiary_copies_are_read_only_and_apart_from_working_copies(sb: Sandbox) -> None:
    item = sb.evidence.entries()[2]
    original = sb.evidence.root / item["file"]
    assert not original.stat().st_mode & 0o222
    work = sb.evidence.working_copy(item["item_id"])
    assert work.parent == sb.evidence.working and work.read_bytes() == original.read_bytes()
    work.write_bytes(b"edited")  # analysing the copy leaves the evidence intact
    assert sb.evidence.verify().ok


def test_custody_events_chain_on(sb: Sandbox) -> None:
    item = sb.evidence.entries()[0]["item_id"]
    sb.evidence.custody(item, "transfer", to="Cybercrime Unit", note="for analysis")
    sb.evidence.custody(item, "analysis", analyst="Analyst D", note="fee indicator confirmed")
    sb.evidence.custody(item, "disposition", note="retained for court")
    frame = sb.evidence.frame()
    assert list(frame["event"])[-3:] == ["transfer", "analysis", "disposition"]
    assert sb.evidence.verify().ok
    with pytest.raises(UserError, match="needs to="):
        sb.evidence.custody(item, "transfer")
    with pytest.raises(UserError, match="unknown"):
        sb.evidence.custody(item, "deleted")
    with pytest.raises(UserError, match="not in"):
        sb.evidence.custody("ev-9999-x", "analysis")


def test_edited_entry_is_detected(sb: Sandbox) -> None:
    lines = sb.evidence.log_path.read_text().splitlines()
    entry = json.loads(lines[1])
    entry["note"] = "nothing important"
    lines[1] = json.dumps(entry, sort_keys=True)
    _rewrite(sb.evidence, lines)
    result = sb.evidence.verify()
    assert not result.ok and any("was edited" in p for p in result.problems)


def test_deleted_and_reordered_entries_are_detected(sb: Sandbox) -> None:
    lines = sb.evidence.log_path.read_text().splitlines()
    _rewrite(sb.evidence, [lines[0], *lines[2:]])
    assert any("deleted or reordered" in p for p in sb.evidence.verify().problems)
    _rewrite(sb.evidence, [lines[1], lines[0], *lines[2:]])
    assert any("does not chain" in p for p in sb.evidence.verify().problems)
    _rewrite(sb.evidence, lines[:-1])  # dropping the last entry keeps the chain but not the head
    assert any("head record" in p for p in sb.evidence.verify().problems)


def test_changed_or_missing_item_is_detected(sb: Sandbox) -> None:
    item = sb.evidence.root / sb.evidence.entries()[2]["file"]
    item.chmod(0o644)
    item.write_bytes(item.read_bytes() + b"x")
    assert any("changed since capture" in p for p in sb.evidence.verify().problems)
    item.unlink()
    assert any("missing" in p for p in sb.evidence.verify().problems)


def test_package_exports_and_verifies_later(sb: Sandbox, tmp_path: Path) -> None:
    pkg = sb.evidence.export_package(tmp_path / "case-42.zip")
    result = verify_package(pkg)
    assert result.ok and result.entries == 4, str(result)
    with zipfile.ZipFile(pkg) as zf:
        names = set(zf.namelist())
        files = {n: zf.read(n) for n in names}
    assert {"log.jsonl", "head.json", "manifest.json"} <= names and sum(n.startswith("items/") for n in names) == 4
    item = next(n for n in names if n.endswith(".jpg"))
    files[item] = files[item][:-1] + b"\x00"
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    assert any(item in p for p in verify_package(tampered).problems)


def test_export_refuses_a_broken_log_and_bad_packages(sb: Sandbox, tmp_path: Path) -> None:
    lines = sb.evidence.log_path.read_text().splitlines()
    _rewrite(sb.evidence, lines[::-1])
    with pytest.raises(UserError, match="fails verification"):
        sb.evidence.export_package(tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()
    (tmp_path / "junk.zip").write_bytes(b"junk")
    with pytest.raises(UserError, match="not an evidence package"):
        verify_package(tmp_path / "junk.zip")


def test_capture_needs_an_analyst_and_a_known_target(tmp_path: Path, sb: Sandbox) -> None:
    log = EvidenceLog(tmp_path / "ev")
    with pytest.raises(UserError, match="analyst is empty"):
        log.capture(sb.case.page_by_id["pg-1"])
    with pytest.raises(UserError, match="not a URL, page_id"):
        sb.capture("nothing-like-this")


def test_damaged_line_is_reported_not_raised(sb: Sandbox) -> None:
    lines = sb.evidence.log_path.read_text().splitlines()
    _rewrite(sb.evidence, [lines[0], "[]", "{not json", *lines[1:]])
    problems = sb.evidence.verify().problems
    assert sum("damaged JSON" in p for p in problems) == 2


def _warc_package(sb: Sandbox) -> WarcPackage:
    package = WarcPackage("Officer B. Bat")
    for page_id in ("pg-1", "pg-2"):
        package.capture(sb.case.page_by_id[page_id])
    return package


def _rechain(log: list[dict[str, object]]) -> None:
    prev = GENESIS
    for entry in log:
        entry["prev_hash"] = prev
        entry["entry_hash"] = prev = _entry_hash(entry)


def test_warc_check_names_missing_and_altered_items_in_the_course_language(sb: Sandbox) -> None:
    from osintlab.i18n import speaking

    package = _warc_package(sb)
    package.records.pop(1)  # E2's capture is gone from the WARC
    package.log[0]["sha256"] = "0" * 64  # E1's hash in the log no longer fits its capture
    _rechain(package.log)  # ... in a log whose chain is intact
    check = verify_warc_package(package.export())
    assert check.items == {"E1": "altered", "E2": "missing"}
    assert "E1 is altered: its capture no longer matches the hash in the custody log" in check.problems
    assert "E2 is missing: the WARC file has no capture for it" in check.problems
    assert "  E1: altered" in str(check)
    with speaking("mn"):
        check = verify_warc_package(package.export())
        shown = str(check)
    assert "E2 алга: WARC файлд түүний хуулбар байхгүй" in check.problems
    assert "  E1: өөрчлөгдсөн (altered)" in shown and "  E2: алга (missing)" in shown  # the code stays
    assert check.items == {"E1": "altered", "E2": "missing"}  # the values an answer holds never change
    with speaking("bn"):
        assert "E1 বদলানো হয়েছে" in verify_warc_package(package.export()).problems[-2]
