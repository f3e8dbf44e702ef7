"""`osintlab cohort report DIR`: one self-contained HTML page (opens offline, e.g. from a USB stick)
with its plots embedded, and CSV files beside it:

    cohort-report.html   summary, weakest skills, officer x lab, skills heatmap, progress, flags,
                         manual grading pending
    scores.csv           officer x lab: submitted, auto, manual, penalty, total, max, pending
    skills.csv           officer x skill percentages
    flags.csv            every flag, with its plain meaning
    skills-heatmap.png, progress.png
"""

from __future__ import annotations

import base64
import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader.results import CohortResults, load_results
from osintlab.fsutil import atomic_write_bytes, atomic_write_text

TEMPLATE = Path(__file__).with_name("templates") / "report.html"


def write_report(course: Path, out: Path | None = None) -> Path:
    """Write the report (default DIR/reports/cohort-report.html) and its CSVs; returns the HTML path."""
    results = load_results(course)
    html_path = Path(out) if out else Path(course) / "reports" / "cohort-report.html"
    folder = html_path.parent
    heatmap, progress = _heatmap_png(results), _progress_png(results)
    if heatmap:
        atomic_write_bytes(folder / "skills-heatmap.png", heatmap)
    if progress:
        atomic_write_bytes(folder / "progress.png", progress)
    _write_csvs(results, folder)
    atomic_write_text(html_path, render(results, heatmap, progress))
    return html_path


def render(r: CohortResults, heatmap: bytes | None, progress: bytes | None) -> str:
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    averages = [(k, v) for k in r.skills if (v := r.skill_average(k)) is not None]
    weakest = sorted(averages, key=lambda kv: kv[1])[:3]
    return template.render(
        r=r, made=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        submissions=sum(res.submitted for res in r.results.values()),
        weakest=[kv for kv in weakest if kv[1] < 70], flagged={(t, lab) for lab, t, _ in r.flags},
        heatmap=base64.b64encode(heatmap).decode() if heatmap else "",
        progress=base64.b64encode(progress).decode() if progress else "",
        pct=_pct, num=_num, band=_band, skill_name=skill_name)


def skill_name(skill: str) -> str:
    return skill.replace("-", " ").capitalize()


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} %"


def _num(value: float) -> str:
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
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    values = np.array([[np.nan if (v := r.skill_percent(t["trainee_id"], k)) is None else v for k in r.skills]
                       for t in r.trainees], dtype=float)
    fig, ax = plt.subplots(figsize=(1.3 + 1.1 * len(r.skills), 1.2 + 0.32 * len(r.trainees)))
    image = ax.imshow(values, cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
    ax.set_xticks(range(len(r.skills)), [skill_name(k) for k in r.skills], rotation=30, ha="right")
    ax.set_yticks(range(len(r.trainees)), [t["trainee_id"] for t in r.trainees])
    for (row, col), value in np.ndenumerate(values):
        ax.text(col, row, "—" if np.isnan(value) else f"{value:.0f}", ha="center", va="center", fontsize=8)
    fig.colorbar(image, ax=ax, label="% of points")
    ax.set_title("Each officer's score per skill (%)")
    data = _figure_png(fig)
    plt.close(fig)
    return data


def _progress_png(r: CohortResults) -> bytes | None:
    shown = [w for w in r.workshops if any(int(s.data["workshop"]) == w for s in r.labs)]
    if not shown or not r.trainees:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    for t in r.trainees:
        points = [(w, v) for w in shown if (v := r.workshop_percent(t["trainee_id"], w)) is not None]
        ax.plot([f"W{w}" for w, _ in points], [v for _, v in points], marker="o", alpha=0.6, label=t["trainee_id"])
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of points")
    ax.set_title("Progress from workshop to workshop")
    if len(r.trainees) <= 12:
        ax.legend(fontsize=7, ncol=2, loc="lower right")
    data = _figure_png(fig)
    plt.close(fig)
    return data


def _csv_text(header: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _write_csvs(r: CohortResults, folder: Path) -> None:
    scores = []
    for t in r.trainees:
        for spec in r.labs:
            res = r.result(t["trainee_id"], spec.id)
            scores.append([t["trainee_id"], t["name"], spec.id, "yes" if res.submitted else "no",
                           _num(res.auto), _num(res.manual), _num(res.penalty), _num(res.total),
                           _num(r.max_score[spec.id]), "yes" if res.pending_manual else "no"])
    atomic_write_text(folder / "scores.csv", _csv_text(
        ["trainee_id", "name", "lab", "submitted", "auto", "manual", "late_penalty", "total", "max",
         "manual_pending"], scores))
    skills = [[t["trainee_id"], *("" if (v := r.skill_percent(t["trainee_id"], k)) is None else f"{v:.1f}"
                                  for k in r.skills)] for t in r.trainees]
    atomic_write_text(folder / "skills.csv", _csv_text(["trainee_id", *r.skills], skills))
    flags = [[lab, trainee, f.kind, f.cell or "", f.detail, f.meaning] for lab, trainee, f in r.flags]
    atomic_write_text(folder / "flags.csv", _csv_text(["lab", "trainee_id", "kind", "cell", "detail", "meaning"],
                                                      flags))
