"""`osintlab cohort export DIR --format csv|moodle [--provisional] [--excel]`: the cohort's grades.

- csv: one row per officer: id, name, agency, e-mail, each lab's total (blank when not
  submitted or not gradable), the total, the maximum and the percentage of the released labs'
  points, and a `notes` column naming provisional totals and failed gradings.
- moodle: the file Moodle's "Import grades from CSV" reads. Column "Email address" identifies
  the officer (map it to "Email address" in Moodle's "Identify user" step); then one column per
  lab, headed "<lab title> (max N)": map each to the Moodle grade item of that lab, whose
  "Maximum grade" must be N (the totals are points out of N, not percentages). Every officer
  needs an e-mail address in the roster. The trainer reads these headings when mapping them, so
  they are in the course's language (the plain CSV's headings are ids, the same in every language).
Totals that are not final are never sent as if they were: while written answers wait for a
trainer the export is refused, unless `provisional` is asked for; then the totals are marked
("provisional" in the notes, a "Provisional" column for Moodle, which the trainer maps to
"Ignore" or to a feedback item). A submission whose grading failed is left blank, never 0.
UTF-8 (names in Cyrillic, Bengali, Thai or Khmer script survive); `excel` adds a byte-order
mark so Excel on Windows opens the file in UTF-8 instead of the system's code page.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.results import CohortResults, LabResult, load_results
from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_text
from osintlab.i18n import _, ngettext

FORMATS = ("csv", "moodle")
BOM = "\ufeff"


def export_grades(course: Path, fmt: str, out: Path | None = None, *, provisional: bool = False,
                  excel: bool = False) -> Path:
    """Write the grades file (default DIR/reports/grades-FORMAT.csv) and return its path.

    Raises UserError for an unknown format, a course with no released lab, officers without
    e-mail (moodle), or totals still provisional when `provisional` is False.
    """
    if fmt not in FORMATS:
        raise UserError(_("--format {value} is not known: use csv or moodle.").format(value=repr(fmt)))
    results = load_results(course)
    if not results.labs:
        raise UserError(_("{course} has no released labs yet: release and grade a lab first.").format(course=course))
    if results.pending and not provisional:
        count = len(results.pending)
        shown = ", ".join(f"{t} ({lab})" for t, lab in results.pending[:5])
        if count > 5:
            # Translators: {listed} is a list of submissions, {more} how many more are not listed.
            shown = _("{listed} and {more} more").format(listed=shown, more=count - 5)
        raise UserError(ngettext(
            "{count} lab total is provisional because written answers are not graded yet: {submissions}; grade "
            "them in the formgrader (osintlab cohort formgrader), or export with --provisional to send them "
            "marked as provisional.",
            "{count} lab totals are provisional because written answers are not graded yet: {submissions}; grade "
            "them in the formgrader (osintlab cohort formgrader), or export with --provisional to send them "
            "marked as provisional.", count).format(count=count, submissions=shown))
    header, rows = (_moodle if fmt == "moodle" else _plain)(results, provisional)
    path = Path(out) if out else Path(course) / "reports" / f"grades-{fmt}.csv"
    atomic_write_text(path, csv_text(header, rows, excel=excel))
    return path


def csv_text(header: list[str], rows: list[list[str]], *, excel: bool = False) -> str:
    """CSV text; with `excel`, a UTF-8 byte-order mark and CRLF line ends, as Excel on Windows expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if excel else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (BOM if excel else "") + buffer.getvalue()


def _total(value: float) -> str:
    return f"{value:g}"


def _cell(res: LabResult) -> str:
    return _total(res.total) if res.submitted and not res.failed else ""


def _notes(r: CohortResults, trainee: str) -> str:
    notes = []
    for spec in r.labs:
        res = r.result(trainee, spec.id)
        if res.failed:
            notes.append(_("{lab}: grading failed, not counted (see the report's flags)").format(lab=spec.id))
        elif res.pending_manual:
            notes.append(_("{lab}: provisional, written answers not graded yet").format(lab=spec.id))
    return "; ".join(notes)


def _plain(r: CohortResults, provisional: bool) -> tuple[list[str], list[list[str]]]:
    header = ["trainee_id", "name", "agency", "email", *(s.id for s in r.labs), "total", "max", "percent", "notes"]
    possible = sum(r.max_score[s.id] for s in r.labs)
    rows = []
    for t in r.trainees:
        results = [r.result(t["trainee_id"], s.id) for s in r.labs]
        total = sum(res.total for res in results)
        percent = r.percent(t["trainee_id"], r.labs)
        rows.append([t["trainee_id"], t["name"], t["agency"], t["email"], *(_cell(res) for res in results),
                     _total(total), _total(possible), "" if percent is None else f"{percent:.1f}",
                     _notes(r, t["trainee_id"])])
    return header, rows


def moodle_column(r: CohortResults, lab: str) -> str:
    """The lab's column heading for Moodle: its title in the course's language and its maximum."""
    spec = next(s for s in r.labs if s.id == lab)
    return _("{title} (max {points})").format(title=_(spec.title), points=_total(r.max_score[lab]))


def _moodle(r: CohortResults, provisional: bool) -> tuple[list[str], list[list[str]]]:
    missing = [t["trainee_id"] for t in r.trainees if not t["email"]]
    if missing:
        raise UserError(_("Moodle matches officers by e-mail, and these have none in the roster: {trainees}; add "
                          "their e-mail addresses to .osintlab/course.json or export --format csv.").format(
            trainees=", ".join(missing)))
    marked = provisional and bool(r.pending or r.failed)
    header = [_("Email address"), *(moodle_column(r, s.id) for s in r.labs), *([_("Provisional")] if marked else [])]
    rows = []
    for t in r.trainees:
        row = [t["email"], *(_cell(r.result(t["trainee_id"], s.id)) for s in r.labs)]
        rows.append(row + ([_notes(r, t["trainee_id"])] if marked else []))
    return header, rows
