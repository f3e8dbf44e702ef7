"""A lab's brief as a readable page (`lab.show()`): headings, short paragraphs, items as a
numbered table, ads and posts as cards with their id, date and address (as text, never a
link), definitions as a table. Sized for a 1366x768 laptop and a projector; the plain text of
the lab module's `render()` stays available (`lab.show(plain=True)`) for screen readers and print.

The page is built from the exercise's fields by their shape, so a lab needs no HTML of its
own: a text is a section of paragraphs, a dict of texts a numbered table, a dict of records
with a "text" a list of cards, a dict of records with a "name" a table of definitions, a list
of short words a line of labels. Fields that are parameters of the exercise (a date, a list
of codes) are not shown: the brief's text says what they mean. A lab may name its sections
and their order with `BRIEF_SECTIONS = {"field": N_("Heading"), ...}` in its module (translated when shown;
None hides a field that is a parameter).
"""

from __future__ import annotations

import html
from typing import Any

from osintlab.i18n import N_, _

FONT = "font-size:16px;line-height:1.55;color:#1a1a1a;max-width:62em"
H = "font-size:18px;font-weight:bold;margin:1.1em 0 0.4em 0;padding:0;border-bottom:2px solid #d0d4d9"
CARD = ("border:1px solid #c8ccd0;border-radius:6px;padding:0.6em 0.9em;background:#fff;"
        "overflow-wrap:break-word")
META = "color:#4a4f55;font-size:14px"
BADGE = ("display:inline-block;background:#1f4e79;color:#fff;border-radius:4px;padding:0 0.45em;"
         "font-weight:bold;margin-right:0.4em")
TABLE = "border-collapse:collapse;margin:0.3em 0;font-size:15px"
CELL = "border-top:1px solid #e1e4e8;padding:0.35em 0.8em 0.35em 0;vertical-align:top;text-align:left"


def default_sections() -> dict[str, str]:
    """Headings of the fields labs use today, in reading order (translated)."""
    return {"brief": _("Your task"), "you": _("Who is who"), "actions": _("Proposed actions"),
            "setup": _("The set-up to audit"), "categories": _("Kinds of leak"), "indicators": _("Red flags"),
            "ads": _("The ads")}


# Headings of the other fields a brief shows (English: the field's name, capitalised).
FIELD_HEADINGS = {
    "decisions": N_("Decisions"),
    "rules": N_("Rules"),
    "traces": N_("Traces"),
    "targets": N_("Targets"),
    "target_kinds": N_("Target kinds"),
    "operators": N_("Operators"),
    "photos": N_("Photos"),
    "repost_where": N_("Repost where"),
    "street": N_("Street"),
    "events": N_("Events"),
    "stages": N_("Stages"),
    "pages": N_("Pages"),
    "kinds": N_("Kinds"),
    "persons": N_("Persons"),
    "messages": N_("Messages"),
    "payments": N_("Payments"),
    "roles": N_("Roles"),
    "families": N_("Families"),
    "statements": N_("Statements"),
    "typologies": N_("Typologies"),
    "exchanges": N_("Exchanges"),
    "mirrors": N_("Mirrors"),
    "target": N_("Target"),
    "profiles": N_("Profiles"),
    "facts": N_("Facts"),
    "colleague_items": N_("Colleague items"),
    "platform": N_("Platform"),
    "providers": N_("Providers"),
    "needs": N_("Needs"),
    "channels": N_("Channels"),
    "identifiers": N_("Identifiers"),
    "items": N_("Items"),
    "card": N_("Card"),
    "artefacts": N_("Artefacts"),
    "officer": N_("Officer"),
    "handle": N_("Handle"),
    "seed_url": N_("Seed URL"),
    "seed_platform": N_("Seed platform"),
    "seed_address": N_("Seed address"),
    "region": N_("Region"),
    "requesting_country": N_("Requesting country"),
    "board": N_("Board"),
}


def esc(text: Any) -> str:
    return html.escape("" if text is None else str(text))


def _paragraphs(text: str) -> str:
    parts = [p.strip() for p in str(text).split("\n\n") if p.strip()]
    return "".join(f'<p style="margin:0.35em 0">{esc(p)}</p>' for p in parts)


def _items(values: dict[str, str]) -> str:
    rows = "".join(f'<tr><td style="{CELL};white-space:nowrap"><span style="{BADGE}">{esc(k)}</span></td>'
                   f'<td style="{CELL}">{esc(v)}</td></tr>' for k, v in values.items())
    return f'<table style="{TABLE}">{rows}</table>'


def _cards(values: dict[str, dict[str, Any]]) -> str:
    cards = []
    for key, card in values.items():
        meta = " &middot; ".join(esc(card[f]) for f in ("page_id", "published", "url") if card.get(f))
        title = f'<div style="font-weight:bold;margin:0.15em 0">{esc(card["title"])}</div>' if card.get("title") else ""
        cards.append(f'<div style="{CARD}"><div><span style="{BADGE}">{esc(key)}</span>'
                     f'<span style="{META}">{meta}</span></div>{title}'
                     f'<div style="white-space:pre-wrap;font-size:15px">{esc(card.get("text", ""))}</div></div>')
    return ('<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(24em,1fr));gap:0.6em">'
            + "".join(cards) + "</div>")


def _known(text: Any) -> str:
    """A definition's name or hint in the course's language: they are English msgids of the taxonomy
    (indicators.yml); other text comes back as it is ("" stays "", never the catalogue's header)."""
    return _(str(text)) if text else ""


def _definitions(values: dict[str, dict[str, Any]]) -> str:
    rows = "".join(f'<tr><td style="{CELL}"><b>{esc(_known(v.get("name")))}</b><br><code style="font-size:13px">'
                   f'{esc(k)}</code></td><td style="{CELL}">'
                   f'{esc(_known(v.get("hint") or v.get("definition")))}</td></tr>' for k, v in values.items())
    flag, looks = _("red flag (its id)"), _("what it looks like")  # outside the f-string: extracted
    head = f'<tr><th style="{CELL}">{esc(flag)}</th><th style="{CELL}">{esc(looks)}</th></tr>'
    return f'<table style="{TABLE}">{head}{rows}</table>'


def _labels(values: list[str]) -> str:
    return " ".join(f'<code style="font-size:15px;padding:0.1em 0.4em;background:#eef1f4;border-radius:4px">'
                    f"{esc(v)}</code>" for v in values)


def _block(value: Any, named: bool) -> str | None:
    """The HTML of one field by its shape, or None for a parameter that is not shown (a word, a
    date, a list of codes: unless the lab names the field as a section)."""
    if isinstance(value, str):
        return _paragraphs(value) if named or len(value) > 40 else None
    if isinstance(value, dict) and value:
        first = next(iter(value.values()))
        if all(isinstance(v, str) for v in value.values()):
            return _items(value)
        if isinstance(first, dict) and "text" in first:
            return _cards(value)
        if isinstance(first, dict) and "name" in first:
            return _definitions(value)
        return None
    if named and isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return _labels(value)
    return None


def brief_html(exercise: dict[str, Any], sections: dict[str, str | None] | None = None) -> str:
    """The exercise as one HTML page: the named sections first (in order), then any other field
    whose shape is content (a long text, items, cards, definitions)."""
    named = sections or default_sections()
    out = [f'<div class="osintlab-brief" style="{FONT}">']
    if exercise.get("title"):
        out.append(f'<div style="font-size:21px;font-weight:bold;margin:0.2em 0">{esc(exercise["title"])}</div>')
    order = [k for k in named if k in exercise] + [k for k in exercise if k not in named]
    for key in order:
        if key in ("title", "lab") or (key in named and named[key] is None):  # None: a parameter, not shown
            continue
        block = _block(exercise[key], key in named)
        if block is None:
            continue
        heading = _(named[key]) if key in named else (_(FIELD_HEADINGS[key]) if key in FIELD_HEADINGS
                                                      else key.replace("_", " ").capitalize())
        out.append(f'<h3 style="{H}">{esc(heading)}</h3>{block}')
    out.append("</div>")
    return "".join(out)


class Brief:
    """What `lab.show()` displays: HTML in a notebook, the module's plain text elsewhere."""

    def __init__(self, exercise: dict[str, Any], plain: str, sections: dict[str, str | None] | None = None) -> None:
        self.exercise, self.plain, self.sections = exercise, plain, sections

    def _repr_html_(self) -> str:
        return brief_html(self.exercise, self.sections)

    def __repr__(self) -> str:
        return self.plain
