"""The field's terms and their approved translations, and the check that catalogues use them.

`osintlab/locale/glossary.yml` lists each English term (with other English forms that mean the
same) and, per language, the accepted forms of its approved translation. Any translated message
whose English uses a term must contain one of the accepted forms: "trafficking in persons" may
not become "smuggling" in one lesson and "trafficking" in another. Accepted forms are stems, so
the case endings of Mongolian or Bengali do not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog

from osintlab.errors import UserError
from osintlab.yamlfile import read_yaml

GLOSSARY = Path(__file__).resolve().parents[1] / "locale" / "glossary.yml"
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)


@dataclass(frozen=True)
class Term:
    english: tuple[str, ...]  # the term and its other English forms
    translations: dict[str, tuple[str, ...]]  # lang -> accepted forms
    note: str = ""

    @property
    def pattern(self) -> re.Pattern[str]:
        words = "|".join(re.escape(e) for e in sorted(self.english, key=len, reverse=True))
        return re.compile(rf"\b(?:{words})(?:s|es)?\b", re.IGNORECASE)


@cache
def terms(path: Path = GLOSSARY) -> tuple[Term, ...]:
    """Every glossary term; a malformed entry raises UserError naming it."""
    data = read_yaml(path) or {}
    out = []
    for i, entry in enumerate(data.get("terms", [])):
        if not isinstance(entry, dict) or not isinstance(entry.get("en"), str):
            raise UserError(f"{path}: terms[{i}] needs an English term under en: (see the other entries).")
        english = (entry["en"], *entry.get("also", []))
        langs = {k: tuple(v) if isinstance(v, list) else (v,) for k, v in entry.items()
                 if k not in ("en", "also", "note")}
        out.append(Term(english, langs, entry.get("note", "")))
    return tuple(out)


def problems(catalog: Catalog, where: str, lang: str) -> list[str]:
    """One sentence per translated message that does not use the approved term."""
    out = []
    for term in terms():
        accepted = term.translations.get(lang)
        if not accepted:
            continue
        for message in catalog:
            if not message.id or message.fuzzy or not message.string:
                continue
            english = " ".join(message.id) if isinstance(message.id, tuple) else message.id
            # code, queries and {placeholders} are never translated
            if not term.pattern.search(_PLACEHOLDER.sub(" ", _CODE_SPAN.sub(" ", english))):
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for string in strings:
                if string and not any(form.lower() in string.lower() for form in accepted):
                    out.append(f"{where}: {english[:50]!r} uses {term.english[0]!r}; its translation must use "
                               f"{' or '.join(repr(a) for a in accepted)}.")
                    break
    return out


def missing(lang: str) -> list[str]:
    """Glossary terms with no approved translation in `lang`."""
    return [t.english[0] for t in terms() if not t.translations.get(lang)]
