"""jsonschema, imported without its slowest optional part.

When `rfc3987_syntax` is installed (Jupyter's `jsonschema[format-nongpl]` brings it), jsonschema
imports it to check the "iri" format, and it compiles about 35 Lark parsers at import: 1.2 s on
the course's machines, paid by every command and kernel that validates a file (upstream:
python-jsonschema/jsonschema#1428, opendatahub-io/notebooks#3532). No schema of ours, of nbformat
or of Jupyter uses the "iri" formats, so our processes import jsonschema without it:

    from osintlab.jsonschema_lite import jsonschema

The block itself is in `osintlab/__init__.py`, which runs before this module and before any other
import of ours (nbformat's too); importing jsonschema through here makes that order certain where a
module's third-party imports would otherwise come first.
"""

import jsonschema

__all__ = ["jsonschema"]
