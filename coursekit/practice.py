"""Practice worlds for lessons: generated once from a fixed public seed, then reused.

Lessons are ungraded, so a public seed is fine (DESIGN.md, "practice mode"). A world is
written with the generator's safety check into a cache directory, atomically, so a
notebook interrupted mid-build never leaves half a world behind.
"""

from __future__ import annotations

import os
from pathlib import Path

from osintlab import __version__
from osintlab.fingerprint import source_fingerprint
from synthetic_data.bundle import case_dir
from synthetic_data.variants import PRACTICE_SEED  # the project's public practice seed

CACHE_ENV = "OSINTLAB_CACHE"


def cache_root() -> Path:
    """$OSINTLAB_CACHE/worlds, or ~/.cache/osintlab/worlds."""
    base = os.environ.get(CACHE_ENV)
    return (Path(base) if base else Path.home() / ".cache" / "osintlab") / "worlds"


def practice_path(country: str, scenario: str, size: str = "small") -> Path:
    # The version is part of the name: a new generator may write a different world.
    version = f"{__version__}-{source_fingerprint('synthetic_data')}"  # edits to the generator mean a new world
    return cache_root() / f"{country.upper()}-{scenario}-{size}-seed{PRACTICE_SEED}-v{version}"


def practice_case(country: str = "MN", scenario: str = "scam-compound-recruitment", size: str = "small") -> Path:
    """Path of the practice world's case/ directory, generating the world the first time."""
    out = practice_path(country, scenario, size)
    if not (out / "case" / "manifest.json").is_file():
        from synthetic_data.generator import generate_world, write_checked

        world = generate_world(country=country.upper(), scenario=scenario, seed=PRACTICE_SEED, size=size)
        write_checked(world, out, force=True)
    return case_dir(out)
