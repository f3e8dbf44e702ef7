"""Make matplotlib Figures show as pictures in a notebook without importing pyplot.

The tools build `matplotlib.figure.Figure` objects directly (no pyplot: no global figure
state, no double display). IPython renders a Figure only once a PNG formatter is
registered for it, which normally happens as a side effect of importing pyplot; this
registers it on first plot, and does nothing outside IPython.
"""

from __future__ import annotations

import sys

_done = False


def enable_inline_figures() -> None:
    global _done
    if _done or "IPython" not in sys.modules:
        return
    from IPython import get_ipython
    from IPython.core.pylabtools import select_figure_formats

    shell = get_ipython()
    if shell is not None:
        select_figure_formats(shell, {"png"})
        _done = True
