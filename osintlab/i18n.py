"""Translation of the text trainees and trainers read (gettext catalogues, one folder per language).

Mark every trainee- or trainer-facing string in Python with `_()` (or `ngettext` for counts),
with named placeholders filled in after translation, never an f-string inside the call:

    from osintlab.i18n import _, ngettext
    print(_("{count} results for {query}").format(count=n, query=q))
    print(ngettext("{n} page", "{n} pages", n).format(n=n))

Text kept in data (a lab's bank of items, a label list) is marked `N_("...")` where it is
defined, so it is extracted, and passed through `_()` where it is shown. A short word whose
meaning depends on where it is shown (an answer option's code) is marked `NP_(context, "...")`
and shown with `pgettext(context, ...)` (gettext's msgctxt).

The catalogue is `osintlab/locale/<lang>/LC_MESSAGES/osintlab.po` (osintlab.l10n.catalogs; the
PO file is compiled in memory on first use, so there is no build step). The language is chosen
by `set_language()` or the OSINTLAB_LANG environment variable; with no catalogue for it, the
English text is shown. Code, identifiers, ids and operators are never translated.
"""

from __future__ import annotations

import gettext
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

DOMAIN = "osintlab"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENV_LANG = "OSINTLAB_LANG"

_language: str | None = None


def set_language(lang: str | None) -> None:
    """Use `lang` (e.g. "mn", "bn"; None or "en" for English) for every later message."""
    global _language
    _language = lang or None


def chosen_language() -> str | None:
    """The language set_language() chose, or None when none was chosen (then OSINTLAB_LANG or the
    course decides). Give it back to set_language() to restore the choice after a change."""
    return _language


COURSE_FILE = ".osintlab-course.json"  # written by `osintlab course prepare --lang`: {"lang": ...}


def language() -> str:
    """The language messages are shown in: set_language(), else OSINTLAB_LANG, else the language
    of the practice course the kernel runs in (its .osintlab-course.json), else "en"."""
    return _language or os.environ.get(ENV_LANG) or _course_language(os.getcwd()) or "en"


@cache
def _course_language(start: str) -> str | None:
    import json

    for folder in (Path(start), *Path(start).parents):
        marker = folder / COURSE_FILE
        if marker.is_file():
            try:
                return str(json.loads(marker.read_text(encoding="utf-8")).get("lang") or "") or None
            except (OSError, ValueError, AttributeError):
                return None
    return None


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == "en" or not po.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """`message` in the current language (English when there is no translation)."""
    return _translations(language()).gettext(message)


@contextmanager
def speaking(lang: str | None) -> Iterator[None]:
    """Within the block, messages are in `lang` (None or "en": English); the language before is restored."""
    global _language
    before = _language
    _language = lang or "en"
    try:
        yield
    finally:
        _language = before


def translate(message: str, lang: str | None) -> str:
    """`message` in `lang` (None or "en": unchanged), whatever language is current."""
    return _translations(lang or "en").gettext(message)


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it now (it is translated where shown)."""
    return message


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, as translated for `context` (gettext's msgctxt): for short
    words that mean different things in different places, such as an answer option's code."""
    return _translations(language()).pgettext(context, message)


def NP_(context: str, message: str) -> str:
    """Mark `message` for extraction with its `context`, without translating it now (pgettext shows it)."""
    return message


# Context of the answer options a trainee picks (labs' answer forms): the message is the code the
# answer holds; its translation is the word in the language with the code in brackets.
ANSWER_OPTION = "answer option"


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, by the language's CLDR plural rule."""
    return _translations(language()).ngettext(singular, plural, n)
