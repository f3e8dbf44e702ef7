"""The `osintlab` command line and the few helpers every package shares."""

import sys as _sys

__version__ = "0.1.0"

# Every process of the course imports jsonschema (nbformat, nbgrader, our validators) without the
# optional rfc3987_syntax, which costs 1.2 s at import and checks a format no schema here uses
# (osintlab/jsonschema_lite.py says why). None in sys.modules makes its import fail, as if absent.
_sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
