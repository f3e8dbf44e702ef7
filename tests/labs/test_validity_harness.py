"""The validity sweep itself: scores per answerer and part, neighbours, and the verdicts."""

from __future__ import annotations

from pathlib import Path

from tests.labs import validity


def _nothing(view: validity.TraineeView) -> dict:
    return {}


def _peek_for_key(view: validity.TraineeView) -> dict:
    # A solver gets the case only: the key is not beside it.
    assert not (view.case_dir.parent / "key").exists()
    assert not any(Path(view.case_dir).rglob("truth*"))
    return {}


def test_sweep_scores_each_answerer_and_flags_what_is_wrong() -> None:
    sweep = validity.run_sweep("w1-02-opsec-audit", no_skill={"nothing": _nothing}, careful=_peek_for_key,
                               seeds=range(1, 7), workers=2)
    parts = list(sweep.parts)
    assert sweep.seeds() == 6
    assert all(sweep.median("nothing", p) == 0.0 for p in parts)
    # the neighbour's right answer is scored on the next seed's case: one fewer value per chunk
    assert all(len(sweep.shares[validity.NEIGHBOUR][p]) == 4 for p in parts)
    problems = sweep.problems()
    assert any("careful reader earns only 0%" in p for p in problems)
    assert "| nothing |" in sweep.table()


def test_serial_and_parallel_sweeps_agree() -> None:
    args = {"no_skill": {"nothing": _nothing}, "careful": _nothing, "seeds": range(1, 5)}
    one, two = validity.run_sweep("w1-01-passive-active", workers=1, **args), \
        validity.run_sweep("w1-01-passive-active", workers=2, **args)
    assert sorted(one.shares["nothing"]) == sorted(two.shares["nothing"])
