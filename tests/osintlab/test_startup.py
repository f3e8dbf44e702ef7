"""What every process of the course pays at start-up."""

from __future__ import annotations


def test_no_process_of_the_course_pays_for_rfc3987_syntax() -> None:
    """jsonschema's optional IRI checker compiles Lark parsers for 1.2 s at import (osintlab/jsonschema_lite.py):
    the CLI, the generator and a lab's kernel import jsonschema without it, and still validate."""
    import subprocess
    import sys

    code = ("import sys, labs, osintlab.course, synthetic_data.generator, nbformat\n"
            "from osintlab.jsonschema_lite import jsonschema\n"
            "assert sys.modules.get('rfc3987_syntax') is None, 'rfc3987_syntax was imported'\n"
            "jsonschema.validate({'a': 1}, {'type': 'object', 'properties': {'a': {'type': 'string'}}})\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 1 and "ValidationError" in run.stderr, run.stderr  # it still validates
