"""Scoring: plain-value answers, set scores, precision/recall/F1, and points for nbgrader.

Every score takes the trainee's answer through `plain()` first: a JSON round-trip with
exact type checks, so a trainee object (say one whose == is always true) never reaches a
comparison. Expected values come from the key, never from the notebook.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from osintlab.errors import UserError
from osintlab.i18n import _

_SCALARS = (str, int, float, bool, type(None))


class NotPlain(UserError):
    """The answer holds something other than plain text, numbers, lists and dicts."""


def _check(value: Any, where: str) -> None:
    kind = type(value)  # exact types: subclasses can override ==, hash or str
    if kind in _SCALARS:
        if kind is float and not math.isfinite(value):
            raise NotPlain(_("{where} is {value}: use a finite number.").format(where=where, value=repr(value)))
        return
    if kind in (list, tuple):
        for i, item in enumerate(value):
            _check(item, f"{where}[{i}]")
        return
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise NotPlain(_("{where} has key {key}: use text keys in quotes.").format(where=where, key=repr(key)))
            _check(item, f"{where}[{key!r}]")
        return
    raise NotPlain(_("{where} is a {kind}: use only text, numbers, lists and dicts.").format(
        where=where, kind=kind.__name__))


def plain(value: Any) -> Any:
    """A JSON round-trip copy of `value`; raises NotPlain for anything else."""
    _check(value, "the answer")
    return json.loads(json.dumps(value))


def plain_or_none(value: Any) -> Any:
    """Like plain() but returns None instead of raising (for grading: bad answer scores 0)."""
    try:
        return plain(value)
    except NotPlain:
        return None


def norm(text: Any) -> str:
    """Lower-case, trimmed text for comparing labels typed by a trainee."""
    return " ".join(str(text).strip().lower().split()) if type(text) is str else ""


def as_set(value: Any) -> set[str]:
    """A trainee's list of ids or labels as a set of normalised strings (non-lists -> empty)."""
    value = plain_or_none(value)
    if type(value) is str:
        value = [value]
    if type(value) is not list:
        return set()
    return {norm(v) for v in value if type(v) is str and norm(v)}


@dataclass(frozen=True)
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        if not self.tp + self.fp + self.fn:
            return 1.0  # nothing expected and nothing claimed
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)


def prf(found: Iterable[str], expected: Iterable[str]) -> PRF:
    got, want = set(found), set(expected)
    return PRF(tp=len(got & want), fp=len(got - want), fn=len(want - got))


def f1_per_label(found: Mapping[str, Iterable[str]], expected: Mapping[str, Iterable[str]]) -> dict[str, PRF]:
    """Per label (indicator): which items the trainee tagged vs the key."""
    labels = set(expected) | set(found)
    return {lab: prf(found.get(lab, ()), expected.get(lab, ())) for lab in sorted(labels)}


def macro_f1(scores: Mapping[str, PRF]) -> float:
    return sum(s.f1 for s in scores.values()) / len(scores) if scores else 0.0


def accuracy(found: Mapping[str, str], expected: Mapping[str, str]) -> float:
    """Share of expected items whose answer matches (normalised text)."""
    if not expected:
        return 0.0
    return sum(1 for k, v in expected.items() if norm(found.get(k)) == norm(v)) / len(expected)


def points(fraction: float, max_points: float) -> float:
    """The value a hidden test cell outputs: nbgrader reads it as partial credit."""
    fraction = min(1.0, max(0.0, float(fraction)))
    return round(fraction * float(max_points), 2)
