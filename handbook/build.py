"""Build the handbook offline: HTML (furo), single-page HTML, PDF (WeasyPrint), link check.

Run `python -m handbook.build` from the repository root (or `make handbook`). Sphinx runs
with warnings as errors and nitpicky references; the built HTML is then checked so that
every local link and anchor resolves and no asset is loaded from the network.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from handbook import linkcheck, refgen
from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_bytes
from osintlab.i18n import N_, _

SRC = Path(__file__).resolve().parent
BUILD = SRC / "_build"


def sphinx(builder: str, out: Path, *extra: str) -> None:
    """One Sphinx build, warnings as errors, broken references reported.

    In-process, so a caller that blocks sockets (the tests) also proves Sphinx is offline.
    """
    from sphinx.cmd.build import build_main

    args = ["-b", builder, "-W", "--keep-going", "-n", "-q", "-d", str(out.parent / f".doctrees-{builder}")]
    if build_main([*args, *extra, str(SRC), str(out)]) != 0:
        raise UserError(f"Sphinx {builder} build failed (warnings are errors): fix the messages above and rebuild.")


def pdf(single: Path, out: Path) -> Path:
    """Render the single-page HTML to PDF with a cover, a table of contents and page numbers."""
    # Sphinx's logging set-up would otherwise print every layout step; missing files still fail.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # Local files only, and a missing asset stops the build instead of vanishing from the PDF.
    offline_fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)

    printable = single / "print.html"
    printable.write_text(_printable(single / "index.html"), encoding="utf-8")
    data = HTML(filename=str(printable), url_fetcher=offline_fetcher).write_pdf(
        stylesheets=[CSS(filename=str(SRC / "pdf.css"))]
    )
    atomic_write_bytes(out, data)
    out.chmod(0o644)  # a file to hand out, not a secret
    return out


PARTS = {  # translated where used (the build runs in the handbook's language)
    "trainee": N_("Part 1: Trainee handbook"),
    "trainer": N_("Part 2: Trainer guide"),
    "reference": N_("Part 3: Reference (generated)"),
}


def _printable(index: Path) -> str:
    """The single-page HTML with a cover, part pages and a contents list with page numbers."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    # Screen navigation (sidebar, search, index links, pilcrows) does not belong on paper.
    selector = "div.sphinxsidebar, div.related, div.footer, link[rel=index], link[rel=search], a.headerlink"
    for chrome in soup.select(selector):
        chrome.decompose()
    _unique_ids(soup)
    body = soup.select_one("div.body") or soup.body
    _mark_parts(soup)
    toc = soup.new_tag("nav", id="pdf-toc")
    toc.append(_tag(soup, "h1", _("Contents")))
    items = soup.new_tag("ul")
    for n, heading in enumerate(body.find_all(["h1", "h2", "h3"])):
        # A fresh id on the heading itself: section ids repeat across pages in singlehtml
        # ("checklist"), and a section can start on the page before its heading.
        anchor = heading.get("id") or f"pdf-h{n}"
        heading["id"] = anchor
        level = {"h1": 1, "h2": 2, "h3": 3}[heading.name]
        li = soup.new_tag("li", attrs={"class": f"toc-{level}"})
        link = _tag(soup, "a", heading.get_text(" ", strip=True))
        link["href"] = f"#{anchor}"
        li.append(link)
        items.append(li)
    toc.append(items)
    cover = soup.new_tag("div", id="pdf-cover")
    cover.append(_tag(soup, "p", refgen_title(), cls="cover-title"))
    cover.append(_tag(soup, "p", _("Trainee handbook and trainer guide"), cls="cover-sub"))
    cover.append(_tag(soup, "p", _("Synthetic examples only: every name, number and address in this book is "
                                   "invented.")))
    body.insert(0, toc)
    body.insert(0, cover)
    return str(soup)


def _unique_ids(soup: Any) -> None:
    """singlehtml repeats section ids across pages ("checklist"); PDF anchors must be unique."""
    seen: set[str] = set()
    for n, element in enumerate(soup.select("[id]")):
        if element["id"] in seen:
            element["id"] = f"{element['id']}-{n}"
        seen.add(element["id"])


def _mark_parts(soup: Any) -> None:
    """Chapter headings get a class; a part title page goes before each part's first chapter."""
    current = None
    for n, marker in enumerate(soup.select('span[id^="document-"]')):
        folder = marker["id"].removeprefix("document-").split("/")[0]
        section = marker.find_next_sibling("section")
        if section is not None and section.find(["h2"]) is not None:
            section.find("h2")["class"] = "chapter"
        if folder != current and folder in PARTS:
            part = _tag(soup, "h1", _(PARTS[folder]), cls="part")
            part["id"] = f"pdf-part-{n}"
            marker.insert_before(part)
            current = folder


def _tag(soup: Any, name: str, text: str, cls: str | None = None) -> Any:
    tag = soup.new_tag(name)
    tag.string = text
    if cls:
        tag["class"] = cls
    return tag


def refgen_title() -> str:
    return _("Online investigation of trafficking in persons and migrant smuggling")


def build(out: Path = BUILD, with_pdf: bool = True, lang: str | None = None) -> dict[str, Path]:
    """Build the handbook in `lang` (None: English) into `out` (other languages: `out/<lang>/`).

    Pages are translated by Sphinx from handbook/locale/<lang>/ (osintlab i18n update); the
    generated reference pages are written in that language from the translated sources."""
    from osintlab.i18n import language, set_language

    before = language()
    set_language(lang)
    try:
        return _build(out / lang if lang else out, with_pdf, ("-D", f"language={lang}") if lang else ())
    finally:
        set_language(None if before == "en" else before)
        if lang:
            refgen.write_generated()  # leave the English reference pages in the source tree


def _build(out: Path, with_pdf: bool, language: Sequence[str]) -> dict[str, Path]:
    refgen.write_generated()
    sphinx("html", out / "html", *language)
    problems = linkcheck.check_tree(out / "html")
    if not with_pdf:
        return _report_links(problems, {"html": out / "html"})
    sphinx("singlehtml", out / "singlehtml", "-D", "html_theme=basic", *language)
    outputs = {"html": out / "html", "pdf": pdf(out / "singlehtml", out / "pdf" / "handbook.pdf")}
    problems += linkcheck.check_tree(out / "singlehtml", "print.html")  # the page the PDF is made of
    return _report_links(problems, outputs)


def _report_links(problems: list[str], outputs: dict[str, Path]) -> dict[str, Path]:
    if problems:
        for line in problems:
            print(f"handbook: {line}", file=sys.stderr)
        raise UserError(f"{len(problems)} broken internal link(s) in the built handbook: fix the pages listed above.")
    return outputs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook.build", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD, help="build directory (default handbook/_build)")
    parser.add_argument("--no-pdf", action="store_true", help="HTML only, for a quick check")
    parser.add_argument("--lang", action="append", default=None,
                        help="en, or a language with catalogues (repeatable; default: English and every shipped one)")
    parser.add_argument("--all-langs", action="store_true",
                        help="English and every language with catalogues, shipped or in progress (make handbook)")
    args = parser.parse_args(argv)
    try:
        from osintlab.l10n.catalogs import available, languages, require_language

        shipped = ["en", *(lang.code for lang in languages())]
        langs = ["en", *available()] if args.all_langs else args.lang or shipped
        for lang in langs:
            outputs = build(args.out, with_pdf=not args.no_pdf, lang=require_language(lang))
            for kind, path in outputs.items():
                print(f"handbook ({lang}): {kind}: {path}")
    except UserError as exc:
        print(f"handbook: error: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
