"""The HTML exporter of officers' feedback pages: nbgrader's feedback template, in the current language.

nbgrader's `generate_feedback` renders each graded notebook with `GenerateFeedback.exporter_class`
(configured in grader.nbconfig). This exporter uses grader/templates/osintlab-feedback/, a copy of
nbgrader's own feedback template whose words ("Score", "Student's answer", "Comments") go through
`_()`, and whose numbers are written by Babel. In English the page is the one nbgrader writes.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter

from osintlab.i18n import _, language

TEMPLATES = Path(__file__).with_name("templates")
TEMPLATE_NAME = "osintlab-feedback"


def text(message: str) -> str:
    """A translated label for the page, its <, > and & escaped (a translation is text, never markup)."""
    return html.escape(_(message), quote=False)


def number(value: Any) -> str:
    """A score as nbgrader shows it (two decimals at most, at least one: 4.0, 2.5, 3.33), written with
    the language's digits and separators."""
    from babel.numbers import format_decimal

    if language() == "en":  # exactly nbgrader's `value | float | round(2)`
        return str(round(float(value), 2))
    return format_decimal(round(float(value), 2), format="#,##0.0#", locale=language())


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter with `_` and `num` in its templates' globals."""

    def _create_environment(self) -> Any:
        environment = super()._create_environment()
        environment.globals.update(_=text, num=number)
        return environment
