from __future__ import annotations

import math

import pytest

from labs import scoring


class AlwaysEqual(str):
    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


class AlwaysEqualDict(dict):
    def __eq__(self, other: object) -> bool:
        return True


def test_plain_round_trips_plain_values() -> None:
    value = {"a": [1, 2.5, "x", None, True], "b": {"c": ("t", "u")}}
    assert scoring.plain(value) == {"a": [1, 2.5, "x", None, True], "b": {"c": ["t", "u"]}}


@pytest.mark.parametrize(
    "bad",
    [AlwaysEqual("x"), AlwaysEqualDict(), {"a": AlwaysEqual("x")}, [object()], {1: "x"}, math.nan, {"s": {1, 2}}],
)
def test_plain_refuses_non_plain(bad: object) -> None:
    with pytest.raises(scoring.NotPlain):
        scoring.plain(bad)
    assert scoring.plain_or_none(bad) is None


def test_always_equal_scores_nothing() -> None:
    assert scoring.as_set(AlwaysEqualDict()) == set()
    assert scoring.as_set([AlwaysEqual("p1")]) == set()
    assert scoring.as_set(["P1 ", "p2", 3]) == {"p1", "p2"}


def test_prf_values() -> None:
    s = scoring.prf({"a", "b", "x"}, {"a", "b", "c", "d"})
    assert (s.tp, s.fp, s.fn) == (2, 1, 2)
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(0.5)
    assert s.f1 == pytest.approx(4 / 7)
    assert scoring.prf(set(), {"a"}).f1 == 0.0
    assert scoring.prf(set(), set()).f1 == 1.0


def test_f1_per_label_and_macro() -> None:
    per = scoring.f1_per_label({"ILO-1": ["p1"], "RF-X": ["p9"]}, {"ILO-1": ["p1", "p2"], "ILO-2": ["p3"]})
    assert set(per) == {"ILO-1", "ILO-2", "RF-X"}
    assert per["ILO-1"].f1 == pytest.approx(2 / 3)
    assert per["ILO-2"].f1 == 0.0 and per["RF-X"].f1 == 0.0
    assert scoring.macro_f1(per) == pytest.approx(2 / 9)


def test_accuracy_and_points() -> None:
    assert scoring.accuracy({"a": " Passive", "b": "x"}, {"a": "passive", "b": "active"}) == 0.5
    assert scoring.points(0.5, 6) == 3.0
    assert scoring.points(1.7, 6) == 6.0
    assert scoring.points(-1, 6) == 0.0
