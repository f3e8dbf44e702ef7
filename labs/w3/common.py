"""Helpers the Workshop 3 labs share: the world's key beside a case, labels, scoring helpers."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from labs import scoring


def world_key(case: Any) -> Any:
    """The key of the world a lab directory's case belongs to (build() only: never in a trainee kernel)."""
    from synthetic_data.bundle import load_key

    return load_key(case.root.parent)


def precision_recall(found: Iterable[str], expected: Iterable[str]) -> float:
    """Precision times recall: a chart with false links misleads, one with missing links is incomplete."""
    score = scoring.prf(found, expected)
    return score.precision * score.recall


def fbeta(found: Iterable[str], expected: Iterable[str], beta: float = 0.5) -> float:
    """F-beta of a set against the key: beta < 1 weighs precision more (a false link misleads)."""
    score = scoring.prf(found, expected)
    p, r = score.precision, score.recall
    if not p + r:
        return 0.0
    return (1 + beta * beta) * p * r / (beta * beta * p + r)


def macro_f1_labels(given: dict[str, str], expected: dict[str, str]) -> float:
    """Macro F1 over the labels used by the key or the trainee: one label everywhere scores low."""
    labels = set(expected.values()) | {v for v in given.values() if v}
    per = []
    for label in labels:
        found = {k for k, v in given.items() if v == label}
        want = {k for k, v in expected.items() if v == label}
        per.append(scoring.prf(found, want).f1)
    return sum(per) / len(per) if per else 0.0


def labelled(value: Any, items: Iterable[str], allowed: Iterable[str]) -> dict[str, str]:
    """{item: normalised label} for items of the exercise with an allowed label (others dropped)."""
    items, allowed = set(items), set(allowed)
    if type(value) is not dict:
        return {}
    out = {}
    for k, v in value.items():
        key = str(k).strip().upper()
        if key in items and scoring.norm(v) in allowed:
            out[key] = scoring.norm(v)
    return out


def close(a: Any, b: float, tolerance: float) -> bool:
    """True when a number `a` is within a relative `tolerance` of `b`."""
    if type(a) not in (int, float) or not math.isfinite(a):
        return False
    return abs(a - b) <= tolerance * max(abs(b), 1e-9)


def id_list(value: Any) -> list[str]:
    """A trainee's list of ids, trimmed, in order, without repeats (non-lists -> [])."""
    if type(value) is str:  # a form's text box: ids one per line or separated by commas
        value = value.replace(",", " ").split()
    if type(value) is not list:
        return []
    out: list[str] = []
    for v in value:
        if type(v) is str and v.strip() and v.strip() not in out:
            out.append(v.strip())
    return out
