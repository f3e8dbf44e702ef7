"""Fixtures for lab tests: a private practice cache, and prepared lab directories."""

from __future__ import annotations

from pathlib import Path

import pytest

from labs import runtime


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never read or write the user's ~/.cache, and never inherit a trainee's case from the env.
    monkeypatch.setenv(runtime.ENV_CACHE, str(tmp_path_factory.getbasetemp() / "lab-cache"))
    monkeypatch.delenv(runtime.ENV_CASE, raising=False)
    monkeypatch.delenv(runtime.ENV_KEY, raising=False)


@pytest.fixture
def prepared(tmp_path: Path):  # type: ignore[no-untyped-def]
    """prepared(lab_id, seed) -> Lab opened on a fresh directory for that seed."""

    def make(lab_id: str, seed: int = 7, tag: str = "") -> runtime.Lab:
        out = runtime.prepare(lab_id, seed, tmp_path / f"{lab_id}-{seed}{tag}")
        return runtime.Lab(runtime.catalogue.get(lab_id), out / "case", out / "key")

    return make


@pytest.fixture(scope="session")
def lab_at_seed(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """lab_at_seed(lab_id, seed=7) -> Lab, prepared once per session (world labs take ~1 s)."""
    made: dict[tuple[str, int], runtime.Lab] = {}
    base = tmp_path_factory.mktemp("labs-prepared")

    def get(lab_id: str, seed: int = 7) -> runtime.Lab:
        if (lab_id, seed) not in made:
            made[lab_id, seed] = _first_suitable(lab_id, seed)
        return made[lab_id, seed]

    def _first_suitable(lab_id: str, seed: int) -> runtime.Lab:
        """The lab at `seed`, or at the trainee's next candidate seeds as the cohort release tries them."""
        from grader.release import MAX_ATTEMPTS, next_seed

        candidate = seed
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                out = runtime.prepare(lab_id, candidate, base / f"{lab_id}-{candidate}")
                return runtime.Lab(runtime.catalogue.get(lab_id), out / "case", out / "key")
            except runtime.UnsuitableSeed:
                candidate = next_seed(seed, attempt)
        raise AssertionError(f"{lab_id}: no suitable seed from {seed} in {MAX_ATTEMPTS} tries")

    return get
