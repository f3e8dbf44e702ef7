"""Notebooks and labs built in the course's languages.

- English: building with lang=None and lang="en" gives the same bytes as the plain source build,
  for every lesson and lab;
- every language with catalogues (shipped or in progress): only prose changes (same cells, ids,
  metadata and code), and every reviewed translation of a notebook shows up in it;
- the texts trainees read that Python makes (exercise files, lab titles, runtime messages,
  handbook cover) are in the extracted catalogue;
- (slow) a lesson and a lab in each language run top to bottom in a fresh kernel, show their
  translated prose, and the kernel speaks the language; `osintlab lab check --lang` passes for
  every lab.

Untranslated text stays English: nothing here fails because a translation is still missing (the
completeness of shipped languages is tests/osintlab/test_l10n.py's job).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nbformat
import pytest

from labs import catalogue, runtime
from labs.notebook import CELL_IDS
from labs.notebook import build as build_lab
from osintlab import i18n
from osintlab.course import LESSON_CELL_IDS, build_lesson, lesson_sources
from osintlab.l10n import catalogs
from osintlab.nbsource import notebook_text, read_source

LANGS = catalogs.available()
LESSONS = lesson_sources()
LABS = catalogue.discover()
# A lesson and a lab run in every language (their catalogues were translated first).
RUN_LESSON = LESSONS[0]
RUN_LAB = "w1-01-passive-active"


def _reviewed(source: Path, lang: str) -> dict[str, str]:
    """msgid -> translation, for the translated and reviewed (not fuzzy) units of a notebook that
    its source has now (a catalogue may hold entries for English not merged yet)."""
    path = catalogs.po_path(catalogs.notebook_domain(source), lang)
    if not path.is_file():
        return {}
    current = {m.id for m in catalogs.extract_notebook(source) if m.id}
    return {m.id: m.string for m in catalogs.read_catalog(path, lang)
            if m.id in current and isinstance(m.string, str) and m.string and not m.fuzzy}


def _shown_in(translation: str, markdown: str) -> bool:
    """Whether a unit's translation is in the Markdown (a table cell escapes its pipes)."""
    return translation in markdown or translation.replace("|", "\\|") in markdown


def _markdown(nb: Any) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.stem)
def test_english_lesson_is_the_source_build_byte_for_byte(source: Path) -> None:
    plain = notebook_text(read_source(source, cell_ids=LESSON_CELL_IDS))
    assert notebook_text(build_lesson(source)) == plain
    assert notebook_text(build_lesson(source, "en")) == plain
    assert notebook_text(build_lesson(source, "en", with_english=True)) == plain


@pytest.mark.parametrize("spec", LABS, ids=lambda s: s.id)
def test_english_lab_is_the_source_build_byte_for_byte(spec: catalogue.LabSpec) -> None:
    plain = notebook_text(read_source(spec.source, cell_ids=CELL_IDS))
    assert notebook_text(build_lab(spec)) == plain
    assert notebook_text(build_lab(spec, "en")) == plain


@pytest.mark.parametrize("lang", LANGS)
def test_a_language_changes_prose_only_and_shows_every_reviewed_translation(lang: str) -> None:
    for source in [*LESSONS, *(s.source for s in LABS)]:
        spec = next((s for s in LABS if s.source == source), None)
        english = build_lab(spec) if spec else build_lesson(source)
        local = build_lab(spec, lang) if spec else build_lesson(source, lang)
        assert [(c.cell_type, c.get("id")) for c in local.cells] == [(c.cell_type, c.get("id")) for c in english.cells]
        for mine, theirs in zip(local.cells, english.cells, strict=True):
            assert mine.metadata == theirs.metadata, source.name  # nbgrader's ids, points, locks
            if mine.cell_type == "code":
                assert mine.source == theirs.source, f"{source.name}: code is never translated"
        assert local.metadata["osintlab"]["lang"] == lang
        text = _markdown(local)
        missing = [t for t in _reviewed(source, lang).values() if not _shown_in(t, text)]
        assert missing == [], f"{source.name} ({lang}): {len(missing)} translations not shown, first {missing[0]!r}"


def test_python_texts_trainees_read_are_extracted() -> None:
    """New trainee-facing texts made in Python or kept in data reach the translators."""
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogs.extract_messages() if m.id}
    expected = [
        "Check: fix these first:",  # the lab runtime
        "Check: {right} of your {given} {unit} are right; {needed} are needed.",
        "# Answer with the form above, or type your answer here.",  # the practice answer stub
        "Part 1: Trainee handbook",  # the handbook's PDF
        "Username sweep",  # a lab module's title
        "the same e-mail address",  # a lab's data, marked N_
        "Mule bank account emptied at one ATM",  # a typology name (synthetic_data, marked N_)
        "the archive needs a URL: give the full address, e.g. https://site.example/page.",  # a sandbox error
        "Read the notes below, change your answer and run the cell again.",  # a lesson's self-check
        "Lab catalogue",  # a generated handbook page
    ]
    assert [e for e in expected if e not in ids] == []
    titles = [spec.title.strip() for spec in LABS]  # lab.yml
    assert [t for t in titles if t not in ids] == []


def test_course_readme_and_answer_stub_follow_the_course_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from osintlab import course

    table = {course.WELCOME: "README in mn", course.PRACTICE_CODE_STUB: "# stub in mn"}
    monkeypatch.setattr(i18n, "_translations", lambda lang: _Table(table if lang == "mn" else {}))
    assert course._in_language("mn", course.WELCOME) == "README in mn"
    assert course._in_language(None, course.WELCOME) == course.WELCOME
    with i18n.speaking("mn"):
        assert i18n._(course.PRACTICE_CODE_STUB) == "# stub in mn"
    assert i18n.language() != "mn"  # restored


class _Table:
    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    def gettext(self, message: str) -> str:
        return self.table.get(message, message)


def test_practice_labs_are_prepared_per_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kernel in Mongolian never reads the brief a kernel in English prepared (and back)."""
    monkeypatch.delenv(i18n.ENV_LANG, raising=False)
    with i18n.speaking("en"):
        assert runtime._language_tag() == ""
    for lang in LANGS:
        with i18n.speaking(lang):
            assert runtime._language_tag().startswith(f"-{lang}-")


# ---------------------------------------------------------------- slow: run them in a kernel


def _run(nb: Any, tmp_path: Path, env: dict[str, str]) -> Any:
    from nbclient import NotebookClient

    from tests.curriculum.test_lessons import NETWORK_GUARD

    nb.cells.insert(0, nbformat.v4.new_code_cell(NETWORK_GUARD))
    nb.cells.append(nbformat.v4.new_code_cell("import osintlab.i18n as _i18n; print('LANG=' + _i18n.language())"))
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env={**os.environ, **env})
    return nb


def _errors(nb: Any) -> list[str]:
    return [f"{o.get('ename')}: {o.get('evalue')}" for c in nb.cells if c.cell_type == "code"
            for o in c.outputs if o.output_type == "error"]


def _shown_text(nb: Any) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts += [str(v) for k, v in out.get("data", {}).items() if k.startswith("text/")]
    return "\n".join(parts)


def _english_left(shown: str, lang: str) -> list[str]:
    """Messages of the Python catalogue that are translated into `lang` but were shown in English."""
    path = catalogs.po_path(catalogs.PROJECT, lang)
    # Python's own messages only: data texts (a red flag's name) also appear inside the world's English pages
    reviewed = [m.id for m in catalogs.read_catalog(path, lang) if isinstance(m.id, str) and isinstance(m.string, str)
                and m.string and not m.fuzzy and m.string != m.id and len(m.id) >= 20 and "{" not in m.id
                and any(str(where).endswith(".py") for where, _line in m.locations)]
    return [m for m in reviewed if m in shown]


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_a_lesson_runs_top_to_bottom_in_a_fresh_kernel_in(lang: str, tmp_path: Path) -> None:
    nb = _run(build_lesson(RUN_LESSON, lang), tmp_path,
              {i18n.ENV_LANG: lang, runtime.ENV_CACHE: str(tmp_path / "cache")})
    assert _errors(nb) == []
    reviewed = _reviewed(RUN_LESSON, lang)
    assert reviewed, f"{RUN_LESSON.name} has no {lang} translation yet"
    assert all(_shown_in(t, _markdown(nb)) for t in reviewed.values())
    shown = _shown_text(nb)
    assert f"LANG={lang}" in shown
    assert _english_left(shown, lang) == []


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_a_lab_runs_top_to_bottom_in_a_fresh_kernel_in(lang: str, tmp_path: Path) -> None:
    spec = catalogue.get(RUN_LAB)
    with i18n.speaking(lang):  # the brief is written in the course's language, as a trainee's kernel does
        out = runtime.prepare(spec.id, int(spec.case["practice_seed"]), tmp_path / "lab")
    nb = _run(build_lab(spec, lang), tmp_path, {i18n.ENV_LANG: lang, runtime.ENV_CASE: str(out / "case"),
                                                runtime.ENV_KEY: str(out / "key")})
    assert _errors(nb) == []
    reviewed = _reviewed(spec.source, lang)
    assert reviewed, f"{spec.id} has no {lang} translation yet"
    assert all(_shown_in(t, _markdown(nb)) for t in reviewed.values())
    shown = _shown_text(nb)
    assert f"LANG={lang}" in shown
    assert _english_left(shown, lang) == []


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("workshop", ["W1", "W2", "W3"])
def test_lab_check_passes_for_every_lab_in(workshop: str, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`osintlab lab check --lang` with real nbgrader: solution full marks, blank 0, half-right
    partial, for the notebooks and briefs built in the language (two labs at a time)."""
    from osintlab.cli import main

    code = main(["lab", "check", workshop, "--lang", lang, "--jobs", "2"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.count(" ok") == sum(1 for s in LABS if f"W{s.data['workshop']}" == workshop)
