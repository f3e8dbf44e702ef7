from __future__ import annotations

from pathlib import Path

import pytest

import synthetic_data.generator as generator
from coursekit.practice import PRACTICE_SEED, practice_case, practice_path
from synthetic_data.bundle import load_case, load_key


def test_practice_case_is_built_once_into_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSINTLAB_CACHE", str(tmp_path))
    path = practice_case("mn", "scam-compound-recruitment", size="tiny")
    assert path == practice_path("MN", "scam-compound-recruitment", "tiny") / "case"
    assert path.is_relative_to(tmp_path / "worlds")
    assert load_case(path).manifest["scenario"]["id"] == "scam-compound-recruitment"
    assert load_key(path.parent).truth["seed"] == PRACTICE_SEED

    def no_second_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cached world should be reused")

    monkeypatch.setattr(generator, "generate_world", no_second_build)
    assert practice_case("MN", "scam-compound-recruitment", size="tiny") == path
    assert [p.name for p in (tmp_path / "worlds").iterdir()] == [path.parent.name]  # nothing half-written beside it


def test_unknown_scenario_is_a_user_error_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from osintlab.errors import UserError

    monkeypatch.setenv("OSINTLAB_CACHE", str(tmp_path))
    with pytest.raises(UserError):
        practice_case("MN", "no-such-scenario", size="tiny")
    assert not (tmp_path / "worlds").exists() or not any((tmp_path / "worlds").iterdir())
