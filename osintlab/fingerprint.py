"""A short hash of the code and data that shape a generated world, for cache keys.

Practice worlds are cached between kernels. Keying the cache on the package version alone
serves stale worlds to anyone who edits a scenario, a country pack or the generator without
bumping the version, so caches are keyed on the content of the packages instead.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import cache
from pathlib import Path

SUFFIXES = {".py", ".yml", ".yaml", ".json", ".txt", ".md"}


@cache
def source_fingerprint(*packages: str) -> str:
    """12 hex digits that change whenever any source or data file of `packages` changes."""
    digest = hashlib.sha256()
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise ValueError(f"{package} is not an installed package")
        root = Path(next(iter(spec.submodule_search_locations)))
        for path in sorted(p for p in root.rglob("*") if p.suffix in SUFFIXES and "__pycache__" not in p.parts):
            digest.update(f"{package}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
