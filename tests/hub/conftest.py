"""Hub tests run the hub, the course services and the trainers' commands as other local accounts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from labs.runtime import ENV_WORLD_CACHE


@pytest.fixture(autouse=True, scope="module")
def _no_shared_world_cache() -> Iterator[None]:
    """The session's shared world cache (tests/conftest.py) is in root's pytest folder, which other accounts
    may not enter: a course account's `osintlab cohort release` would fail on it. The hub's accounts
    generate their own worlds, as on a real server."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_WORLD_CACHE, raising=False)
        yield
