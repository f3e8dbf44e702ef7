"""Shared helpers for labs whose answer is a dict of numbered items (A1, S3, ...), their banks
of items (YAML beside the lab, validated) and their practice-mode checks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labs.scoring import norm
from osintlab.errors import UserError
from osintlab.i18n import ANSWER_OPTION, _, pgettext
from osintlab.jsonschema_lite import jsonschema
from osintlab.yamlfile import read_yaml


def shape_problems(value: Any, item_ids: Sequence[str], fields: Mapping[str, Sequence[str]] | None,
                   choices: Sequence[str] = (), *, allow_none: bool = False) -> list[str]:
    """Problems with an answer's shape, in words a trainee can act on (never about right or wrong).

    `allow_none`: an item may be None (the answer form's "no" choice: the same as leaving it out).
    """
    if type(value) is not dict:
        return [_("the answer must be a dict like {{\"{item}\": ...}}.").format(item=item_ids[0])]
    problems = [_("{item!r} is not an item of this exercise (use {first} to {last}).").format(
        item=k, first=item_ids[0], last=item_ids[-1]) for k in value if k not in item_ids]
    for item, entry in value.items():
        if item not in item_ids or (allow_none and entry is None):
            continue
        if fields is None:
            if norm_choice(entry) not in choices:
                problems.append(_("{item}: {value!r} is not one of {choices}.").format(
                    item=item, value=entry, choices=", ".join(choices)))
            continue
        if type(entry) is not dict:
            problems.append(_("{item}: give a dict with the keys {keys}.").format(item=item, keys=", ".join(fields)))
            continue
        for name, allowed in fields.items():
            if norm(entry.get(name)) not in allowed:
                problems.append(_("{item}: {name} must be one of {allowed} (got {value!r}).").format(
                    item=item, name=name, allowed=", ".join(allowed), value=entry.get(name)))
    return problems[:6]


def coded_options(codes: Iterable[str]) -> list[dict[str, str]]:
    """Answer-form options for answer codes: [{"value": code, "label": word}]. The value is the code the
    answer holds (what `score` reads); the label is the code's word in the course's language, with the
    code in brackets (its translation in the "answer option" context; English shows the code). Mark
    each code where it is defined with NP_("answer option", code) so translators get it."""
    return [{"value": code, "label": pgettext(ANSWER_OPTION, code)} for code in codes]


def norm_choice(value: Any) -> str:
    """A typed choice id as the lab spells it: lower case, spaces and underscores as hyphens."""
    return norm(value).replace("_", "-").replace(" ", "-")


def atoms_of(value: Any, fields: Sequence[str] | None) -> set[str]:
    """'ITEM|field|value' for every answered field (or 'ITEM|value' when items hold one label)."""
    if type(value) is not dict:
        return set()
    out: set[str] = set()
    for item, entry in value.items():
        if fields is None:
            if type(entry) is str and norm(entry):
                out.add(f"{item}|{norm_choice(entry)}")
            continue
        if type(entry) is not dict:
            continue
        out |= {f"{item}|{name}|{norm(entry.get(name))}" for name in fields if norm(entry.get(name))}
    return out


def load_bank(path: Path, schema: dict[str, Any]) -> Any:
    """A lab's bank of items (YAML), checked against `schema`; a UserError names file and field."""
    data = read_yaml(path)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        where = ".".join(str(p) for p in errors[0].absolute_path) or "(top level)"
        raise UserError(f"{path}: field {where}: {errors[0].message}; fix the bank and run the lab's tests.")
    return data


# ---------------------------------------------------------------- practice-mode checks


def hint_hash(salt: str, atom: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{atom}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Hints:
    """What a practice-mode check may know of one part: salted hashes of the expected answer
    atoms (case/hints.json), and public extras the lab stored beside them (per-item counts).
    A lab's `feedback(part, value, exercise, hints)` asks it questions, never for the key."""

    salt: str
    expected: frozenset[str]
    extras: Mapping[str, Any] = field(default_factory=dict)
    case_dir: Path | None = None  # the trainee's case (a check may search it, as the trainee can)

    def has(self, atom: str) -> bool:
        """Is `atom` (say "J5|RF-HIGH-PAY") one of the expected answer atoms?"""
        return hint_hash(self.salt, atom) in self.expected

    @classmethod
    def of(cls, table: Mapping[str, Any], part: str, case_dir: Path | None = None) -> Hints:
        return cls(str(table["salt"]), frozenset(table["parts"][part]), table.get("extras", {}).get(part, {}),
                   case_dir)
