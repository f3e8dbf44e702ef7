"""`osintlab cohort report DIR`: one self-contained HTML page (opens offline, e.g. from a USB stick)
with its plots embedded, and CSV files beside it:

    cohort-report.html   summary, weakest skills, officer x lab, skills heatmap, progress, flags,
                         late submissions, manual grading pending
    scores.csv           officer x lab: submitted, auto, manual, penalty, total, max, pending,
                         grading failed, seconds late
    parts.csv            officer x lab x graded part: the part, the notebook step it sits in,
                         auto or manual, points, max, pending, grading failed
    skills.csv           officer x skill percentages, and whether they are provisional
    skills-progress.csv  officer x skill, the percentage in each workshop (W1 -> W2 -> W3)
    flags.csv            every flag, with its plain meaning
    skills-heatmap.png, progress.png

Values that may still change (written answers not graded yet, a failed grading) are marked
provisional (* in the page); see grader.results for the rules.

The page and the plots are in the course's language (the caller sets it: `osintlab cohort report`
speaks the course's): every word through `_()`/`ngettext()`, numbers, percentages and the date by
Babel with the language's CLDR rules. The CSV files are for spreadsheets and scripts: their headings
are ids, the same in every language; the flags' sentences in flags.csv are in the course's language.
"""

from __future__ import annotations

import base64
import html
import io
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from grader.cohort import gradebook_url, open_gradebook
from grader.language import date_time, number, percent
from grader.results import CohortResults, LabResult, load_results
from osintlab.fsutil import atomic_write_bytes, atomic_write_text
from osintlab.i18n import N_, _, language, ngettext
from osintlab.plotfonts import script_fonts

TEMPLATE = Path(__file__).with_name("templates") / "report.html"
# The skill vocabulary (labs/schema.json, curriculum/map.schema.json) as trainers read it; the English
# names are the ones the report always showed (the id, capitalised, without hyphens).
SKILL_NAMES = {skill: skill.replace("-", " ").capitalize() for skill in (
    "search-operators", "opsec", "passive-active", "digital-footprint", "images", "social-media", "indicators",
    "money", "dark-web", "evidence", "reporting", "law-ethics", "victim-centred")}
# Translators: the skills' names in the cohort report (the skill vocabulary of the labs).
_SKILL_MESSAGES = (N_("Search operators"), N_("Opsec"), N_("Passive active"), N_("Digital footprint"), N_("Images"),
                   N_("Social media"), N_("Indicators"), N_("Money"), N_("Dark web"), N_("Evidence"), N_("Reporting"),
                   N_("Law ethics"), N_("Victim centred"))


def write_report(course: Path, out: Path | None = None, *, excel: bool = False) -> Path:
    """Write the report (default DIR/reports/cohort-report.html) and its CSVs (with a UTF-8 byte-order
    mark for Excel when `excel`); returns the HTML path."""
    results = load_results(course)
    parts = load_parts(course, results)
    html_path = Path(out) if out else Path(course) / "reports" / "cohort-report.html"
    folder = html_path.parent
    heatmap, progress = _heatmap_png(results), _progress_png(results)
    if heatmap:
        atomic_write_bytes(folder / "skills-heatmap.png", heatmap)
    if progress:
        atomic_write_bytes(folder / "progress.png", progress)
    _write_csvs(results, folder, excel)
    _write_skill_progress(results, folder, excel)
    _write_parts(results, parts, folder, excel)
    atomic_write_text(html_path, render(results, heatmap, progress, parts))
    return html_path


def _markup(message: str) -> Markup:
    """A translation as page text: escaped, so that `.format` fills it with escaped values or markup.
    Apostrophes stay as typed (the English page as it always was); a double quote is escaped, as a
    translation may sit in an attribute."""
    return Markup(html.escape(message, quote=False).replace('"', "&quot;"))


def strong(value: object) -> Markup:
    return Markup("<strong>{}</strong>").format(value)


def code(value: object) -> Markup:
    return Markup("<code>{}</code>").format(value)


def render(r: CohortResults, heatmap: bytes | None, progress: bytes | None,
           parts: LabParts | None = None) -> str:
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True)
    env.globals.update(_=lambda message: _markup(_(message)),
                       ngettext=lambda singular, plural, n: _markup(ngettext(singular, plural, n)),
                       strong=strong, code=code)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    averages = [(k, v) for k in r.skills if (v := r.skill_average(k)) is not None]
    weakest = sorted(averages, key=lambda kv: kv[1])[:3]
    provisional_skills = {k for k in r.skills if any(r.provisional(t["trainee_id"], r.skill_labs(k))
                                                     for t in r.trainees)}
    return template.render(
        r=r, made=date_time(datetime.now(UTC)), lang=language(),
        submissions=sum(res.submitted and not res.failed for res in r.results.values()),
        weakest=[kv for kv in weakest if kv[1] < 70], flagged={(t, lab) for lab, t, _ in r.flags},
        provisional_skills=provisional_skills, due_dates=any(r.due.values()),
        heatmap=base64.b64encode(heatmap).decode() if heatmap else "",
        progress=base64.b64encode(progress).decode() if progress else "",
        parts=parts or LabParts({}, {}), lab_stats=lab_stats, part_share=_part_share,
        pct=percent, num=number, band=_band, skill_name=skill_name, late=late_text, skill_progress=skill_progress)


@dataclass(frozen=True)
class Part:
    """One graded part of a lab: a grade cell of its nbgrader notebook (a hidden test, or a written
    answer a trainer grades)."""

    id: str  # the part as the lab names it: "pages" (grade cell "test-pages"), "justification"
    grade_id: str  # nbgrader's grade cell id
    step: str  # the heading of the notebook step it sits in, in the course's language ("" if none)
    max_score: float
    manual: bool  # a written answer (an nbgrader solution or task cell), not a hidden test


@dataclass(frozen=True)
class PartScore:
    """An officer's points in one part; None while unknown (written answer not graded yet: `pending`;
    grading failed). A released part of a lab not submitted counts 0, as the lab's total does."""

    points: float | None
    pending: bool = False


@dataclass(frozen=True)
class PartStats:
    """The cohort in one part, over the officers whose points in it are known: graded submissions,
    pending written answers and failed gradings left out (never counted as 0)."""

    graded: int
    median: float | None
    mean: float | None
    below_half: int  # officers with fewer than half the part's points
    pending: int  # written answers in this part not graded yet


@dataclass
class LabParts:
    """Every released lab's graded parts and each submission's grades, as the gradebook holds them."""

    parts: dict[str, list[Part]]  # lab id -> its parts, in notebook order
    grades: dict[tuple[str, str, str], PartScore]  # (trainee, lab, grade_id) -> score, submissions only

    def score(self, r: CohortResults, trainee: str, lab: str, part: Part) -> PartScore:
        """An officer's score in a part, by the rules of grader.results for the lab's total."""
        res = r.result(trainee, lab)
        if not res.submitted:
            return PartScore(0.0)
        if res.failed:
            return PartScore(None)
        return self.grades.get((trainee, lab, part.grade_id), PartScore(None))


def load_parts(course: Path, r: CohortResults) -> LabParts:
    """Each released lab's grade cells and every submission's grades, through nbgrader's Gradebook:
    a grade that needs manual grading is pending (points None), otherwise nbgrader's `Grade.score`
    (manual score if a trainer gave one, else the autograder's). Raises UserError if the gradebook
    cannot be opened."""
    parts: dict[str, list[Part]] = {}
    grades: dict[tuple[str, str, str], PartScore] = {}
    with open_gradebook(gradebook_url(course)) as gb:
        for spec in r.labs:
            steps = _steps(Path(course) / "source" / spec.id / spec.notebook.name)
            parts[spec.id] = []
            for nb in gb.find_assignment(spec.id).notebooks:
                written = {c.name for c in nb.solution_cells} | {c.name for c in nb.task_cells}
                cells = sorted([*nb.grade_cells, *nb.task_cells], key=lambda c: steps.get(c.name, (len(steps), ""))[0])
                parts[spec.id] += [Part(_part_id(c.name, c.name in written), c.name, steps.get(c.name, (0, ""))[1],
                                        float(c.max_score), c.name in written) for c in cells]
            for sub in gb.assignment_submissions(spec.id):
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        pending = bool(grade.needs_manual_grade)
                        grades[(sub.student.id, spec.id, grade.name)] = PartScore(
                            None if pending else float(grade.score), pending=pending)
    return LabParts(parts, grades)


def _part_id(grade_id: str, written: bool) -> str:
    """The lab's name of a part: a hidden test "test-pages" grades the part "pages" (labs/README.md)."""
    return grade_id if written else grade_id.removeprefix("test-")


def _steps(notebook: Path) -> dict[str, tuple[int, str]]:
    """grade_id -> (its cell's position, the last heading above it) in the course's source notebook (in
    the course's language); {} if the notebook is missing or unreadable: parts are then in gradebook order
    and without a step."""
    import nbformat

    try:
        nb = nbformat.read(notebook, as_version=4)
    except (OSError, ValueError):
        return {}
    found, heading = {}, ""
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "markdown" and not meta.get("solution"):  # an answer is not a heading
            titles = [line.lstrip("#").strip() for line in cell.get("source", "").splitlines() if line.startswith("#")]
            heading = titles[-1] if titles else heading
        if meta.get("grade") or meta.get("task"):
            found[str(meta.get("grade_id"))] = (index, heading)
    return found


def part_stats(r: CohortResults, parts: LabParts, lab: str, part: Part) -> PartStats:
    """The cohort's median and mean points in a part, and how many officers are below half its points,
    over the officers who submitted and whose points in the part are known."""
    scores = [parts.score(r, t["trainee_id"], lab, part) for t in r.trainees
              if r.result(t["trainee_id"], lab).submitted]
    known = [s.points for s in scores if s.points is not None]
    return PartStats(len(known), statistics.median(known) if known else None,
                     statistics.fmean(known) if known else None,
                     sum(v < part.max_score / 2 for v in known), sum(s.pending for s in scores))


def lab_stats(r: CohortResults, parts: LabParts, lab: str) -> list[PartStats]:
    """part_stats of each of a lab's parts, in the lab's order."""
    return [part_stats(r, parts, lab, p) for p in parts.parts.get(lab, [])]


def _part_share(r: CohortResults, parts: LabParts, lab: str) -> tuple[Part, float] | None:
    """The part where the cohort loses most: the lowest mean share of its points (None: nothing known)."""
    shares = [(p, stats.mean / p.max_score) for p in parts.parts.get(lab, [])
              if p.max_score > 0 and (stats := part_stats(r, parts, lab, p)).mean is not None]
    return min(shares, key=lambda ps: ps[1]) if shares else None


def skill_progress(r: CohortResults, trainee: str, skill: str) -> str:
    """An officer's percentage in one skill, workshop by workshop: "W1 45 % → W3 80 %*" ("—" if none;
    * marks a provisional value, as in the rest of the report)."""
    steps = []
    for w in r.workshops:
        value = r.skill_workshop_percent(trainee, skill, w)
        if value is not None:
            star = "*" if r.provisional(trainee, r.skill_workshop_labs(skill, w)) else ""
            # Translators: "W" abbreviates Workshop: "W2 75%" is the skill's share in Workshop 2.
            steps.append(_("W{number} {percent}").format(number=w, percent=percent(value)) + star)
    return " → ".join(steps) or "—"


def late_text(seconds: float) -> str:
    """How late, in words a trainer reads at a glance: "45 min", "2 h 05 min", "3 days 4 h"."""
    from babel.numbers import format_decimal

    minutes = max(1, round(seconds / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return ngettext("{days} day {hours} h", "{days} days {hours} h", days).format(days=number(days),
                                                                                       hours=number(hours))
    if hours:
        return _("{hours} h {minutes} min").format(hours=number(hours),
                                                   minutes=format_decimal(mins, format="00", locale=language()))
    return _("{minutes} min").format(minutes=number(mins))


def skill_name(skill: str) -> str:
    """A skill id's name in the current language ("search-operators" -> "Search operators")."""
    return _(SKILL_NAMES[skill]) if skill in SKILL_NAMES else skill.replace("-", " ").capitalize()


def _csv_num(value: float) -> str:
    """A number in a CSV file: the same in every language, as spreadsheets and scripts read it."""
    return f"{value:g}"


def _band(value: float | None) -> str:
    return "" if value is None else "low" if value < 50 else "high" if value >= 80 else ""


def _figure_png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def _heatmap_png(r: CohortResults) -> bytes | None:
    if not r.labs or not r.trainees:
        return None
    with script_fonts():
        return _draw_heatmap(r)


def _draw_heatmap(r: CohortResults) -> bytes:
    plt = _pyplot()
    import numpy as np

    values = np.array([[np.nan if (v := r.skill_percent(t["trainee_id"], k)) is None else v for k in r.skills]
                       for t in r.trainees], dtype=float)
    fig, ax = plt.subplots(figsize=(1.3 + 1.1 * len(r.skills), 1.2 + 0.32 * len(r.trainees)))
    image = ax.imshow(values, cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
    ax.set_xticks(range(len(r.skills)), [skill_name(k) for k in r.skills], rotation=30, ha="right")
    ax.set_yticks(range(len(r.trainees)), [t["trainee_id"] for t in r.trainees])
    for (row, col), value in np.ndenumerate(values):
        ax.text(col, row, "—" if np.isnan(value) else number(value, 0), ha="center", va="center", fontsize=8)
    fig.colorbar(image, ax=ax, label=_("% of points"))
    ax.set_title(_("Each officer's score per skill (%)"))
    data = _figure_png(fig)
    plt.close(fig)
    return data


def _pyplot() -> Any:
    """matplotlib's pyplot, off-screen (fonts: build figures inside osintlab.plotfonts.script_fonts())."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _progress_png(r: CohortResults) -> bytes | None:
    """A dot plot: one row per officer (lowest at the top), one marker per workshop, joined by a
    line, so each officer's progress reads at a glance even at 30 officers (and with one workshop)."""
    shown = [w for w in r.workshops if r.workshop_labs(w)]
    if not shown or not r.trainees:
        return None
    with script_fonts():
        return _draw_progress(r, shown)


def _draw_progress(r: CohortResults, shown: list[int]) -> bytes:
    plt = _pyplot()
    values = {t["trainee_id"]: {w: r.workshop_percent(t["trainee_id"], w) for w in shown} for t in r.trainees}
    latest = shown[-1]
    order = sorted(values, key=lambda t: (values[t][latest] is None, values[t][latest] or 0), reverse=True)
    markers, colours = {1: "o", 2: "s", 3: "^"}, {1: "#1f77b4", 2: "#ff7f0e", 3: "#2ca02c"}
    fig, ax = plt.subplots(figsize=(7.5, 1.4 + 0.3 * len(order)))
    labelled: set[int] = set()
    for row, trainee in enumerate(order):
        points = [(values[trainee][w], w) for w in shown if values[trainee][w] is not None]
        if len(points) > 1:
            ax.plot([v for v, _ in points], [row] * len(points), color="#bbbbbb", linewidth=1.5, zorder=1)
        for value, w in points:
            ax.scatter([value], [row], marker=markers[w], color=colours[w], s=36, zorder=2,
                       label=None if w in labelled else _("Workshop {number}").format(number=w))
            labelled.add(w)
    for x in (50, 80):
        ax.axvline(x, color="#dddddd", linewidth=1, zorder=0)
    ax.set_yticks(range(len(order)), order, fontsize=8)
    ax.set_ylim(-0.7, len(order) - 0.3)
    ax.set_xlim(-2, 102)
    ax.set_xlabel(_("% of points (lines at {low} and {high})").format(low=percent(50), high=percent(80)))
    ax.set_title(_("Each officer's score per workshop (sorted by Workshop {number})").format(number=latest))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    data = _figure_png(fig)
    plt.close(fig)
    return data


# The CSV files' column headings. In English they stay the ids scripts read; a course in another
# language gets them translated for the trainer's spreadsheet.
# Translators: a column heading of the cohort report's CSV files (trainee id); keep it short.
TRAINEE_ID = N_("trainee_id")
# Translators: a column heading of the cohort report's CSV files; keep it short.
PROVISIONAL, SKILL = N_("provisional"), N_("skill")
# Translators: column headings of the cohort report's scores.csv; keep them short.
SCORES_COLUMNS = (TRAINEE_ID, N_("name"), N_("lab"), N_("submitted"), N_("auto"), N_("manual"), N_("late_penalty"),
                  # Translators: column headings of the cohort report's scores.csv; keep them short.
                  N_("total"), N_("max"), N_("manual_pending"), N_("grading_failed"), N_("seconds_late"))
# Translators: column headings of the cohort report's parts.csv (one graded part of a lab per row); keep them
# short. "step": the heading of the notebook step the part sits in; "kind": auto or manual.
PARTS_COLUMNS = (TRAINEE_ID, N_("name"), N_("lab"), N_("submitted"), N_("part"), N_("step"), N_("kind"),
                 N_("points"), N_("max"), N_("manual_pending"), N_("grading_failed"))
# Translators: column headings of the cohort report's flags.csv; keep them short.
FLAGS_COLUMNS = (N_("lab"), TRAINEE_ID, N_("kind"), N_("cell"), N_("detail"), N_("meaning"))


def headings(columns: tuple[str, ...]) -> list[str]:
    """CSV column headings in the current language (the ids themselves in English)."""
    return [_(column) for column in columns]


def _write_csvs(r: CohortResults, folder: Path, excel: bool = False) -> None:
    from grader.export import csv_text

    scores = []
    for t in r.trainees:
        for spec in r.labs:
            res = r.result(t["trainee_id"], spec.id)
            scores.append([t["trainee_id"], t["name"], spec.id, "yes" if res.submitted else "no",
                           _csv_num(res.auto), _csv_num(res.manual), _csv_num(res.penalty),
                           "" if res.failed else _csv_num(res.total), _csv_num(r.max_score[spec.id]),
                           "yes" if res.pending_manual else "no",
                           "yes" if res.failed else "no", f"{res.seconds_late:.0f}"])
    atomic_write_text(folder / "scores.csv", csv_text(
        headings(SCORES_COLUMNS), scores, excel=excel))
    skills = [[t["trainee_id"], *("" if (v := r.skill_percent(t["trainee_id"], k)) is None else f"{v:.1f}"
                                  for k in r.skills), "yes" if r.provisional(t["trainee_id"], r.labs) else "no"]
              for t in r.trainees]
    atomic_write_text(folder / "skills.csv", csv_text([_(TRAINEE_ID), *r.skills, _(PROVISIONAL)], skills, excel=excel))
    flags = [[lab, trainee, f.kind, f.cell or "", f.detail, f.meaning] for lab, trainee, f in r.flags]
    atomic_write_text(folder / "flags.csv", csv_text(headings(FLAGS_COLUMNS), flags, excel=excel))


def _write_skill_progress(r: CohortResults, folder: Path, excel: bool = False) -> None:
    """skills-progress.csv: officer x skill, the percentage in each workshop (empty: not trained there)."""
    from grader.export import csv_text

    rows = [[t["trainee_id"], k, *("" if (v := r.skill_workshop_percent(t["trainee_id"], k, w)) is None else f"{v:.1f}"
                                   for w in r.workshops)] for t in r.trainees for k in r.skills]
    # Translators: a CSV column heading, "W" for Workshop: W1, W2, W3.
    header = [*headings((TRAINEE_ID, SKILL)), *(_("W{number}").format(number=w) for w in r.workshops)]
    atomic_write_text(folder / "skills-progress.csv", csv_text(header, rows, excel=excel))


def _write_parts(r: CohortResults, parts: LabParts, folder: Path, excel: bool = False) -> None:
    """parts.csv: officer x lab x graded part. Points are empty while unknown (a written answer not graded
    yet: manual_pending yes; a failed grading: grading_failed yes), never 0; a lab not submitted counts 0
    with submitted no, as in scores.csv. Part points add up to auto + manual in scores.csv (nbgrader's late
    penalty applies to the lab's total only)."""
    from grader.export import csv_text

    rows = []
    for t in r.trainees:
        for spec in r.labs:
            res: LabResult = r.result(t["trainee_id"], spec.id)
            for part in parts.parts.get(spec.id, []):
                score = parts.score(r, t["trainee_id"], spec.id, part)
                rows.append([t["trainee_id"], t["name"], spec.id, "yes" if res.submitted else "no", part.id, part.step,
                             "manual" if part.manual else "auto",
                             "" if score.points is None else _csv_num(score.points), _csv_num(part.max_score),
                             "yes" if score.pending else "no", "yes" if res.failed else "no"])
    atomic_write_text(folder / "parts.csv", csv_text(headings(PARTS_COLUMNS), rows, excel=excel))
