"""`osintlab cohort collect DIR LAB|W1`: bring submissions in and check each one.

nbgrader's collect copies the latest submission of each trainee from the exchange into
submitted/<trainee>/<lab>/ (submissions a trainer copied there by hand are checked too). Then
every roster trainee's submission is checked: a missing or unreadable notebook, or one written
by another account than the trainee's, becomes a flag (stage "collect").
"""

from __future__ import annotations

import getpass
import hashlib
import json
import pwd
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grader import flags as flagstore
from grader.cohort import course_exchange, course_state
from grader.flags import Flag
from grader.nbconfig import check_result, nbgrader_api
from grader.release import resolve_labs
from labs.catalogue import LabSpec
from osintlab.i18n import _


@dataclass
class Submission:
    """One trainee's submission of one lab, as found in submitted/."""

    trainee: str
    lab: str
    notebook: Path
    sha256: str | None = None
    flags: list[Flag] = field(default_factory=list)

    @property
    def gradable(self) -> bool:
        return self.sha256 is not None


def find_submission(course: Path, spec: LabSpec, trainee: str) -> Submission | None:
    """None when the trainee has not submitted; otherwise the submission with its file checks."""
    folder = Path(course) / "submitted" / trainee / spec.id
    if not folder.is_dir():
        return None
    sub = Submission(trainee, spec.id, folder / spec.notebook.name)
    try:
        data = sub.notebook.read_bytes()
    except FileNotFoundError:
        found = ", ".join(sorted(p.name for p in folder.iterdir())) or _("nothing")
        sub.flags.append(Flag("missing", _("{notebook} is not in the submitted folder (found: {found}).").format(
            notebook=sub.notebook.name, found=found)))
        return sub
    try:
        notebook = _read_notebook(data)
    except Exception as exc:  # any parse error means the same: not gradable
        sub.flags.append(Flag("corrupted", _("{notebook} cannot be read as a notebook: {error}").format(
            notebook=sub.notebook.name, error=(str(exc).splitlines() or [""])[0][:160])))
        return sub
    note = format_problem(notebook)
    if note:
        sub.flags.append(Flag("format-note", f"{sub.notebook.name}: {note}"))
    sub.sha256 = hashlib.sha256(data).hexdigest()
    return sub


def _read_notebook(data: bytes) -> nbformat.NotebookNode:
    """A version-4 notebook as nbgrader reads it (format errors tolerated); older versions converted strictly."""
    raw = json.loads(data.decode("utf-8"))
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", []), list):
        raise ValueError(_("the file is JSON, but not a notebook"))
    if raw.get("nbformat") != 4:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(notebook)
        return notebook
    if not all(isinstance(c, dict) and c.get("cell_type") in ("code", "markdown", "raw") for c in raw["cells"]):
        raise ValueError(_("a cell has no known cell type"))
    return nbformat.from_dict(raw)


def format_problem(notebook: nbformat.NotebookNode) -> str | None:
    """What breaks the notebook format, in one line (None if nothing): nbgrader grades such files."""
    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as exc:
        retyped = [i + 1 for i, c in enumerate(notebook.cells)
                   if c.get("cell_type") != "code" and ("outputs" in c or "execution_count" in c)]
        if retyped:
            return _("cell {cells} is not a code cell but keeps code outputs (an editor such as VS Code does this "
                     "when a code cell is turned into markdown); graded without them.").format(
                cells=", ".join(map(str, retyped)))
        return _("{problem}; graded as it is.").format(
            problem=str(exc.message if hasattr(exc, "message") else exc).splitlines()[0][:160])
    return None


def collect(course: Path, target: str) -> list[str]:
    course = Path(course).resolve()
    state = course_state(course)
    roster = [str(t["trainee_id"]) for t in state["trainees"]]  # type: ignore[union-attr]
    api = nbgrader_api(course)
    lines = []
    for spec in resolve_labs(target):
        # Translators: shown after "nbgrader could not"; {lab} is a lab id.
        check_result(api.collect(spec.id), _("collect {lab}").format(lab=spec.id))
        owners = _inbound_owners(course_exchange(course), spec.id)
        counts = {"submitted": 0, "flagged": 0}
        absent = []
        for trainee in roster:
            sub = find_submission(course, spec, trainee)
            if sub is None:
                absent.append(trainee)
                continue
            counts["submitted"] += 1
            owner = owners.get(trainee)
            if owner and owner not in (trainee, getpass.getuser()):
                sub.flags.append(Flag("identity", _("The latest submission in the exchange belongs to account "
                                                    "{owner}, not {trainee}.").format(owner=repr(owner),
                                                                                      trainee=repr(trainee))))
            counts["flagged"] += bool(sub.flags)
            flagstore.write_flags(course, spec.id, trainee, "collect", sub.flags, submission=sub.sha256)
        strangers = sorted({p.parent.name for p in (course / "submitted").glob(f"*/{spec.id}")} - set(roster))
        line = _("{lab}: {submitted} of {total} trainees submitted, {flagged} flagged.").format(
            lab=spec.id, submitted=counts["submitted"], total=len(roster), flagged=counts["flagged"])
        if absent:
            line += " " + _("Not submitted: {trainees}.").format(trainees=", ".join(absent))
        if strangers:
            line += " " + _("Not on the roster (not graded): {folders}.").format(folders=", ".join(strangers))
        lines.append(line)
    return lines


def _inbound_owners(exchange: Path, lab: str) -> dict[str, str]:
    """Owner account of each trainee's latest submission folder in the exchange inbound."""
    latest: dict[str, tuple[str, str]] = {}
    for path in (exchange / "inbound").glob(f"*+{lab}+*"):
        trainee, _, stamp = path.name.split("+")[:3]
        try:
            owner = pwd.getpwuid(path.stat().st_uid).pw_name
        except KeyError:
            owner = f"uid {path.stat().st_uid}"
        if trainee not in latest or stamp > latest[trainee][0]:
            latest[trainee] = (stamp, owner)
    return {trainee: owner for trainee, (_, owner) in latest.items()}
