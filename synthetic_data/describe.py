"""A readable summary of a generated world (what `osintlab world describe` prints).

The headings and labels are in the current language (osintlab.i18n); the world's own data (its
scenario, page kinds, payment rails, platform names and domains) stays as generated.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from osintlab.i18n import N_, _
from synthetic_data.bundle import load_case

# What each count of the manifest holds (a count not listed here is shown by its key).
COUNT_LABELS = {
    "platforms": N_("platforms"),
    "accounts": N_("accounts"),
    "pages": N_("pages"),
    "archive_captures": N_("archive captures"),
    "messages": N_("messages"),
    "images": N_("images"),
    "fin_accounts": N_("financial accounts"),
    "transactions": N_("transactions"),
    "places": N_("places"),
    "ledger_transactions": N_("ledger transactions"),
    "darkweb_pages": N_("dark web pages"),
    "sites": N_("sites"),
    "exports": N_("exports"),
}


def _table(rows: list[tuple[str, str]]) -> list[str]:
    """Two columns, the first padded to its widest entry, indented by two spaces."""
    width = max((len(label) for label, _value in rows), default=0)
    return [f"  {label:{width}}  {value}" for label, value in rows]


def describe(path: Path) -> str:
    """The summary of the world in `path` (a world folder or its case/): several lines of text.

    Raises UserError if `path` holds no world (synthetic_data.bundle.load_case)."""
    case = load_case(path)
    m = case.manifest
    kinds = Counter(p.kind for p in case.pages)
    rails = Counter(t.rail for t in case.transactions)
    scenario, period = m["scenario"], m["period"]
    lines = [
        _("World: {folder}").format(folder=case.root.parent if case.root else path),
        _("Scenario: {title} ({id}, {kind})").format(title=scenario["title"], id=scenario["id"], kind=scenario["kind"]),
        # Translators: {origin} and {destination} are country codes, e.g. MN -> CN; {size} is small, medium or large.
        _("Countries: {origin} -> {destination}   size: {size}").format(
            origin=m["countries"]["origin"], destination=m["countries"]["destination"], size=m["size"]),
        _("Period: {first} to {last} (UTC)").format(first=period["first"][:10], last=period["last"][:10]),
        "",
        _("Brief:"),
        f"  {scenario['brief']}",
        "",
        _("Holds:"),
    ]
    lines += _table([(_(COUNT_LABELS[name]) if name in COUNT_LABELS else name.replace("_", " "), f"{count:>7,}")
                     for name, count in m["counts"].items()])
    lines += ["", _("Pages by kind:")]
    lines += _table([(kind, f"{count:>7,}") for kind, count in kinds.most_common()])
    lines += ["", _("Transactions by rail:")]
    lines += _table([(rail, f"{count:>7,}") for rail, count in rails.most_common()])
    lines += ["", _("Platforms:")]
    lines += _table([(p["name"], f"{p['kind']:12} {p['domain']}") for p in m["platforms"]])
    return "\n".join(lines)
