"""What every lab's no-skill answerers share: one label, every label, nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tests.labs.validity import TraineeView

Answerer = Callable[[TraineeView], dict[str, Any]]


def nothing(view: TraineeView) -> dict[str, Any]:
    """Hands in every part empty."""
    return {}


def words(text: str) -> set[str]:
    """Lower-case words of a text (letters, digits, hyphens)."""
    out, word = set(), []
    for ch in text.lower() + " ":
        if ch.isalnum() or ch == "-":
            word.append(ch)
        elif word:
            out.add("".join(word).strip("-"))
            word = []
    return out


def first_match(text: str, table: Iterable[tuple[str, Iterable[str]]], default: str) -> str:
    """The label of the first row whose words occur in `text` (case-insensitive substrings)."""
    low = text.lower()
    for label, needles in table:
        if any(n in low for n in needles):
            return label
    return default
