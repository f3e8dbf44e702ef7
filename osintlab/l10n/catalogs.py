"""Gettext catalogues for everything trainees and trainers read, one folder per language.

Three families of catalogue (PO files, edited by translators; templates are rebuilt from the
English sources by `osintlab i18n update`):

- `osintlab/locale/<lang>/LC_MESSAGES/osintlab.po`: messages in Python code (`_()`, `N_()`,
  `ngettext()`, extracted by Babel) and the texts in the YAML data trainees read (exercises,
  indicator names and hints);
- `osintlab/locale/<lang>/LC_MESSAGES/notebooks/<name>.po`: the Markdown of each lesson and lab
  notebook source, one unit per heading, paragraph or table cell (osintlab.l10n.markdown);
- `handbook/locale/<lang>/LC_MESSAGES/<page>.po`: the handbook pages, as Sphinx extracts them.

A language is "shipped" when it is listed in `osintlab/locale/languages.yml`; its catalogues
must then be complete (tests/osintlab/test_l10n.py). Code, ids and operators are never
translated: inline code and `{placeholders}` must come back unchanged in a translation.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_bytes
from osintlab.l10n import markdown
from osintlab.yamlfile import read_yaml

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "osintlab" / "locale"
HANDBOOK_LOCALE = ROOT / "handbook" / "locale"
TEMPLATES = "templates"
LANGUAGES_FILE = LOCALE / "languages.yml"
PROJECT = "osintlab"
# Packages whose `_()` messages are extracted (the ones that exist: all are optional here).
PACKAGES = ("osintlab", "labs", "sandbox", "synthetic_data", "coursekit", "grader", "hub", "handbook")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NP_": ((1, "c"), 2)}
# Python files, and the Jinja templates of a package's templates/ folder (the cohort report, the
# feedback page), whose words are `{{ _("...") }}` calls (Jinja's own Babel extractor).
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2"), ("**/templates/**.j2", "jinja2")]
# YAML data trainees read: file pattern (relative to ROOT) -> keys whose string values are text.
YAML_TEXT = {
    "coursekit/exercises/*.yml": ("title", "task", "text", "why"),
    "synthetic_data/indicators.yml": ("name", "hint"),
    "labs/*/lab.yml": ("title", "objectives"),
    "labs/*/bank*.yml": ("text", "why", "label", "title", "hint", "kinds", "artefacts"),
    "curriculum/map.yml": ("series", "title", "summary", "objectives"),
}
# Handbook pages generated from the course itself (labs, map, commands) are made in each
# language from the translated sources, so they have no catalogue of their own.
HANDBOOK_GENERATED = "handbook/reference/"
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
# argparse's own messages (osintlab.cli.ARGPARSE_MESSAGES) are %-formatted: %(prog)s, %s, %r.
_PERCENT = re.compile(r"%(?:\([a-z_]+\))?[sr]")


# ---------------------------------------------------------------- languages


@dataclass(frozen=True)
class Language:
    code: str  # gettext / CLDR code: mn, bn
    name: str  # English name
    native: str  # its own name, as shown to officers


def languages() -> list[Language]:
    """The shipped languages (osintlab/locale/languages.yml), English not included."""
    if not LANGUAGES_FILE.is_file():
        return []
    data = (read_yaml(LANGUAGES_FILE) or {}).get("shipped") or {}
    return [Language(code, entry["name"], entry["native"]) for code, entry in sorted(data.items())]


def available() -> list[str]:
    """Languages with catalogues (shipped or being translated), English not included."""
    return sorted(p.name for p in LOCALE.iterdir() if p.is_dir() and p.name != TEMPLATES) if LOCALE.is_dir() else []


def require_language(code: str | None) -> str | None:
    """`code` if it is English (None, "en") or has catalogues; else a UserError listing the choices."""
    if code in (None, "", "en"):
        return None
    if code not in available():
        from osintlab.i18n import _

        raise UserError(_("--lang {code} has no translation catalogues: choose en or one of {choices} (a new "
                          "language is a folder of PO files: see the handbook page trainer/translating.md).").format(
            code=repr(code), choices=", ".join(available()) or _("(none yet)")))
    return code


# ---------------------------------------------------------------- sources and domains


def notebook_sources() -> list[Path]:
    """Every lesson and lab notebook source, in course order."""
    from labs import catalogue
    from osintlab.course import lesson_sources

    return [*lesson_sources(), *(spec.source for spec in catalogue.discover())]


def notebook_domain(source: Path) -> str:
    return f"notebooks/{Path(source).stem}"


def po_path(domain: str, lang: str) -> Path:
    """Where the catalogue of `domain` lives for `lang` (TEMPLATES gives the .pot)."""
    if domain.startswith("handbook/"):
        base, name = HANDBOOK_LOCALE, domain.removeprefix("handbook/")
    else:
        base, name = LOCALE, domain
    suffix = ".pot" if lang == TEMPLATES else ".po"
    folder = base / TEMPLATES if lang == TEMPLATES else base / lang / "LC_MESSAGES"
    return folder / f"{name}{suffix}"


def _new_catalog(domain: str, locale: str | None = None) -> Catalog:
    return Catalog(locale=locale, domain=domain.rsplit("/", 1)[-1], project=PROJECT, version="1",
                   copyright_holder="osintlab training team", msgid_bugs_address="",
                   language_team=f"osintlab {locale or 'translators'}", fuzzy=False, charset="utf-8")


# ---------------------------------------------------------------- extraction


def extract_notebook(source: Path) -> Catalog:
    """The Markdown units of one notebook source, located by cell number."""
    import jupytext

    catalog = _new_catalog(notebook_domain(source))
    nb = jupytext.read(source, fmt="md:myst")
    rel = _rel(source)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for unit in markdown.units(cell.source):
            catalog.add(unit.text, locations=[(rel, index)], auto_comments=[f"{unit.kind} in cell {index}"])
    return catalog


def extract_messages() -> Catalog:
    """`_()` messages of the Python packages and the texts of the YAML data."""
    catalog = _new_catalog(PROJECT)
    for package in PACKAGES:
        folder = ROOT / package
        if not folder.is_dir():
            continue
        found = extract_from_dir(str(folder), method_map=METHOD_MAP, keywords=KEYWORDS,
                                 comment_tags=["Translators:"], strip_comment_tags=True)
        for filename, lineno, message, comments, context in found:
            catalog.add(message, locations=[(f"{package}/{filename}", lineno)], auto_comments=comments,
                        context=context, flags=["python-brace-format"] if _has_placeholders(message) else [])
    for pattern, keys in YAML_TEXT.items():
        for path in sorted(ROOT.glob(pattern)):
            for text, where in _yaml_texts(read_yaml(path), keys):
                catalog.add(text, locations=[(_rel(path), 0)], auto_comments=[where])
    return catalog


def _has_placeholders(message: Any) -> bool:
    texts = message if isinstance(message, tuple) else (message,)
    return any(_PLACEHOLDER.search(t) for t in texts if t)


def _yaml_texts(data: Any, keys: tuple[str, ...], path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}" if path else str(key)
            if key in keys and isinstance(value, str) and markdown.worth_translating(value):
                yield value.strip(), here
            elif key in keys and isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                yield from ((v.strip(), f"{here}.{k}") for k, v in value.items() if markdown.worth_translating(v))
            elif key in keys and isinstance(value, list):
                yield from ((v.strip(), f"{here}[{i}]") for i, v in enumerate(value)
                            if isinstance(v, str) and markdown.worth_translating(v))
            else:
                yield from _yaml_texts(value, keys, here)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _yaml_texts(value, keys, f"{path}[{i}]")


def extract_handbook() -> dict[str, Catalog]:
    """One template per handbook page, from Sphinx's own gettext builder (offline, in-process)."""
    from sphinx.cmd.build import build_main

    with tempfile.TemporaryDirectory(prefix="osintlab-gettext-") as tmp:
        args = ["-b", "gettext", "-q", "-d", f"{tmp}/doctrees", str(ROOT / "handbook"), f"{tmp}/pot"]
        if build_main(args) != 0:
            raise UserError("Sphinx could not extract the handbook's messages: run make handbook and fix its errors.")
        out = {}
        for pot in sorted(Path(tmp, "pot").rglob("*.pot")):
            domain = "handbook/" + pot.relative_to(Path(tmp, "pot")).with_suffix("").as_posix()
            if domain.startswith(HANDBOOK_GENERATED):
                continue
            with pot.open("rb") as handle:
                extracted = read_po(handle)
            catalog = _new_catalog(domain)
            for message in extracted:  # code-only table cells and the like are not for translators
                if message.id and markdown.worth_translating(message.id):
                    # Sphinx names the page relative to its output folder: name it from the repository
                    where = [(_rel(Path(tmp, "pot", path.replace("/", os.sep)).resolve()), line)
                             for path, line in message.locations]
                    catalog.add(message.id, locations=where, context=message.context)
            out[domain] = catalog
    return out


def extract_all(*, handbook: bool = True) -> dict[str, Catalog]:
    """domain -> template catalogue, for every family."""
    out = {PROJECT: extract_messages()}
    for source in notebook_sources():
        out[notebook_domain(source)] = extract_notebook(source)
    if handbook:
        out.update(extract_handbook())
    return out


def _rel(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).name


# ---------------------------------------------------------------- reading and writing PO files


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=locale)
    except FileNotFoundError:
        raise UserError(f"catalogue {path} is missing: run osintlab i18n update.") from None
    except Exception as exc:  # Babel raises PoFileError and others for a damaged file
        raise UserError(f"{path} is not a valid PO file ({exc}): fix it in a PO editor.") from None


_VOLATILE = (b'"POT-Creation-Date:', b'"PO-Revision-Date:')


def write_catalog(catalog: Catalog, path: Path) -> bool:
    """Write a PO/POT file atomically, unless only its dates would change (no churn in git).
    Returns whether the file was written."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, omit_header=False, include_previous=False)
    new = buffer.getvalue()
    if path.is_file() and _stable(path.read_bytes()) == _stable(new):
        return False
    atomic_write_bytes(path, new)
    return True


def _stable(data: bytes) -> list[bytes]:
    return [line for line in data.splitlines() if not line.startswith(_VOLATILE)]


def update(langs: Iterable[str], *, handbook: bool = True) -> list[str]:
    """Rebuild the templates and merge them into each language's catalogues.

    New messages arrive untranslated, changed ones fuzzy (the old translation kept for review:
    a fuzzy message is never shown), removed ones obsolete. Returns one line per catalogue written.
    """
    templates = extract_all(handbook=handbook)
    lines = []
    for domain, template in templates.items():
        write_catalog(template, po_path(domain, TEMPLATES))
    for lang in langs:
        for domain, template in templates.items():
            path = po_path(domain, lang)
            catalog = read_catalog(path, lang) if path.is_file() else _new_catalog(domain, lang)
            catalog.update(template, update_header_comment=False, keep_user_comments=True)
            write_catalog(catalog, path)
            lines.append(f"{_rel(path)}: {_counts(catalog)}")
    return lines


def _counts(catalog: Catalog) -> str:
    done, fuzzy, total = stats(catalog)
    return f"{done}/{total} translated, {fuzzy} fuzzy"


def stats(catalog: Catalog) -> tuple[int, int, int]:
    """(translated, fuzzy, total) messages, the header left out."""
    messages = [m for m in catalog if m.id]
    fuzzy = sum(1 for m in messages if m.fuzzy)
    done = sum(1 for m in messages if not m.fuzzy and _translated(m))
    return done, fuzzy, len(messages)


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(s for s in strings)


# ---------------------------------------------------------------- using translations


@cache
def _loaded(path: Path, mtime: float) -> dict[str, str]:
    catalog = read_catalog(path)
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def lookup(domain: str, lang: str | None) -> markdown.Lookup | None:
    """msgid -> translation for `domain` in `lang` (None for English or a missing catalogue)."""
    if not lang or lang == "en":
        return None
    path = po_path(domain, lang)
    if not path.is_file():
        return None
    table = _loaded(path, path.stat().st_mtime)
    return table.get


def notebook_translator(source: Path, lang: str | None, *, with_english: bool = False) -> markdown.Lookup | None:
    """A function translating a notebook's Markdown cells into `lang` (None: English, unchanged).

    `with_english` keeps the English of each translated cell below it, folded (<details>)."""
    table = lookup(notebook_domain(source), lang)
    if table is None:
        return None

    def cell(text: str) -> str:
        translated = markdown.translate(text, table)
        if with_english and translated != text:
            return f"{translated}\n\n<details><summary>English</summary>\n\n{text}\n\n</details>"
        return translated

    return cell


# ---------------------------------------------------------------- checks


def plural_count(lang: str) -> int:
    """How many plural forms CLDR gives `lang` (Mongolian and Bengali 2; Thai, Khmer 1)."""
    return len(Locale.parse(lang).plural_form.tags) + 1  # the tags leave out "other"


def problems(catalog: Catalog, where: str, lang: str, *, complete: bool = True) -> list[str]:
    """One sentence per problem: untranslated or fuzzy (if `complete`), wrong plural count, and
    code, placeholders or table structure that a translation changed."""
    out = []
    expected_plurals = plural_count(lang)
    if catalog.num_plurals != expected_plurals:
        out.append(f"{where}: Plural-Forms has {catalog.num_plurals} forms, CLDR says {lang} has {expected_plurals}.")
    for message in catalog:
        if not message.id:
            continue
        first = message.id[0] if isinstance(message.id, tuple) else message.id
        label = f"{where}: {first[:60]!r}"
        if message.fuzzy and complete:
            out.append(f"{label} is fuzzy: review the translation, then remove the fuzzy flag.")
            continue
        if not _translated(message):
            if complete:
                out.append(f"{label} is not translated.")
            continue
        out += [f"{label}: {p}" for p in _kept_intact(message, expected_plurals)]
        if where.startswith("handbook/") and any(_NUMBERED.match(s) for s in _strings(message)):
            # Sphinx re-parses a translated heading or table cell; "1. ..." becomes a numbered list,
            # the node no longer matches, and the page silently shows the English.
            out.append(f"{label}: starts with a number and a full stop: write it as 1\\. so Sphinx keeps it.")
    return out


_NUMBERED = re.compile(r"\d+\.\s")


def _strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _kept_intact(message: Message, plurals: int) -> list[str]:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    out = []
    if isinstance(message.id, tuple) and len(strings) != plurals:
        out.append(f"has {len(strings)} plural forms, the language needs {plurals}.")
    source = " ".join(ids)
    for string in strings:
        if set(_PLACEHOLDER.findall(string)) != set(_PLACEHOLDER.findall(source)):
            out.append("the {placeholders} differ from the English: keep them exactly.")
        if sorted(_PERCENT.findall(string)) != sorted(_PERCENT.findall(source)):
            out.append("the %(name)s / %s placeholders differ from the English: keep them exactly.")
        if sorted(markdown.code_spans(string)) != sorted(markdown.code_spans(ids[0])):
            out.append("the `code` spans differ from the English: code is never translated.")
    return out
