"""Flags: every anomaly found while collecting or grading a submission, for the trainer to review.

A flag is never a verdict. It says what was seen and where, so the trainer can look; the score
stays what the trusted re-score gave. Flags of one submission are stored together:

    DIR/.osintlab/flags/<lab>/<trainee>.json
        {"lab": ..., "trainee": ..., "submission": sha256 of the notebook or null,
         "stages": {"collect": [flag, ...], "inspect": [...], "autograde": [...]}}
    flag = {"kind": one of KINDS, "detail": one sentence, "cell": grade_id or null}

`collect` writes the "collect" stage; autograding writes "inspect" (the submission compared with
the release) and "autograde" (what happened when it ran). Re-running a step replaces only its
own flags.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from osintlab.fsutil import atomic_write_text
from osintlab.i18n import N_, _

# kind -> what the trainer reads in the report (plain words, one line; shown in the course's language).
# A flag's `detail` is written in the course's language when the flag is made.
KINDS: dict[str, str] = {
    "missing": N_("no notebook was submitted for this lab"),
    "corrupted": N_("the submitted notebook is not a valid notebook file; it was not graded"),
    "format-note": N_("the notebook file breaks the notebook format in a way nbgrader tolerates (e.g. VS Code "
                      "keeps outputs on a code cell turned to markdown); it was graded, with those leftovers removed"),
    "identity": N_("the submission was written by another account than the trainee's"),
    "locked-cell-changed": N_("a read-only or test cell was edited; the original was restored before grading"),
    "cell-deleted": N_("a read-only, answer or test cell was deleted; the original was restored before grading"),
    "cell-retyped": N_("a cell's type was changed (e.g. code to markdown); the original was restored"),
    "duplicate-cell": N_("a graded cell appears more than once (pasted with its nbgrader id); the last copy was "
                         "graded and the others ran as ordinary cells"),
    "syntax-error": N_("an answer cell is not valid Python, so it could not run; its answer scored 0"),
    "suspicious-code": N_("code that can change how other cells run, run fetched code, or reach outside the lab"),
    "kernel-died": N_("the notebook's kernel died during grading; later cells did not run"),
    "timeout": N_("a cell ran longer than its time limit and was stopped"),
    "memory": N_("the notebook hit the memory limit"),
    "copied": N_("an answer fits another trainee's case far better than the trainee's own; that part scored 0"),
    "no-answer": N_("a test cell ran but recorded no answer (tests may have been tampered with)"),
    "answers-tampered": N_("the recorded answers do not match the test cells that ran"),
    "grading-failed": N_("nbgrader could not grade this submission; it needs a manual look"),
}
STAGES = ("collect", "inspect", "autograde")


@dataclass(frozen=True)
class Flag:
    kind: str
    detail: str
    cell: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown flag kind {self.kind!r}")

    @property
    def meaning(self) -> str:
        """What this kind of flag means, in the current language."""
        return _(KINDS[self.kind])


def flags_path(course: Path, lab: str, trainee: str) -> Path:
    return Path(course) / ".osintlab" / "flags" / lab / f"{trainee}.json"


def read_flags(course: Path, lab: str, trainee: str) -> dict[str, Any]:
    path = flags_path(course, lab, trainee)
    if not path.is_file():
        return {"lab": lab, "trainee": trainee, "submission": None, "stages": {s: [] for s in STAGES}}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write_flags(course: Path, lab: str, trainee: str, stage: str, flags: list[Flag],
                submission: str | None = None) -> None:
    """Replace the flags of one stage for one submission (atomically)."""
    data = read_flags(course, lab, trainee)
    data["stages"].setdefault(stage, [])
    data["stages"][stage] = [asdict(f) for f in flags]
    if submission is not None or stage == "collect":
        data["submission"] = submission
    atomic_write_text(flags_path(course, lab, trainee), json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def all_flags(course: Path, lab: str, trainee: str) -> list[Flag]:
    data = read_flags(course, lab, trainee)
    return [Flag(**f) for stage in STAGES for f in data["stages"].get(stage, [])]


def cohort_flags(course: Path) -> list[tuple[str, str, Flag]]:
    """(lab, trainee, flag) for every flag in the course, sorted by lab then trainee."""
    root = Path(course) / ".osintlab" / "flags"
    found = []
    for path in sorted(root.glob("*/*.json")):
        lab, trainee = path.parent.name, path.stem
        found.extend((lab, trainee, flag) for flag in all_flags(course, lab, trainee))
    return found
