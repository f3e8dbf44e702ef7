"""Saved copies of dark-web pages, and an onion-address check that runs offline.

Officer safety first: nothing here visits anything. The pages are copies a specialist unit saved
(case/darkweb.jsonl), with the time of saving; links in them are text, never followed. An onion
v3 address carries a checksum (rend-spec-v3 §6: SHA3-256 of ".onion checksum", the key and the
version), so a typo'd "mirror" can be caught with Python's hashlib alone, without any Tor traffic.
A phishing mirror has a valid checksum of its own: only the market's signed list exposes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osintlab.errors import UserError
from osintlab.i18n import _
from synthetic_data.safety import ONION_VERSION, onion_checksum, onion_parts

if TYPE_CHECKING:
    import pandas

    from synthetic_data.bundle import Case


def notice() -> str:
    """The safety notice printed above the saved copies, in the language current when it is called."""
    return _("Saved copies only: nothing is visited. Never open these addresses from an office or personal "
             "device; real dark-web work needs the specialist unit, an authorisation and an approved environment.")


def __getattr__(name: str) -> str:
    # `from sandbox.darkweb import NOTICE` (notebooks released before notice() existed) still works,
    # translated when the notebook imports it, not when the module was first loaded.
    if name == "NOTICE":
        return notice()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_onion(address: str) -> dict[str, Any]:
    """Offline check of a v3 onion address: well formed (56 base32 characters), right version, right
    checksum. Returns {"address", "well_formed", "version_ok", "checksum_ok", "verdict"}."""
    name = address.strip().lower().removeprefix("http://").split("/")[0]
    parts = onion_parts(name)
    if parts is None:
        return {"address": name, "well_formed": False, "version_ok": False, "checksum_ok": False,
                "verdict": _("not a v3 onion address (56 letters a-z and digits 2-7, then .onion)")}
    key, checksum, version = parts
    version_ok = version == ONION_VERSION
    checksum_ok = version_ok and onion_checksum(key) == checksum
    verdict = _("checksum valid: a well-formed address (it may still be a phishing copy)") if checksum_ok else \
        _("checksum WRONG: a mistyped or forged address; Tor would refuse it")
    return {"address": name, "well_formed": True, "version_ok": version_ok, "checksum_ok": checksum_ok,
            "verdict": verdict}


class SavedCopies:
    """The saved dark-web pages of a case."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.by_id = {p.page_id: p for p in case.darkweb}

    def pages(self, kind: str | None = None) -> pandas.DataFrame:
        """page_id, kind, title, url and snapshot time of every saved page (or of one kind)."""
        import pandas

        rows = [{"page_id": p.page_id, "kind": p.kind, "title": p.title, "url": p.url, "snapshot": p.snapshot}
                for p in self.case.darkweb if kind is None or p.kind == kind]
        return pandas.DataFrame(rows, columns=["page_id", "kind", "title", "url", "snapshot"])

    def read(self, page_id: str) -> str:
        """The text of one saved page, with its address and the time it was saved (UTC)."""
        page = self.by_id.get(page_id.strip())
        if page is None:
            raise UserError(_("no saved page {page_id}: copy an id from pages().").format(page_id=page_id))
        saved = _("saved {snapshot}").format(snapshot=page.snapshot)
        return f"{page.url}\n{saved}\n\n{page.title}\n\n{page.text}"
