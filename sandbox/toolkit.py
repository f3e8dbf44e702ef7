"""The one object a notebook needs: `sb = open_case(path)` and every tool hangs off it.

Only the trainee-visible case/ is ever read, never key/. Tools are built on first use and
heavy libraries (pandas, matplotlib, ipywidgets, imagehash) load inside them, so
`import sandbox` and the first search stay fast.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osintlab.errors import UserError
from osintlab.i18n import _

if TYPE_CHECKING:
    from sandbox.activity import ActivityLog, Persona
    from sandbox.archive import Archive
    from sandbox.evidence import EvidenceLog
    from sandbox.exports import Exports
    from sandbox.footprint import Footprint
    from sandbox.geo import Gazetteer
    from sandbox.images import ImageTools
    from sandbox.linkchart import LinkChart
    from sandbox.lookup import Lookup
    from sandbox.search import SearchEngine, SearchResults
    from sandbox.widgets import Widgets
    from synthetic_data.bundle import Case


class Sandbox:
    """One case world served offline: search, lookups, archive, images, chart, evidence, widgets."""

    def __init__(self, path: str | Path, *, workdir: str | Path | None = None, analyst: str | None = None) -> None:
        path = Path(path)
        if not path.exists():
            raise UserError(_("{path} does not exist: give the directory of a world made by osintlab world "
                              "generate.").format(path=path))
        self.path = path
        # Evidence goes here (created on first capture). The search log is written to disk
        # only when a workdir is chosen, so opening a case in a lesson leaves no files behind.
        self.workdir = Path(workdir) if workdir is not None else Path.cwd() / "osint-work"
        self._search_log = self.workdir / "search-log.jsonl" if workdir is not None else None
        self.analyst = analyst

    def __repr__(self) -> str:
        return f"<Sandbox {self.path} (work in {self.workdir})>"

    @cached_property
    def engine(self) -> SearchEngine:
        from sandbox import reader
        from sandbox.search import SearchEngine

        engine = SearchEngine(self.path, log_path=self._search_log)
        reader.remember(engine.case_root)  # so its results can open their pages in place
        return engine

    def search(self, query: str, page: int = 1, per_page: int = 10) -> SearchResults:
        """Search the live pages with Google-style operators (see sandbox.search)."""
        return self.engine.search(query, page=page, per_page=per_page)

    @cached_property
    def case(self) -> Case:
        from sandbox import reader
        from synthetic_data.bundle import load_case

        case = load_case(self.path)
        if case.root is not None:
            reader.remember(case.root)
        return case

    @cached_property
    def lookup(self) -> Lookup:
        from sandbox.lookup import Lookup

        return Lookup(self.case)

    @cached_property
    def archive(self) -> Archive:
        from sandbox.archive import Archive

        return Archive(self.case)

    @cached_property
    def images(self) -> ImageTools:
        from sandbox.images import ImageTools

        return ImageTools(self.case)

    @cached_property
    def chart(self) -> LinkChart:
        from sandbox.linkchart import LinkChart

        return LinkChart()

    @cached_property
    def evidence(self) -> EvidenceLog:
        from sandbox.evidence import EvidenceLog

        return EvidenceLog(self.workdir / "evidence", analyst=self.analyst)

    # ------------------------------------------------------------ Workshop 2: digital footprint

    @cached_property
    def activity(self) -> ActivityLog:
        """Every footprint action on this case, loud ones marked (shared by all sandboxes on the case)."""
        from sandbox.activity import log_for

        return log_for(self.case.root)

    @cached_property
    def footprint(self) -> Footprint:
        """Username sweep and registry self-check, logged-out profiles, phone and e-mail pivots."""
        from sandbox.footprint import Footprint

        return Footprint(self.case, self.activity)

    @cached_property
    def persona(self) -> Persona:
        """What a logged-in research persona can do: follow, message, join... Every action is loud."""
        from sandbox.activity import Persona

        return Persona(self.case, self.activity)

    @cached_property
    def exports(self) -> Exports:
        """Chat exports, SMS exports, e-tickets and notes handed to the investigation."""
        from sandbox.exports import Exports

        return Exports(self.case)

    @cached_property
    def places(self) -> Gazetteer:
        """The gazetteer of public places, distances and time zones."""
        from sandbox.geo import Gazetteer

        return Gazetteer(self.case)

    @staticmethod
    def to_utc(shown: str, zone: str | None = None) -> str:
        """A time as a source shows it, in UTC (see sandbox.clock.to_utc)."""
        from sandbox.clock import to_utc

        return to_utc(shown, zone)

    @cached_property
    def widgets(self) -> Widgets:
        from sandbox.widgets import Widgets

        return Widgets(self)

    def page(self, url: str) -> Any:
        """The live page at `url`, or its last archived capture if it was deleted."""
        from sandbox.archive import normalise_url

        wanted = normalise_url(url)
        for page in self.case.pages:
            if normalise_url(page.url) == wanted and page.status == "live":
                return page
        return self.archive.recover(url)

    def open(self, ref: str) -> Any:
        """Read a page, archived capture, profile or image in place, by its id or its address
        (with or without https://, a trailing slash or a #fragment)."""
        from sandbox import reader

        return reader.Reader(self.case, reader.resolve(self.case, ref))

    def capture(self, target: Any, note: str = "", *, analyst: str | None = None) -> dict[str, Any]:
        """Capture into the evidence log: a URL, page_id, account_id, image_id, or a Page/Profile/Capture."""
        if isinstance(target, str):
            target = self._resolve(target)
        return self.evidence.capture(target, analyst=analyst, note=note, case=self.case)

    def _resolve(self, ref: str) -> Any:
        case = self.case
        if ref in case.image_by_id:
            return case.image_by_id[ref]
        if ref in case.page_by_id:
            return case.page_by_id[ref]
        if ref in case.account_by_id:
            return case.account_by_id[ref]
        if "://" in ref or "/" in ref:
            accounts = [a for a in case.accounts if a.url.rstrip("/") == ref.rstrip("/")]
            return accounts[0] if accounts else self.page(ref)
        raise UserError(_("{ref} is not a URL, page_id, account_id or image_id of this case: copy it from a search "
                          "result or lookup table.").format(ref=repr(ref)))


def open_case(path: str | Path, *, workdir: str | Path | None = None, analyst: str | None = None) -> Sandbox:
    """Open a case world (the world directory or its case/) for investigation."""
    return Sandbox(path, workdir=workdir, analyst=analyst)
