"""Reading the YAML files experts edit (scenarios, country packs, lab.yml, the curriculum map)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from osintlab.errors import UserError

# libyaml's parser (PyYAML's C binding, in its wheels) reads the country packs and language banks
# several times faster than the pure-Python one, with the same safe types; fall back without it.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_text(text: str) -> Any:
    """`yaml.safe_load(text)` through libyaml when available (raises yaml.YAMLError)."""
    return yaml.load(text, Loader=SAFE_LOADER)  # a safe loader (SafeLoader or its C twin)


def read_yaml(path: Path, *, shown_as: str | None = None) -> Any:
    """The parsed file, or one UserError naming the file (as `shown_as`, if given) and the line."""
    name = shown_as or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{name} does not exist: restore it from git or create it.") from None
    try:
        return load_yaml_text(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UserError(f"{name}{line}: invalid YAML ({problem}); fix the syntax.") from None
