"""The offline investigation sandbox: `from sandbox import open_case; sb = open_case(path)`.

Kept light on import: tools and their libraries load on first use.
"""

from osintlab.errors import install_notebook_handler
from sandbox.display import install as _install_views
from sandbox.toolkit import Sandbox, open_case

install_notebook_handler()  # in a notebook: a user error is one sentence, not a traceback
_install_views()  # in a notebook: results, pages and profiles open in place, never as links out

__all__ = ["Sandbox", "open_case"]
