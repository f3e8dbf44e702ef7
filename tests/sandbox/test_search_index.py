"""The index cache: built once beside the case, rebuilt when pages change, atomic, read-only fallback."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from sandbox.search import SearchEngine
from sandbox.search import index as index_mod
from synthetic_data.model import Page
from tests.sandbox.test_search_engine import PAGES, make_world


def test_index_is_cached_beside_the_case_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(tmp_path / "w")
    first = SearchEngine(world)
    assert first.index_path.parent == world / "case" / ".index"
    assert first.index_path.name.startswith("search-") and first.index_path.suffix == ".sqlite"
    built = first.index_path.stat().st_mtime_ns

    def no_rebuild(*_: object) -> None:
        raise AssertionError("the index was rebuilt although the case did not change")

    monkeypatch.setattr(index_mod, "build_index", no_rebuild)
    second = SearchEngine(world / "case")  # the case/ directory works too
    assert second.index_path == first.index_path and second.index_path.stat().st_mtime_ns == built
    assert second.search("visa").total == 2


def test_index_is_rebuilt_when_pages_change(tmp_path: Path) -> None:
    world = make_world(tmp_path / "w")
    old = SearchEngine(world)
    assert old.search("zorigtbaatar").total == 0
    extra = Page("new1", "https://jobs.example/ads/new", "jobs.example", "job_ad", "New ad",
                 "Ask for Zorigtbaatar at the bus terminal.", "2025-04-01T00:00:00Z")
    make_world(tmp_path / "w2", [*PAGES, extra])
    os.replace(tmp_path / "w2" / "case" / "pages.jsonl", world / "case" / "pages.jsonl")
    new = SearchEngine(world)
    assert new.index_path != old.index_path
    assert [h.page_id for h in new.search("zorigtbaatar").hits] == ["new1"]
    assert list((world / "case" / ".index").iterdir()) == [new.index_path]  # stale index removed


def test_build_leaves_no_temporary_files_and_concurrent_opens_agree(tmp_path: Path) -> None:
    world = make_world(tmp_path / "w")
    totals: list[int] = []
    errors: list[BaseException] = []

    def open_and_search() -> None:
        try:
            totals.append(SearchEngine(world).search("site:example").total)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_and_search) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and totals == [10] * 4
    assert [p.name for p in (world / "case" / ".index").iterdir() if not p.name.endswith(".sqlite")] == []


def test_failed_build_leaves_nothing(tmp_path: Path) -> None:
    broken = [*PAGES, Page("bad", "https://x.example/", "x.example", "post", None, "t", "2025")]  # type: ignore[arg-type]
    with pytest.raises(TypeError):  # a title that is not text fails mid-build
        index_mod.build_index(broken, tmp_path / "i" / "search-x.sqlite")
    assert list((tmp_path / "i").iterdir()) == []


def test_read_only_case_falls_back_to_the_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(tmp_path / "w")
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    case = world / "case"
    case.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.geteuid() == 0:  # root ignores permission bits: report the case read-only as a user would see it
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, m: False if Path(p) == case / ".index" else real_access(p, m))
        monkeypatch.setattr(Path, "mkdir", _refuse_mkdir_in(case, Path.mkdir))
    try:
        engine = SearchEngine(world)
        assert engine.index_path.parent == cache / "osintlab" / "search"
        assert engine.search("visa").total == 2
        assert not (case / ".index").exists()
    finally:
        case.chmod(0o755)


def _refuse_mkdir_in(case: Path, real_mkdir):  # type: ignore[no-untyped-def]
    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self == case / ".index":
            raise PermissionError(13, "Permission denied", str(self))
        real_mkdir(self, *args, **kwargs)

    return mkdir


def test_a_read_only_prebuilt_index_is_used(tmp_path: Path) -> None:
    world = make_world(tmp_path / "w")
    built = SearchEngine(world).index_path
    built.chmod(0o444)
    assert SearchEngine(world).search("driver").total == 2
