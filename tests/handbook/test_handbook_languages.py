"""The handbook in every language with catalogues: `make handbook` builds them all, and (slow)
the Mongolian and Bengali PDFs embed every font they use, Cyrillic and Bengali among them, with
no character left without a glyph (no tofu boxes)."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

from handbook import build
from osintlab.l10n import catalogs

ROOT = Path(__file__).resolve().parents[2]
# Per language: the font family of the PDF that must cover its script, and the script's block.
SCRIPTS = {"mn": ("Noto Sans", "[\u0400-\u04ff]"), "bn": ("Noto Sans Bengali", "[\u0980-\u09ff]")}


def test_make_handbook_builds_english_and_every_language_with_catalogues(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "python -m handbook.build --all-langs" in (ROOT / "Makefile").read_text(encoding="utf-8")
    built: list[str | None] = []
    monkeypatch.setattr(build, "build", lambda out, with_pdf, lang: built.append(lang) or {})
    assert build.main(["--all-langs", "--no-pdf"]) == 0
    assert built == [None, *catalogs.available()] and {"mn", "bn"} <= set(built[1:])
    built.clear()
    assert build.main(["--lang", "bn", "--no-pdf"]) == 0 and built == ["bn"]


def test_pdf_font_stack_covers_the_region_scripts() -> None:
    """Every character of a sample sentence per language has a glyph in the handbook's fonts."""
    samples = {"mn": "Хүн худалдаалах гэмт хэрэг", "bn": "মানব পাচার ও অভিবাসী চোরাচালান", "en": "Chain of custody",
               "full-width": "＋９７６ ４０１２３４５６"}  # a phone number as copied from a chat (trainee/footprint)
    fonts = [family for family in _css_fonts() if _font_file(family)]
    assert "Noto Sans" in fonts and "Noto Sans Bengali" in fonts
    for text in samples.values():
        assert _missing(text, fonts) == set()
    assert _missing("\ue000", fonts) == {"\ue000"}  # a private-use character: the check can fail


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["mn", "bn"])
def test_pdf_in_the_language_embeds_its_fonts_and_misses_no_glyph(lang: str, tmp_path: Path) -> None:
    outputs = build.build(tmp_path, with_pdf=True, lang=lang)
    html = (outputs["html"] / "index.html").read_text(encoding="utf-8")
    assert f'lang="{lang}"' in html
    pdf = outputs["pdf"]
    fonts = _pdffonts(pdf)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    families = {_family(name) for name, _embedded in fonts}
    family, script = SCRIPTS[lang]
    assert family in families, families
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert len(re.findall(script, text)) > 1000, "the PDF should be mostly in the language's script"
    assert _missing(text, sorted(families)) == set()


# ---------------------------------------------------------------- helpers


def _css_fonts() -> list[str]:
    css = (ROOT / "handbook" / "pdf.css").read_text(encoding="utf-8")
    stack = re.search(r"html\s*\{[^}]*font-family:([^;]+);", css)
    assert stack, "handbook/pdf.css sets no font-family on html"
    return [f.strip().strip('"') for f in stack.group(1).split(",") if f.strip() not in ("sans-serif", "serif")]


def _pdffonts(pdf: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font of the PDF (poppler-utils' pdffonts)."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        cells = line.split()
        # name, type (one or two words), encoding, emb, sub, uni, object, id
        rows.append((cells[0], cells[-5] == "yes"))
    return rows


def _family(pdf_name: str) -> str:
    """"ABCDEF+Noto-Sans-Bengali-Bold" -> "Noto Sans Bengali" (the family fontconfig knows)."""
    name = pdf_name.split("+", 1)[-1].replace("-", " ")
    name = re.sub(r"\s+(Bold|Italic|Oblique|Regular|Medium|SemiBold|Light)(\s+\w+)*$", "", name)
    return name


@cache
def _font_file(family: str) -> str | None:
    out = subprocess.run(["fc-match", "-f", "%{family}\t%{file}", family], capture_output=True, text=True).stdout
    found, _tab, path = out.partition("\t")
    return path if family in found.split(",") else None


@cache
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=0, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _missing(text: str, families: list[str]) -> set[str]:
    """Characters of `text` that none of `families` has a glyph for (spaces and controls aside)."""
    covered: set[int] = set()
    for family in families:
        path = _font_file(family)
        assert path, f"font {family} is not installed (fonts-noto-core, fonts-dejavu-core: scripts/setup.sh)"
        covered |= _cmap(path)
    ignorable = {"Cc", "Cf", "Zs", "Zl", "Zp"}
    import unicodedata

    return {c for c in set(text) if ord(c) not in covered and unicodedata.category(c) not in ignorable}
