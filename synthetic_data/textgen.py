"""Templates with slots and planted cues.

A template is plain text with `{slot}` placeholders, filled from the world, and
`[[INDICATOR-ID|cue text]]` markers: the marker disappears from the output and the key
records the indicator with the exact character span of the cue text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from synthetic_data.model import Cue

CUE_MARK = re.compile(r"\[\[([A-Z]+-[A-Z0-9-]+)\|(.*?)\]\]")
SLOT = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True, slots=True)
class Template:
    parts: tuple[tuple[str | None, str], ...]  # (indicator or None, format string)

    def render(self, slots: dict[str, str]) -> tuple[str, list[Cue]]:
        out: list[str] = []
        cues: list[Cue] = []
        pos = 0
        for indicator, fmt in self.parts:
            piece = fmt.format_map(slots) if "{" in fmt else fmt
            if indicator is not None:
                cues.append(Cue(indicator, pos, pos + len(piece), piece))
            out.append(piece)
            pos += len(piece)
        return "".join(out), cues


@lru_cache(maxsize=4096)
def compile_template(text: str) -> Template:
    parts: list[tuple[str | None, str]] = []
    last = 0
    for match in CUE_MARK.finditer(text):
        if match.start() > last:
            parts.append((None, text[last : match.start()]))
        parts.append((match.group(1), match.group(2)))
        last = match.end()
    if last < len(text):
        parts.append((None, text[last:]))
    return Template(tuple(parts))


def indicators_in(text: str) -> list[str]:
    return [m.group(1) for m in CUE_MARK.finditer(text)]


def slots_in(text: str) -> set[str]:
    return set(SLOT.findall(text))


class TextBuilder:
    """Joins rendered pieces into one text, shifting each piece's cues to its offset."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._cues: list[Cue] = []
        self._len = 0

    def add(self, text: str, cues: list[Cue] | None = None, sep: str = " ") -> None:
        if not text:
            return
        if self._parts:
            self._parts.append(sep)
            self._len += len(sep)
        for cue in cues or ():
            self._cues.append(Cue(cue.indicator, cue.start + self._len, cue.end + self._len, cue.text))
        self._parts.append(text)
        self._len += len(text)

    def build(self) -> tuple[str, list[Cue]]:
        return "".join(self._parts), self._cues
