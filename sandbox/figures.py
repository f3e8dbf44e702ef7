"""Labels a trainee can read on the sandbox's figures (link charts, maps): wrapped, on a white
box, never cut by the edge of the plot, and moved apart where they would overlap (adjustText).

`label_problems(fig)` lists what would make a figure hard to read (a label outside the picture,
two labels on top of each other); the tests hold every figure to it.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

LABEL_BOX = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}


def wrap_label(text: str, width: int = 18, lines: int = 3) -> str:
    """A long label on at most `lines` lines of `width` characters (long ids are broken, and cut
    with "…" past the last line: the full id stays in the chart's tables). A word is broken only
    between the letters a reader sees (`cut_points`), never inside a Bengali conjunct or a Khmer
    subscript, and never between a letter and its vowel sign or mark."""
    wrapped = _LabelWrapper(width=width, break_long_words=True, break_on_hyphens=False).wrap(str(text)) or [""]
    if len(wrapped) > lines:
        cuts = cut_points(wrapped[lines - 1])
        keep = max((cut for cut in cuts if cut <= width - 1), default=0)
        wrapped = [*wrapped[: lines - 1], wrapped[lines - 1][:keep] + "…"]
    return "\n".join(wrapped)


_JOINERS = {"\u200c", "\u200d"}  # zero width non-joiner and joiner: they bind the next letter
_PREFIXED_VOWELS = set("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")  # Thai, Lao: typed first


def cut_points(word: str) -> list[int]:
    """Offsets (0 < offset <= len(word)) where `word` may be broken: ICU's grapheme cluster
    boundaries (Unicode UAX #29), except after a virama or Khmer coeng (combining class 9), a
    zero width joiner or non-joiner, or a Thai or Lao vowel written before its consonant: those
    belong to the next letter (Unicode 15.1's rule GB9c keeps Bengali conjuncts whole, but this
    machine's ICU predates it, and the rule leaves Khmer out)."""
    import unicodedata

    import icu  # PyICU, built against the system's libicu

    breaker = icu.BreakIterator.createCharacterInstance(icu.Locale.getRoot())
    breaker.setText(word)
    python_offset = [0]  # ICU counts UTF-16 code units: an emoji or flag letter is two
    for index, char in enumerate(word):
        python_offset += [index + 1] * (2 if ord(char) > 0xFFFF else 1)
    cuts = [python_offset[end] for end in breaker]
    return [cut for cut in cuts if cut == len(word) or not (
        unicodedata.combining(word[cut - 1]) == 9 or word[cut - 1] in _JOINERS or word[cut - 1] in _PREFIXED_VOWELS)]


def _word_breaks(text: str) -> set[int]:
    """Offsets between the words of the Thai, Lao, Khmer and Burmese runs of `text` (ICU's
    dictionaries, as the sandbox's search index splits them); none in other scripts."""
    from sandbox.search.segment import segment

    breaks, offset = set(), 0
    for char in segment(text):
        if offset < len(text) and char == text[offset]:
            offset += 1
        else:  # a word mark segment() added
            breaks.add(offset)
    return breaks


class _LabelWrapper(textwrap.TextWrapper):
    def _handle_long_word(self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int) -> None:
        """Break a word longer than a line at the last cut point that fits (textwrap would cut at
        any character), at a word break of Thai, Lao, Khmer or Burmese text if one fills at least
        half the line; a line with no room for a first piece is ended as it is."""
        chunk = reversed_chunks[-1]
        cuts = cut_points(chunk)
        space_left = 1 if width < 1 else width - cur_len
        fits = [cut for cut in cuts if cut <= space_left]
        breaks = _word_breaks(chunk)
        words = [cut for cut in fits if cut in breaks and cut >= space_left / 2]
        end = words[-1] if words else fits[-1] if fits else 0 if cur_line else cuts[0]
        cur_line.append(chunk[:end])  # even when empty, as textwrap does (it then keeps trailing spaces)
        reversed_chunks[-1] = chunk[end:]


def place_labels(ax: Axes, xs: list[float], ys: list[float], labels: list[str], *, fontsize: float | list[float] = 8,
                 color: str | list[str] = "black", objects: Any = None) -> list[Text]:
    """Write `labels` next to their points and move them apart where they would overlap, with a
    thin line back to the point when a label had to move far. `fontsize` and `color` may be
    given per label."""
    from adjustText import adjust_text

    sizes = fontsize if isinstance(fontsize, list) else [fontsize] * len(labels)
    colours = color if isinstance(color, list) else [color] * len(labels)
    texts = [ax.text(x, y, label, fontsize=size, color=colour, bbox=LABEL_BOX, ha="center", va="center", zorder=5)
             for x, y, label, size, colour in zip(xs, ys, labels, sizes, colours, strict=True)]
    if len(texts) < 2:
        return texts
    # adjustText stops at a layout that depends on the fonts' sizes; where labels still overlap, more
    # passes with a wider margin move them apart (the arrows are drawn by the last pass only).
    margins = ((1.15, 1.4), (1.3, 1.6), (1.5, 1.9))
    for tries, expand in enumerate(margins, start=1):
        _, arrows = adjust_text(texts, x=list(xs), y=list(ys), objects=objects, ax=ax, expand=expand, iter_lim=400,
                                arrowprops={"arrowstyle": "-", "color": "#888888", "lw": 0.5})
        if tries == len(margins) or not _overlaps(texts):
            break
        for arrow in arrows:
            arrow.remove()
    return texts


def _overlaps(texts: list[Text]) -> bool:
    """Whether any two of `texts` overlap (as label_problems counts it)."""
    return bool(_overlapping([t.get_window_extent() for t in texts]))  # the figure's own renderer


def _overlapping(boxes: list[Any], min_overlap_px: float = 4.0) -> list[tuple[int, int]]:
    """Index pairs of `boxes` (display extents) that overlap by more than `min_overlap_px` each way."""
    def apart(a: Any, b: Any) -> bool:
        wide, high = min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
        return wide <= min_overlap_px or high <= min_overlap_px

    return [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes) if i < j and not apart(a, b)]


def pad_axes(ax: Axes, xs: list[float], ys: list[float], share: float = 0.18) -> None:
    """Room around the points, so labels near the edge stay inside the plot."""
    if not xs:
        return
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    ax.set_xlim(min(xs) - share * span_x, max(xs) + share * span_x)
    ax.set_ylim(min(ys) - share * span_y, max(ys) + share * span_y)


def label_problems(fig: Figure, min_overlap_px: float = 4.0) -> list[str]:
    """Labels that a reader could not read: outside the figure, or overlapping another label
    (by more than `min_overlap_px` pixels each way). Draws the figure to measure it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    frame = fig.bbox
    texts = [t for ax in fig.axes for t in ax.texts if t.get_visible() and t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    problems = [f"{text!r} is outside the picture" for text, box in boxes
                if box.x0 < frame.x0 - 1 or box.y0 < frame.y0 - 1 or box.x1 > frame.x1 + 1 or box.y1 > frame.y1 + 1]
    problems += [f"{boxes[i][0]!r} overlaps {boxes[j][0]!r}"
                 for i, j in _overlapping([box for _, box in boxes], min_overlap_px)]
    return problems
