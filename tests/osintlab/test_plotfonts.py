"""Words on the course's figures are shaped as their script is read (osintlab.plotfonts).

The reference is a real shaper: Pillow's RAQM layout (libraqm + HarfBuzz + FriBiDi) with the same
font file and pixel size. Each word is also drawn with Pillow's BASIC layout (no shaping, as
matplotlib < 3.11 drew it), to show the comparison tells the two apart.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from osintlab.plotfonts import text_layout_engine

PX = 48  # font size in pixels (points at 72 dpi)
# (word, the font that has its script): conjuncts and vowel signs before the consonant (Bengali),
# stacked marks above (Thai), subscript consonants and vowels around the consonant (Khmer)
WORDS = [("ব্যক্তি", "Noto Sans Bengali"), ("কিশোর", "Noto Sans Bengali"), ("কেন্দ্র", "Noto Sans Bengali"),
         ("ป้ายน้ำ", "Noto Sans Thai"), ("ที่นั่น", "Noto Sans Thai"),
         ("ស្ត្រី", "Noto Sans Khmer"), ("ភ្នំពេញ", "Noto Sans Khmer")]
INK = 96  # of 255: a pixel darker than this is part of the glyphs


def _ink(pixels: np.ndarray) -> np.ndarray:
    """The smallest box around the ink of a greyscale image (0 = paper, 255 = ink), as booleans."""
    rows, cols = np.nonzero(pixels > INK)
    return pixels[rows.min():rows.max() + 1, cols.min():cols.max() + 1] > INK


def _matplotlib_word(word: str) -> tuple[np.ndarray, float]:
    """The word's ink as the course's figures draw it (Agg, script_fonts) and its measured width (px)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from osintlab.plotfonts import script_fonts

    with script_fonts():
        fig = Figure(figsize=(12, 2), dpi=72)
        canvas = FigureCanvasAgg(fig)
        text = fig.text(0.02, 0.3, word, fontsize=PX, color="black")
        canvas.draw()
    paper = np.asarray(canvas.buffer_rgba())[..., 0].astype(int)
    return _ink(255 - paper), text.get_window_extent().width


def _pillow_word(word: str, family: str, layout: ImageFont.Layout) -> tuple[np.ndarray, float]:
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    font = ImageFont.truetype(path, PX, layout_engine=layout)
    image = Image.new("L", (900, 150), 0)
    ImageDraw.Draw(image).text((10, 30), word, font=font, fill=255)
    return _ink(np.asarray(image).astype(int)), font.getlength(word)


def _same_shape(drawn: np.ndarray, reference: np.ndarray) -> bool:
    """Same ink box (±2 px each way) and most ink in the same place (intersection over union)."""
    if abs(drawn.shape[0] - reference.shape[0]) > 2 or abs(drawn.shape[1] - reference.shape[1]) > 2:
        return False
    high, wide = max(drawn.shape[0], reference.shape[0]), max(drawn.shape[1], reference.shape[1])
    a, b = np.zeros((high, wide), bool), np.zeros((high, wide), bool)
    a[:drawn.shape[0], :drawn.shape[1]] = drawn
    b[:reference.shape[0], :reference.shape[1]] = reference
    return (a & b).sum() / (a | b).sum() >= 0.6


def test_matplotlib_lays_text_out_with_libraqm() -> None:
    assert text_layout_engine(), "matplotlib < 3.11: no complex text layout (pyproject asks for >= 3.11)"


@pytest.fixture(scope="module")
def raqm() -> None:
    from PIL import features

    if not features.check("raqm"):  # Pillow's wheels bundle it; a build from source may lack it
        pytest.skip("Pillow without libraqm: no reference shaper")


@pytest.mark.parametrize(("word", "family"), WORDS)
def test_a_word_is_drawn_as_a_shaper_lays_it_out(raqm: None, word: str, family: str) -> None:
    drawn, width = _matplotlib_word(word)
    shaped, shaped_width = _pillow_word(word, family, ImageFont.Layout.RAQM)
    unshaped, _ = _pillow_word(word, family, ImageFont.Layout.BASIC)
    assert not _same_shape(unshaped, shaped), "this word looks the same without shaping: it tests nothing"
    assert _same_shape(drawn, shaped), f"{word} is not drawn as HarfBuzz shapes it"
    assert width == pytest.approx(shaped_width, rel=0.03), "the measured width is not the shaped width"


@pytest.mark.parametrize("word", ["ব্যক্তি কি কে", "กรุงเทพฯ น้ำ", "ស្ត្រី ភ្នំពេញ", "আরিফ (Arif)", "Саран Дорж"])
def test_the_measured_box_is_the_box_of_the_drawn_word(word: str) -> None:
    """Labels are kept apart and inside the picture by their measured boxes (sandbox.figures): the
    measured width is the width of the drawn, shaped words (up to the first and last glyphs' side
    bearings), not of letters set one after another."""
    drawn, width = _matplotlib_word(word)
    assert width - 0.2 * PX <= drawn.shape[1] <= width + 2


def test_script_fonts_warns_once_where_matplotlib_cannot_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import ft2font

    from osintlab import plotfonts

    monkeypatch.delattr(ft2font, "__libraqm_version__")
    monkeypatch.setattr(plotfonts, "_warned", False)
    with pytest.warns(UserWarning, match="matplotlib 3.11 or newer"):
        plotfonts.script_fonts()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plotfonts.script_fonts()
