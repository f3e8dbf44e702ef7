"""Fonts for the words on the course's figures (link charts, maps, the cohort report's plots).

matplotlib takes each glyph from the first font of the list that has it (font fallback, matplotlib
>= 3.6), so one figure can carry Latin, Cyrillic, Bengali, Thai, Khmer, Lao and Burmese words
(Debian's fonts-noto-core; DejaVu Sans last, matplotlib's own). The fonts are set for the figures
we build only (`script_fonts()`), never in the process's global rcParams: a global change would
alter every later figure's text sizes.

Complex text layout (shaping) comes from matplotlib itself: since 3.11 it lays every text out with
libraqm and HarfBuzz, bundled in its wheels, for drawing and for measuring alike. So Bengali
conjuncts (ব্যক্তি) and vowel signs written before their consonant (কি, কে), Thai tone marks above
vowel marks and Khmer subscript consonants (ស្ត្រី) are drawn as a reader expects, and a label's
measured box (sandbox.figures) is the box of what is drawn. Older matplotlib drew such words
letter by letter in the order they are typed; `script_fonts()` warns once if it meets one.
No text language or font feature is set on our texts: matplotlib measures a text without them,
so setting them would make the drawn word differ from the measured one.
"""

from __future__ import annotations

import warnings
from contextlib import AbstractContextManager
from typing import Any

PLOT_FONTS = ["Noto Sans", "Noto Sans Bengali", "Noto Sans Thai", "Noto Sans Khmer", "Noto Sans Lao",
              "Noto Sans Myanmar", "DejaVu Sans"]
_warned = False


def text_layout_engine() -> str | None:
    """The libraqm version matplotlib lays text out with ("0.10.5"), or None for a matplotlib
    older than 3.11, which draws Bengali, Thai and Khmer without shaping."""
    from matplotlib import ft2font

    return getattr(ft2font, "__libraqm_version__", None)


def script_fonts() -> AbstractContextManager[Any]:
    """A context in which new figures and texts use PLOT_FONTS (`with script_fonts(): ...`).

    Texts keep their fonts after the context ends, so a figure built inside it draws the same later.
    Warns (UserWarning, once per process) when matplotlib cannot shape text."""
    import matplotlib

    global _warned
    if not _warned and text_layout_engine() is None:
        _warned = True
        warnings.warn(f"matplotlib {matplotlib.__version__} draws Bengali, Thai and Khmer words letter by letter; "
                      "install matplotlib 3.11 or newer (pip install -U matplotlib) to draw them as they are read.",
                      UserWarning, stacklevel=2)
    return matplotlib.rc_context({"font.family": PLOT_FONTS})
