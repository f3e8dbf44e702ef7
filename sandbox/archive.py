"""The web archive of a case world: earlier captures of URLs, their text, diffs, recovery.

Like a real web archive it answers by URL (or by domain, listing the URLs it holds): it
does not search text. A deleted page lives on in its last capture with HTTP status 200.
"""

from __future__ import annotations

import difflib
import re
from functools import cached_property
from typing import TYPE_CHECKING

from osintlab.errors import UserError
from osintlab.i18n import _
from synthetic_data.model import Capture, Page

if TYPE_CHECKING:
    import pandas

    from synthetic_data.bundle import Case

CAPTURE_COLUMNS = ["captured", "http_status", "title", "url", "capture_id"]
INDEX_COLUMNS = ["url", "captures", "first", "last", "last_status", "live"]


def normalise_url(url: str) -> str:
    """The key under which web archives file a URL: its SURT form, e.g. `example,jobs)/ad/123`.

    The Wayback Machine and pywb compare URLs by this canonical form (the `surt` package, the
    Internet Archive's own canonicaliser): scheme, `www.`, port 80/443, the `#fragment`, session
    ids and a trailing slash are dropped; host and path are lower-cased; query arguments sorted.
    So `https://www.Jobs.example/ad/7#apply` and `jobs.example/ad/7/` are one URL.
    """
    import surt

    return str(surt.surt(url.strip()))


def url_host(url: str) -> str:
    """The host of a URL (or a bare domain) in lower case, without `www.` and port."""
    bare = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", url.strip())
    host = re.split(r"[/?#]", bare, maxsplit=1)[0].rsplit("@", 1)[-1].split(":")[0]
    return host.casefold().rstrip(".").removeprefix("www.")


class Archive:
    """Captures of one case world, by URL."""

    def __init__(self, case: Case) -> None:
        self.case = case

    @cached_property
    def _by_url(self) -> dict[str, list[Capture]]:
        out: dict[str, list[Capture]] = {}
        for capture in sorted(self.case.archive, key=lambda c: (c.captured, c.capture_id)):
            out.setdefault(normalise_url(capture.url), []).append(capture)
        return out

    @cached_property
    def _by_id(self) -> dict[str, Capture]:
        return {c.capture_id: c for c in self.case.archive}

    @cached_property
    def _live(self) -> dict[str, Page]:
        return {normalise_url(p.url): p for p in self.case.pages if p.status == "live"}

    def _captures(self, url: str) -> list[Capture]:
        if not url or not url.strip():
            raise UserError(_("the archive needs a URL: give the full address, e.g. https://site.example/page."))
        return self._by_url.get(normalise_url(url), [])

    def captures(self, url: str) -> pandas.DataFrame:
        """Every capture of `url`, oldest first (empty if the archive never saw it)."""
        import pandas

        rows = [{"captured": c.captured, "http_status": c.http_status, "title": c.title, "url": c.url,
                 "capture_id": c.capture_id} for c in self._captures(url)]
        return pandas.DataFrame(rows, columns=CAPTURE_COLUMNS)

    def index(self, domain: str) -> pandas.DataFrame:
        """The archived URLs on a domain (and its subdomains), like an archive's URL listing."""
        import pandas

        host = url_host(domain)
        if "." not in host:
            raise UserError(_("domain {domain} is not a domain name: write it like jobs.example.").format(
                domain=repr(domain)))
        live = self._live
        rows = []
        for key, caps in sorted(self._by_url.items(), key=lambda kv: kv[1][-1].url):
            found = url_host(caps[-1].url)
            if found == host or found.endswith("." + host):
                rows.append({"url": caps[-1].url, "captures": len(caps), "first": caps[0].captured,
                             "last": caps[-1].captured, "last_status": caps[-1].http_status, "live": key in live})
        return pandas.DataFrame(rows, columns=INDEX_COLUMNS)

    def get(self, capture_id: str) -> Capture:
        try:
            return self._by_id[capture_id]
        except KeyError:
            raise UserError(_("capture {capture_id} is not in the archive: take a capture_id from "
                              "archive.captures(url).").format(
                capture_id=repr(capture_id))) from None

    def text(self, capture_id: str) -> str:
        """The text of one capture."""
        return self.get(capture_id).text

    def diff(self, older: str, newer: str | None = None) -> str:
        """A readable unified diff of titles and texts (lines - removed, + added) between two
        captures, or between a capture and the live page at its URL when `newer` is None."""
        a = self.get(older)
        if newer is None:
            live = self._live.get(normalise_url(a.url))
            if live is None:
                raise UserError(_("{url} is no longer live: compare two captures, diff(older, newer).").format(
                    url=a.url))
            b_title, b_text, b_name = live.title, live.text, _("live page ({date})").format(date=live.published)
        else:
            b = self.get(newer)
            b_title, b_text, b_name = b.title, b.text, f"{b.captured} ({b.capture_id})"
        before = [f"Title: {a.title}", *a.text.splitlines()]
        after = [f"Title: {b_title}", *b_text.splitlines()]
        lines = difflib.unified_diff(before, after, fromfile=f"{a.captured} ({a.capture_id})", tofile=b_name,
                                     lineterm="")
        out = "\n".join(lines)
        return out or _("The two captures have the same title and text.")

    def recover(self, url: str) -> Capture:
        """The last capture of `url` that had content (HTTP 200): how a deleted page is recovered."""
        good = [c for c in self._captures(url) if c.http_status == 200]
        if not good:
            raise UserError(_("the archive holds no readable capture of {url}: check the URL or list archived URLs "
                              "with archive.index(domain).").format(url=url))
        return good[-1]
