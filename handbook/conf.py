"""Sphinx configuration: MyST Markdown, an installed theme, nothing fetched at build time."""

from __future__ import annotations

import sys
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook import refgen  # noqa: E402  (needs the repository on sys.path first)

project = "Online investigation of trafficking and smuggling"
author = "osintlab training team"
copyright = "2026, osintlab training team; synthetic examples only"
language = "en"  # other languages: sphinx-build -D language=mn (python -m handbook.build --lang mn)
# Translations: handbook/locale/<lang>/LC_MESSAGES/<page>.po, one catalogue per page (osintlab i18n update).
locale_dirs = ["locale/"]
gettext_compact = False
gettext_additional_targets: list[str] = []

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence", "deflist", "tasklist"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "README.md", ".gitignore", "locale"]
root_doc = "index"

# Broken cross-references are warnings, and the build turns warnings into errors (-W -n).
nitpicky = True

html_theme = "furo"
HTML_TITLE = "OSINT handbook: trafficking and smuggling"  # translated for the build's language (_generate)
html_title = HTML_TITLE
html_static_path = ["_static"]
html_css_files = ["handbook.css"]
html_show_sourcelink = False
html_copy_source = False


def _generate(app: Sphinx, config: Config) -> None:
    from osintlab.i18n import N_, translate

    refgen.write_generated()
    if config.html_title == HTML_TITLE:  # -D language=... is applied after this file runs: translate here
        config.html_title = translate(N_(HTML_TITLE), config.language)


def setup(app: Sphinx) -> dict[str, bool]:
    app.connect("config-inited", _generate)
    return {"parallel_read_safe": True}
