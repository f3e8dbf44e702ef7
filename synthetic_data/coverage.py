"""What each country pack covers, in one place for `osintlab world list` and the handbook.

    for row in pack_coverage():
        print(row.code, row.pages_language, row.routes)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from osintlab.i18n import N_, _, ngettext
from synthetic_data.country import CountryPack, list_countries

# Translators: the kind of a route in `osintlab world list` ("2 trafficking routes").
ROUTE_KINDS = {"trafficking": N_("trafficking"), "smuggling": N_("smuggling")}


@dataclass(frozen=True)
class Coverage:
    """One pack: what a world of this country holds and what a lesson may name."""

    code: str
    name: str
    currency: str
    timezone: str
    calling_code: int
    script: str  # ISO 15924 of the native names
    name_style: str  # patronymic | given_family | family_given | given_only
    names: tuple[int, int, int]  # male, female, family name counts
    cities: int
    places: dict[str, int]  # place kind -> count
    pages_language: str  # e.g. "mn (Mongolian)", or "" when every page is in English
    pages_share: float  # share of a world's pages by its people written in that language (about)
    routes: dict[str, int]  # "trafficking" / "smuggling" -> count
    destinations: tuple[str, ...]  # countries the routes lead to (ISO codes, "domestic")
    laws: int
    authorities: tuple[str, ...]  # roles
    faker_locale: str
    avoided_ranges: int


def coverage(pack: CountryPack) -> Coverage:
    """What `pack` covers; the language is the one its worlds write pages in (generator/language.py)."""
    from synthetic_data.generator.language import language_of

    lang = language_of(pack)
    share = 0.0
    if lang is not None:
        share = sum(lang.share.values()) / len(lang.share)
    destinations = sorted({c for r in pack.routes for c in r.to})
    return Coverage(
        code=pack.code,
        name=pack.name,
        currency=pack.currency,
        timezone=pack.timezone,
        calling_code=pack.phone_country_code,
        script=pack.script,
        name_style=pack.name_style,
        names=(len(pack.male), len(pack.female), len(pack.family)),
        cities=len(pack.cities),
        places=dict(sorted(Counter(p.kind for p in pack.places).items())),
        pages_language=f"{lang.code} ({lang.name})" if lang else "",
        pages_share=round(share, 2),
        routes=dict(sorted(Counter(r.kind for r in pack.routes).items())),
        destinations=tuple(destinations),
        laws=len(pack.law),
        authorities=tuple(sorted({a.role for a in pack.authorities})),
        faker_locale=pack.faker_locale,
        avoided_ranges=len(pack.avoid_prefixes),
    )


def pack_coverage() -> list[Coverage]:
    """Every pack's coverage, sorted by code."""
    return [coverage(pack) for pack in list_countries()]


def list_line(row: Coverage) -> str:
    """One line of `osintlab world list`, in the language chosen for messages."""
    if row.pages_language:
        pages = _("pages in {language} and English").format(language=row.pages_language)
    else:
        pages = _("pages in English")
    routes = ", ".join(ngettext("{count} {kind} route", "{count} {kind} routes", n).format(
        count=n, kind=_(ROUTE_KINDS.get(kind, kind))) for kind, n in row.routes.items())
    counts = [
        _("names {male}/{female}/{family} ({script})").format(
            male=row.names[0], female=row.names[1], family=row.names[2], script=row.script),
        ngettext("{count} city", "{count} cities", row.cities).format(count=row.cities),
        ngettext("{count} place", "{count} places", sum(row.places.values())).format(count=sum(row.places.values())),
        routes,
        ngettext("{count} law", "{count} laws", row.laws).format(count=row.laws),
    ]
    return (f"  {row.code}  {row.name:12} {row.currency}  {row.timezone:17} +{row.calling_code:<4} {pages}; "
            + ", ".join(counts))
