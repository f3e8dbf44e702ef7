"""The offline investigation sandbox: `from sandbox import open_case; sb = open_case(path)`.

Kept light on import: tools and their libraries load on first use.
"""

from sandbox.toolkit import Sandbox, open_case

__all__ = ["Sandbox", "open_case"]
