"""The language of a cohort course: what officers read in their notebooks, feedback and cases'
messages, and what the trainer reads in the report and the command output.

    DIR/.osintlab/course.json     {"lang": "mn", ...}: the course's language (absent: English)
    DIR/.osintlab/released.json   {lab: {"hints": ..., "lang": "mn"}}: the language each lab was
                                  released in (absent: English); it never changes under officers

`osintlab cohort init --lang` sets the course's language and `osintlab cohort language` changes it
for the labs released after the change. Every `osintlab cohort` command speaks the course's
language (`use_course_language(DIR)`). Numbers and dates are written by Babel with the language's
CLDR rules (`number`, `percent`, `date_time`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from osintlab.i18n import _, language, set_language

ENGLISH = "en"
STATE = ".osintlab"


def _course_file(course: Path) -> Path:
    return Path(course) / STATE / "course.json"


def course_language(course: Path) -> str:
    """The course's language code ("en" when none was chosen, or for a folder that is no course)."""
    try:
        state = json.loads(_course_file(course).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ENGLISH
    lang = state.get("lang") if isinstance(state, dict) else None
    return str(lang) if lang else ENGLISH


def lab_language(course: Path, lab: str) -> str:
    """The language `lab` was released in ("en" for English); the course's language if not released."""
    path = Path(course) / STATE / "released.json"
    try:
        released = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        released = {}
    if isinstance(released, dict) and lab in released:
        return str(released[lab].get("lang") or ENGLISH)
    return course_language(course)


def checked(lang: str | None) -> str:
    """`lang` as a course stores it ("en", "mn", ...), or one UserError naming the choices."""
    from osintlab.l10n.catalogs import require_language

    return require_language(lang) or ENGLISH


def language_name(lang: str) -> str:
    """The language's own name, as officers know it ("Монгол", "বাংলা", "English")."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(lang).get_display_name(lang)
    except (ValueError, UnknownLocaleError):
        return lang
    return name[:1].upper() + name[1:] if name else lang


def use_course_language(course: Path) -> str:
    """Speak the course's language from here on (English for a folder that is no course yet); returns it."""
    lang = course_language(course)
    set_language(lang)
    return lang


def set_course_language(course: Path, lang: str) -> str:
    """Change the course's language for later releases, reports and feedback; returns the code stored.

    Raises UserError for a language without catalogues or a folder that is not a course."""
    from grader.cohort import course_state, save_state

    lang = checked(lang)
    state = course_state(course)
    state.pop("lang", None)
    if lang != ENGLISH:  # an English course keeps today's course.json, without the key
        state["lang"] = lang
    save_state(course, state)
    return lang


# ---------------------------------------------------------------- numbers and dates (Babel, CLDR)


def _locale() -> str:
    """The current language as Babel knows it (English for a code Babel does not know)."""
    from babel import Locale, UnknownLocaleError

    lang = language() or ENGLISH
    try:
        Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        return ENGLISH
    return lang


def number(value: float, places: int = 2) -> str:
    """A score as the language writes numbers: 6 -> "6", 5.5 -> "5.5" ("৫.৫" in Bengali). English
    keeps the report's own format (Python's "g")."""
    from babel.numbers import format_decimal

    if _locale() == ENGLISH:
        return f"{float(value):g}"
    return format_decimal(round(float(value), places), locale=_locale())


def percent(value: float | None) -> str:
    """A percentage (0-100) rounded to a whole number, by the language's CLDR pattern ("67%", "৬৭%");
    English keeps the report's "67 %". "—" for None."""
    from babel.numbers import format_percent

    if value is None:
        return "—"
    if _locale() == ENGLISH:
        return f"{float(value):.0f} %"
    return format_percent(round(float(value)) / 100, locale=_locale())


def date_time(moment: datetime) -> str:
    """A moment in UTC, as the language writes a long date and a time ("2026 оны 11-р сарын 20, 17:05
    UTC"); English keeps the report's "2026-11-20 17:05 UTC"."""
    from babel.dates import format_date, format_time

    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    if _locale() == ENGLISH:
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return _("{date}, {time} UTC").format(date=format_date(moment, "long", locale=_locale()),
                                         time=format_time(moment, "HH:mm", tzinfo=UTC, locale=_locale()))
