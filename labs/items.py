"""Shared helpers for labs whose answer is a dict of numbered items (A1, S3, ...)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from labs.scoring import norm


def shape_problems(value: Any, item_ids: Sequence[str], fields: Mapping[str, Sequence[str]] | None,
                   choices: Sequence[str] = ()) -> list[str]:
    """Problems with an answer's shape, in words a trainee can act on (never about right or wrong)."""
    if type(value) is not dict:
        return ["the answer must be a dict like {\"" + item_ids[0] + "\": ...}."]
    problems = [f"{k!r} is not an item of this exercise (use {item_ids[0]} to {item_ids[-1]})."
                for k in value if k not in item_ids]
    for item, entry in value.items():
        if item not in item_ids:
            continue
        if fields is None:
            if norm(entry) not in choices:
                problems.append(f"{item}: {entry!r} is not one of {', '.join(choices)}.")
            continue
        if type(entry) is not dict:
            problems.append(f"{item}: give a dict with the keys {', '.join(fields)}.")
            continue
        for name, allowed in fields.items():
            if norm(entry.get(name)) not in allowed:
                problems.append(f"{item}: {name} must be one of {', '.join(allowed)} (got {entry.get(name)!r}).")
    return problems[:6]


def atoms_of(value: Any, fields: Sequence[str] | None) -> set[str]:
    """'ITEM|field|value' for every answered field (or 'ITEM|value' when items hold one label)."""
    if type(value) is not dict:
        return set()
    out: set[str] = set()
    for item, entry in value.items():
        if fields is None:
            if type(entry) is str and norm(entry):
                out.add(f"{item}|{norm(entry)}")
            continue
        if type(entry) is not dict:
            continue
        out |= {f"{item}|{name}|{norm(entry.get(name))}" for name in fields if norm(entry.get(name))}
    return out
