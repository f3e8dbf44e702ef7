"""Helpers the Workshop 3 labs share: the world's key beside a case, labels, scoring helpers."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, timedelta
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


# ---------------------------------------------------------------- requests: dates and identifiers


def day(value: Any) -> date | None:
    """A date typed as "2025-03-14" (or the date part of an ISO time); None for anything else."""
    if type(value) is not str:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def range_quality(start: Any, end: Any, first: str, last: str, margin: int = 7) -> float:
    """How well a requested date range [start, end] fits the activity [first, last] (dates, UTC).

    The share of the activity the range covers, less a penalty for the days it asks for beyond the
    need (the activity plus `margin` days on each side): asking for as many days again as the need
    scores 0. So a range that misses days loses points, and a range wider than the case needs loses
    points in proportion to the data it asks for without reason (data minimisation). An unreadable
    or reversed range scores 0."""
    s, e, f, last_day = day(start), day(end), day(first), day(last)
    if s is None or e is None or f is None or last_day is None or s > e:
        return 0.0
    need = (last_day - f).days + 1
    covered = max(0, (min(e, last_day) - max(s, f)).days + 1)
    lo, hi = f - timedelta(days=margin), last_day + timedelta(days=margin)
    window = (hi - lo).days + 1
    excess = max(0, (lo - s).days) + max(0, (e - hi).days)
    return (covered / need) * max(0.0, 1 - excess / window)


def username(value: Any) -> str:
    """The username a trainee means: "@name", "name" or a profile URL ".../u/name" -> "name"."""
    if type(value) is not str:
        return ""
    text = value.strip().rstrip("/")
    text = re.sub(r"^[a-z]+://", "", text, flags=re.I)
    if "/" in text:
        text = text.rsplit("/", 1)[1]
    return text.lstrip("@").strip().casefold()


def account_number(value: Any, region: str | None = None) -> str:
    """An account number as the provider files it: spaces and dashes dropped, upper case; a phone
    number (a mobile wallet) in E.164, read in `region` when it is written the local way."""
    if type(value) not in (str, int):
        return ""
    text = re.sub(r"[\s\-().]", "", str(value)).upper()
    if text.lstrip("+").isdigit() and region:
        import phonenumbers

        try:
            parsed = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return text
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return text


def rows(value: Any) -> list[dict[str, Any]]:
    """A table answer's rows (a list of dicts; anything else -> [])."""
    if type(value) is not list:
        return []
    return [r for r in value if type(r) is dict]
