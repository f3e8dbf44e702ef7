"""The Workshop 2 data banks (content/footprint/sites.yml and banks.yml) and the small rules the
generator, the sandbox and the labs share: handle permutations and bio sentences.

Light on purpose: the sandbox imports it in a trainee's kernel, so it reads YAML only. The
generator validates both banks against their schemas (synthetic_data.generator.footprint).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from osintlab.yamlfile import read_yaml

BANKS_DIR = Path(__file__).resolve().parent / "content" / "footprint"

SEPARATORS = ("_", ".", "-", "")


@cache
def sites_bank() -> dict[str, Any]:
    return dict(read_yaml(BANKS_DIR / "sites.yml"))


@cache
def footprint_bank() -> dict[str, Any]:
    return dict(read_yaml(BANKS_DIR / "banks.yml"))


def site_options(site_id: str) -> dict[str, Any]:
    """A registry site's entry in the bank (logged_out view, notifies_viewers), {} if unknown."""
    return next((dict(s) for s in sites_bank()["sites"] if s["site_id"] == site_id), {})


def handle_variants(handle: str) -> list[str]:
    """The separator permutations of a handle (Maigret's --permute idea): a_b, a.b, a-b, ab."""
    parts = [p for p in re.split(r"[._\-]", handle) if p]
    if len(parts) < 2:
        return [handle]
    return list(dict.fromkeys(sep.join(parts) for sep in SEPARATORS))


def sentences(text: str) -> set[str]:
    """The sentences of a bio, word for word (case and spacing ignored): the unit of a "bio" trace."""
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return {" ".join(p.casefold().split()) for p in parts if len(p.split()) >= 3}
