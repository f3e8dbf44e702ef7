"""What a notebook's outputs show a trainee: links out, errors. Shared by the lesson, lab and
browser tests."""

from __future__ import annotations

import re
from typing import Any

# An anchor or picture that points outside the notebook: any href but an in-page "#...", any src
# but inline "data:" pictures. JupyterLab turns plain text that starts with a scheme into a link.
OUTSIDE_HTML = re.compile(r"""href\s*=\s*["']?(?!#)|src\s*=\s*["']?(?!data:)""", re.IGNORECASE)
SCHEME = re.compile(r"\b(?:https?|ftp)://", re.IGNORECASE)


def outside_links(cells: list[Any]) -> list[str]:
    """Where outputs would link out: HTML anchors and pictures, and plain text (shown when no
    HTML is given) with a URL scheme that JupyterLab would turn into a link."""
    found = []
    for index, cell in enumerate(cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            html = data.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            if OUTSIDE_HTML.search(html):
                found.append(f"cell {index}: {OUTSIDE_HTML.search(html).group(0)!r} in HTML")
            plain = output.get("text", "") if output.get("output_type") == "stream" else (
                "" if html else data.get("text/plain", ""))
            if output.get("output_type") == "error":
                plain = "\n".join(output.get("traceback", []))
            plain = "".join(plain) if isinstance(plain, list) else plain
            if SCHEME.search(plain):
                found.append(f"cell {index}: {SCHEME.search(plain).group(0)!r} in text")
    return found
