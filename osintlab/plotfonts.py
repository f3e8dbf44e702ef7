"""Fonts for the words on the course's figures (link charts, maps, the cohort report's plots).

matplotlib takes each glyph from the first font of the list that has it (font fallback, matplotlib
>= 3.6), so one figure can carry Latin, Cyrillic, Bengali, Thai, Khmer, Lao and Burmese words
(Debian's fonts-noto-core; DejaVu Sans last, matplotlib's own). The fonts are set for the figures
we build only (`script_fonts()`), never in the process's global rcParams: a global change would
alter every later figure's text sizes.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

PLOT_FONTS = ["Noto Sans", "Noto Sans Bengali", "Noto Sans Thai", "Noto Sans Khmer", "Noto Sans Lao",
              "Noto Sans Myanmar", "DejaVu Sans"]


def script_fonts() -> AbstractContextManager[Any]:
    """A context in which new figures and texts use PLOT_FONTS (`with script_fonts(): ...`).

    Texts keep their fonts after the context ends, so a figure built inside it draws the same later."""
    import matplotlib

    return matplotlib.rc_context({"font.family": PLOT_FONTS})
