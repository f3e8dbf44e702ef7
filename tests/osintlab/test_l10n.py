"""Translation: Markdown units, catalogue extraction and merging, checks, glossary, and builds
in a language (English stays byte-identical)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from osintlab.course import build_lesson, lesson_sources
from osintlab.errors import UserError
from osintlab.l10n import catalogs, glossary, markdown
from osintlab.nbsource import notebook_text

TEXT = """# Lesson 9. Search

A paragraph with `site:` and
a second line.

- first item
  continued
- [ ] check the `after:` date
  1. nested item

| Operator | Meaning |
|---|---|
| `site:` | pages on a site |

> a quote
> on two lines

```python
print("never translated")
```
Setext title
============
"""


def test_units_are_headings_paragraphs_and_cells_never_code() -> None:
    found = [(u.kind, u.text) for u in markdown.units(TEXT)]
    assert found == [
        ("heading", "Lesson 9. Search"),
        ("paragraph", "A paragraph with `site:` and a second line."),
        ("paragraph", "first item continued"),
        ("paragraph", "check the `after:` date"),
        ("paragraph", "nested item"),
        ("cell", "Operator"), ("cell", "Meaning"), ("cell", "pages on a site"),
        ("paragraph", "a quote on two lines"),
        ("heading", "Setext title"),
    ]


def test_a_translated_table_row_keeps_its_escaped_pipes() -> None:
    text = "| Op | Meaning |\n|---|---|\n| `a \\| b` | write `\\|` for OR |\n"
    out = markdown.translate(text, lambda s: "X " + s)
    assert out.splitlines()[2] == "| `a \\| b` | X write `\\|` for OR |"


def test_nbgrader_markers_are_never_offered_for_translation() -> None:
    text = "=== BEGIN SOLUTION\n\nBEGIN SOLUTION\n\nThe officer's answer.\n\nEND SOLUTION\n"
    assert [u.text for u in markdown.units(text)] == ["=== BEGIN SOLUTION", "The officer's answer."]
    assert markdown.translate(text, lambda s: "X") == "X\n\nBEGIN SOLUTION\n\nX\n\nEND SOLUTION\n"


def test_translation_keeps_markdown_and_code_and_english_is_unchanged() -> None:
    assert markdown.translate(TEXT, lambda s: None) == TEXT
    table = {"first item continued": "нэгдүгээр", "check the `after:` date": "`after:` огноог шалга",
             "Meaning": "Утга", "Setext title": "Гарчиг", "a quote on two lines": "ишлэл"}
    out = markdown.translate(TEXT, table.get)
    assert "- нэгдүгээр\n- [ ] `after:` огноог шалга\n  1. nested item" in out
    assert "| Operator | Утга |" in out and "| `site:` | pages on a site |" in out
    assert "> ишлэл\n" in out and "Гарчиг\n============" in out
    assert 'print("never translated")' in out


def test_notebook_catalogue_has_the_prose_and_no_code() -> None:
    source = lesson_sources()[0]
    catalog = catalogs.extract_notebook(source)
    ids = [m.id for m in catalog if m.id]
    assert "What you will learn" in ids
    assert not any("open_case(" in i or "import " in i for i in ids)
    assert all(m.locations[0][0].startswith("curriculum/") for m in catalog if m.id)


def test_a_lesson_built_in_a_language_translates_prose_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = lesson_sources()[0]
    english = notebook_text(build_lesson(source))
    assert notebook_text(build_lesson(source, "en")) == english  # English is byte-identical
    locale = tmp_path / "locale"
    monkeypatch.setattr(catalogs, "LOCALE", locale)
    catalog = Catalog(locale="mn")
    catalog.add("What you will learn", "Юу сурах вэ")
    catalogs.write_catalog(catalog, catalogs.po_path(catalogs.notebook_domain(source), "mn"))
    nb = build_lesson(source, "mn", with_english=True)
    text = "\n".join(c.source for c in nb.cells)
    assert "## Юу сурах вэ" in text and "<summary>English</summary>" in text
    assert [c.source for c in nb.cells if c.cell_type == "code"] == \
        [c.source for c in build_lesson(source).cells if c.cell_type == "code"]
    assert nb.metadata["osintlab"]["lang"] == "mn"


def _catalog(lang: str, *entries: tuple[object, object], fuzzy: bool = False) -> Catalog:
    catalog = Catalog(locale=lang)
    for msgid, msgstr in entries:
        catalog.add(msgid, msgstr, flags=["fuzzy"] if fuzzy else [])
    return catalog


def test_checks_name_every_kind_of_problem() -> None:
    catalog = _catalog(
        "mn",
        ("Run `lab.show()` first.", "Эхлээд ажиллуул."),  # code span dropped
        ("{n} results for {query}", "{n} үр дүн"),  # placeholder dropped
        ("Not yet", ""),  # untranslated
        (("{n} page", "{n} pages"), ("{n} хуудас",)),  # one plural form where mn has two
    )
    found = "\n".join(catalogs.problems(catalog, "x.po", "mn"))
    assert "`code` spans differ" in found and "{placeholders} differ" in found
    assert "'Not yet' is not translated" in found and "has 1 plural forms, the language needs 2" in found
    assert catalogs.problems(_catalog("mn", ("Hello", "Сайн уу"), fuzzy=True), "x.po", "mn", complete=False) == []
    assert "is fuzzy" in catalogs.problems(_catalog("mn", ("Hello", "Сайн уу"), fuzzy=True), "x.po", "mn")[0]


def test_a_handbook_heading_that_starts_with_a_number_is_flagged() -> None:
    catalog = _catalog("mn", ("1. Report", "1. Тайлан"), ("2. Export", "2\\. Экспорт"))
    found = catalogs.problems(catalog, "handbook/locale/mn/LC_MESSAGES/x.po", "mn")
    assert len(found) == 1 and "'1. Report'" in found[0] and "1\\." in found[0]
    assert catalogs.problems(catalog, "osintlab/locale/mn/LC_MESSAGES/x.po", "mn") == []


def test_plural_forms_follow_cldr() -> None:
    assert catalogs.plural_count("mn") == 2 and catalogs.plural_count("bn") == 2
    assert catalogs.plural_count("th") == 1 and catalogs.plural_count("km") == 1
    assert Catalog(locale="mn").num_plurals == catalogs.plural_count("mn")


def test_glossary_terms_must_use_the_approved_translation() -> None:
    catalog = _catalog("mn", ("Signs of trafficking in persons.", "Хил давуулах шинж."),
                       ("Signs of human trafficking.", "Хүн худалдаалах гэмт хэргийн шинж."))
    found = glossary.problems(catalog, "x.po", "mn")
    assert len(found) == 1 and "'Signs of trafficking in persons.'" in found[0]
    placeholder = _catalog("mn", ("Write to {victim} today.", "Өнөөдөр {victim}-д бич."))
    assert glossary.problems(placeholder, "x.po", "mn") == []  # {victim} is a name, not the term


def test_every_glossary_term_has_mongolian_and_bengali() -> None:
    assert glossary.missing("mn") == [] and glossary.missing("bn") == []


def test_unknown_language_is_one_sentence() -> None:
    with pytest.raises(UserError, match="'xx' has no translation catalogues"):
        catalogs.require_language("xx")
    assert catalogs.require_language("en") is None


def test_update_merges_new_changed_and_removed_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogs, "LOCALE", tmp_path)
    old = _catalog("mn", ("Old text", "Хуучин"), ("Same text", "Адил"))
    path = catalogs.po_path("osintlab", "mn")
    catalogs.write_catalog(old, path)
    template = _catalog(None, ("Same text", ""), ("Old text!", ""), ("New text", ""))  # type: ignore[arg-type]
    monkeypatch.setattr(catalogs, "extract_all", lambda handbook=True: {"osintlab": template})
    catalogs.update(["mn"], handbook=False)
    merged = {m.id: m for m in catalogs.read_catalog(path, "mn") if m.id}
    assert merged["Same text"].string == "Адил" and not merged["Same text"].fuzzy
    assert merged["Old text!"].fuzzy and merged["Old text!"].string == "Хуучин"  # changed: fuzzy, for review
    assert merged["New text"].string == "" or merged["New text"].fuzzy  # never used before review
    assert not catalogs.write_catalog(catalogs.read_catalog(path, "mn"), path)  # no change, no rewrite


@pytest.mark.parametrize("lang", [lang.code for lang in catalogs.languages()])
def test_shipped_languages_are_complete_and_consistent(lang: str) -> None:
    """Every catalogue of a shipped language: 100 % translated, no fuzzy, plurals per CLDR,
    code and placeholders intact, glossary terms used."""
    found = []
    for folder in (catalogs.LOCALE / lang, catalogs.HANDBOOK_LOCALE / lang):
        for path in sorted(folder.rglob("*.po")):
            catalog = catalogs.read_catalog(path, lang)
            found += catalogs.problems(catalog, path.name, lang) + glossary.problems(catalog, path.name, lang)
    assert found == [], f"{len(found)} problems, first: {found[:5]}"


def test_shipped_catalogues_cover_every_source() -> None:
    """A new lesson or lab is in the catalogues of every shipped language (osintlab i18n update)."""
    for lang in catalogs.languages():
        for source in catalogs.notebook_sources():
            template = {m.id for m in catalogs.extract_notebook(source) if m.id}
            path = catalogs.po_path(catalogs.notebook_domain(source), lang.code)
            have = {m.id for m in catalogs.read_catalog(path, lang.code) if m.id and not m.fuzzy}
            assert template <= have, f"{path}: run osintlab i18n update, then translate"


def test_a_kernel_in_a_prepared_course_speaks_its_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from osintlab import i18n

    (tmp_path / i18n.COURSE_FILE).write_text('{"lang": "mn"}', encoding="utf-8")
    lessons = tmp_path / "lessons" / "w1"
    lessons.mkdir(parents=True)
    monkeypatch.chdir(lessons)  # a kernel starts in the notebook's folder
    monkeypatch.delenv(i18n.ENV_LANG, raising=False)
    i18n._course_language.cache_clear()
    assert i18n.language() == "mn"
    monkeypatch.setenv(i18n.ENV_LANG, "bn")
    assert i18n.language() == "bn"
