"""`osintlab cohort export DIR --format csv|moodle`: the cohort's grades for records or a learning platform.

- csv: one row per officer: id, name, agency, e-mail, each lab's total (blank when not
  submitted), the total and the percentage of the released labs' points.
- moodle: the file Moodle's "Import grades from CSV" reads: an "Email address" column (Moodle
  maps it to the user's e-mail), then one column per lab named by its title, mapped to grade
  items when importing. Every officer needs an e-mail address in the roster.
Both are UTF-8, so names in Cyrillic, Bengali, Thai or Khmer script survive.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.results import CohortResults, load_results
from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_text

FORMATS = ("csv", "moodle")


def export_grades(course: Path, fmt: str, out: Path | None = None) -> Path:
    if fmt not in FORMATS:
        raise UserError(f"--format {fmt!r} is not known: use csv or moodle.")
    results = load_results(course)
    if not results.labs:
        raise UserError(f"{course} has no released labs yet: release and grade a lab first.")
    header, rows = (_moodle if fmt == "moodle" else _plain)(results)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = Path(out) if out else Path(course) / "reports" / f"grades-{fmt}.csv"
    atomic_write_text(path, buffer.getvalue())
    return path


def _total(value: float) -> str:
    return f"{value:g}"


def _plain(r: CohortResults) -> tuple[list[str], list[list[str]]]:
    header = ["trainee_id", "name", "agency", "email", *(s.id for s in r.labs), "total", "max", "percent"]
    possible = sum(r.max_score[s.id] for s in r.labs)
    rows = []
    for t in r.trainees:
        results = [r.result(t["trainee_id"], s.id) for s in r.labs]
        total = sum(res.total for res in results)
        rows.append([t["trainee_id"], t["name"], t["agency"], t["email"],
                     *(_total(res.total) if res.submitted else "" for res in results),
                     _total(total), _total(possible), f"{100 * total / possible:.1f}" if possible else ""])
    return header, rows


def _moodle(r: CohortResults) -> tuple[list[str], list[list[str]]]:
    missing = [t["trainee_id"] for t in r.trainees if not t["email"]]
    if missing:
        raise UserError(f"Moodle matches officers by e-mail, and these have none in the roster: {', '.join(missing)}; "
                        "add their e-mail addresses to .osintlab/course.json or export --format csv.")
    header = ["Email address", *(s.title for s in r.labs)]
    rows = [[t["email"], *(_total(r.result(t["trainee_id"], s.id).total) if r.result(t["trainee_id"], s.id).submitted
                           else "" for s in r.labs)] for t in r.trainees]
    return header, rows
