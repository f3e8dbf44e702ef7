"""How the sandbox's objects look in a notebook: figures as pictures, and search results, pages,
captures and profiles as reader views that open in place (sandbox.reader), never as links out.

The tools build `matplotlib.figure.Figure` objects directly (no pyplot: no global figure
state, no double display). IPython renders a Figure only once a PNG formatter is
registered for it, which normally happens as a side effect of importing pyplot; this
registers it on first plot. `install()` registers IPython formatters by type, which IPython
prefers to an object's own `_repr_html_` (so the search engine's link list is replaced here
without changing the engine). Both do nothing outside IPython.
"""

from __future__ import annotations

import sys
from typing import Any

_done = False
_installed = False


def _shell() -> Any:
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    return get_ipython()


def enable_inline_figures() -> None:
    global _done
    shell = _shell()
    if _done or shell is None:
        return
    from IPython.core.pylabtools import select_figure_formats

    select_figure_formats(shell, {"png"})
    _done = True


def _profile_html(profile: Any) -> str:
    from sandbox import reader

    case = None
    for root in reader._roots:
        loaded = reader._load(root)
        if profile.account.account_id in loaded.account_by_id:
            case = loaded
            break
    posts = sorted((p for p in case.pages if p.author == profile.account.account_id and p.status == "live"),
                   key=lambda p: p.published) if case else []
    return reader.account_html(profile.account, posts, profile.platform.name)


def install() -> bool:
    """Register the reader views with this IPython kernel (once). Returns True if installed."""
    global _installed
    shell = _shell()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    if _installed:
        return True
    from sandbox import reader

    html = shell.display_formatter.formatters["text/html"]
    plain = shell.display_formatter.formatters["text/plain"]
    html.for_type_by_name("sandbox.search.results", "SearchResults", reader.results_html)
    plain.for_type_by_name("sandbox.search.results", "SearchResults",
                           lambda obj, p, cycle: p.text(reader.results_text(obj)))
    html.for_type_by_name("synthetic_data.model", "Page", reader.page_html)
    html.for_type_by_name("synthetic_data.model", "Capture", reader.capture_html)
    html.for_type_by_name("synthetic_data.model", "Account", reader.account_html)
    html.for_type_by_name("sandbox.lookup", "Profile", _profile_html)
    _installed = True
    return True
