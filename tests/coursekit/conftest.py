"""A tiny world on disk, shared by the coursekit tests that need a search engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthetic_data.bundle import case_dir, write_world
from synthetic_data.generator import generate_world


@pytest.fixture(scope="session")
def tiny_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    world = generate_world("MN", "scam-compound-recruitment", seed=1, size="tiny")
    return case_dir(write_world(world, tmp_path_factory.mktemp("world") / "w"))
