"""The indicator taxonomy (indicators.yml) as Python data."""

from __future__ import annotations

from pathlib import Path

from osintlab.yamlfile import load_yaml_text

_DATA = load_yaml_text((Path(__file__).parent / "indicators.yml").read_text(encoding="utf-8"))

#: group -> {indicator id -> {name, hint}}
GROUPS: dict[str, dict[str, dict[str, str]]] = _DATA
#: indicator id -> {name, hint, group}
ALL_INDICATORS: dict[str, dict[str, str]] = {
    ind: {**info, "group": group} for group, items in _DATA.items() for ind, info in items.items()
}
