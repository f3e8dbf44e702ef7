"""The cohort's grades, read once from the nbgrader gradebook into plain data for reports and exports.

Rules (the report states them too):
- a lab counts once it is released (it is in the gradebook);
- a released lab a trainee did not submit counts 0 in their percentages, and is shown as
  "not submitted", never as a score of 0;
- a lab's total is autograded + manual points, minus nbgrader's late penalty;
- written answers nobody has graded yet are not 0: the lab's total is provisional, and
  percentages leave those answers' points out until a trainer grades them;
- a submission whose grading failed (flag "grading-failed") has no total: it is left out of
  percentages and exports until it is graded, never counted as 0;
- a skill's (or workshop's) percentage is points earned / points possible over the released
  labs that train that skill (or belong to that workshop).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from grader.cohort import course_state, gradebook_url, open_gradebook
from grader.flags import Flag, cohort_flags
from labs import catalogue
from labs.catalogue import LabSpec


@dataclass(frozen=True)
class LabResult:
    submitted: bool
    auto: float = 0.0
    manual: float = 0.0
    penalty: float = 0.0
    max_score: float = 0.0
    pending_manual: bool = False
    pending_points: float = 0.0  # points of written answers not graded yet
    failed: bool = False  # submitted, but grading failed: no total until it is graded
    seconds_late: float = 0.0

    @property
    def total(self) -> float:
        """Points so far (0 when not submitted; provisional while `pending_manual`; 0 and unused when failed)."""
        return max(0.0, self.auto + self.manual - self.penalty) if self.submitted and not self.failed else 0.0

    @property
    def unknown_points(self) -> float:
        """Points whose outcome nobody knows yet: left out of percentages."""
        return self.max_score if self.failed else self.pending_points if self.pending_manual else 0.0

    @property
    def provisional(self) -> bool:
        return self.submitted and (self.pending_manual or self.failed)


@dataclass
class CohortResults:
    course_id: str
    country: str
    trainees: list[dict[str, str]]
    labs: list[LabSpec]
    max_score: dict[str, float]
    results: dict[tuple[str, str], LabResult]
    flags: list[tuple[str, str, Flag]] = field(default_factory=list)
    due: dict[str, datetime | None] = field(default_factory=dict)  # each lab's due date (UTC), if set

    def result(self, trainee: str, lab: str) -> LabResult:
        return self.results.get((trainee, lab), LabResult(submitted=False, max_score=self.max_score[lab]))

    @property
    def skills(self) -> list[str]:
        return sorted({s for spec in self.labs for s in spec.data["skills"]})

    @property
    def workshops(self) -> list[int]:
        return [1, 2, 3]

    def percent(self, trainee: str, labs: list[LabSpec]) -> float | None:
        """Points earned / points possible over `labs`, leaving out points nobody has graded yet."""
        results = [self.result(trainee, s.id) for s in labs]
        possible = sum(self.max_score[s.id] for s in labs) - sum(r.unknown_points for r in results)
        if possible <= 0:
            return None
        return 100.0 * sum(r.total for r in results) / possible

    def provisional(self, trainee: str, labs: list[LabSpec]) -> bool:
        """Whether a percentage over `labs` may still change (ungraded written answers, failed grading)."""
        return any(self.result(trainee, s.id).provisional for s in labs)

    def skill_labs(self, skill: str) -> list[LabSpec]:
        return [s for s in self.labs if skill in s.data["skills"]]

    def workshop_labs(self, workshop: int) -> list[LabSpec]:
        return [s for s in self.labs if int(s.data["workshop"]) == workshop]

    def skill_percent(self, trainee: str, skill: str) -> float | None:
        return self.percent(trainee, self.skill_labs(skill))

    def workshop_percent(self, trainee: str, workshop: int) -> float | None:
        return self.percent(trainee, self.workshop_labs(workshop))

    def skill_workshop_labs(self, skill: str, workshop: int) -> list[LabSpec]:
        return [s for s in self.skill_labs(skill) if int(s.data["workshop"]) == workshop]

    def skill_workshop_percent(self, trainee: str, skill: str, workshop: int) -> float | None:
        """A skill's percentage over the released labs of one workshop that train it (None: none)."""
        return self.percent(trainee, self.skill_workshop_labs(skill, workshop))

    def lab_average(self, lab: str) -> float | None:
        """Average percentage over the trainees who submitted the lab."""
        done = [self.result(t["trainee_id"], lab) for t in self.trainees]
        done = [r for r in done if r.submitted and not r.failed]
        possible = sum(r.max_score - r.unknown_points for r in done)
        if possible <= 0:
            return None
        return 100.0 * sum(r.total for r in done) / possible

    def skill_average(self, skill: str) -> float | None:
        values = [v for t in self.trainees if (v := self.skill_percent(t["trainee_id"], skill)) is not None]
        return sum(values) / len(values) if values else None

    @property
    def pending(self) -> list[tuple[str, str]]:
        """(trainee, lab) whose written answers still wait for a trainer."""
        return [(t["trainee_id"], s.id) for s in self.labs for t in self.trainees
                if self.result(t["trainee_id"], s.id).pending_manual]

    @property
    def failed(self) -> list[tuple[str, str]]:
        """(trainee, lab) whose submission could not be graded (see its flags)."""
        return [(t["trainee_id"], s.id) for s in self.labs for t in self.trainees
                if self.result(t["trainee_id"], s.id).failed]

    @property
    def late(self) -> list[tuple[str, str, float]]:
        """(trainee, lab, seconds late) of every late submission."""
        return [(t["trainee_id"], s.id, res.seconds_late) for s in self.labs for t in self.trainees
                if (res := self.result(t["trainee_id"], s.id)).submitted and res.seconds_late > 0]


def load_results(course: Path) -> CohortResults:
    from nbgrader.api import MissingEntry

    course = Path(course)
    state = course_state(course)
    trainees = [dict(t) for t in state["trainees"]]  # type: ignore[union-attr]
    known = {s.id: s for s in catalogue.discover()}
    flags = cohort_flags(course)
    failed = {(trainee, lab) for lab, trainee, f in flags if f.kind == "grading-failed"}
    results: dict[tuple[str, str], LabResult] = {}
    max_score: dict[str, float] = {}
    due: dict[str, datetime | None] = {}
    with open_gradebook(gradebook_url(course)) as gb:
        released = [known[a.name] for a in gb.assignments if a.name in known]
        for spec in released:
            assignment = gb.find_assignment(spec.id)
            max_score[spec.id], due[spec.id] = float(assignment.max_score), assignment.duedate
            for trainee in trainees:
                key = (trainee["trainee_id"], spec.id)
                try:
                    sub = gb.find_submission(spec.id, trainee["trainee_id"])
                except MissingEntry:
                    if key in failed:
                        results[key] = LabResult(submitted=True, max_score=max_score[spec.id], failed=True)
                    continue
                results[key] = _lab_result(sub, max_score[spec.id], key in failed)
    labs = sorted(released, key=lambda s: (int(s.data["workshop"]), s.id))
    return CohortResults(str(state["course_id"]), str(state["country"]), trainees, labs, max_score, results, flags, due)


def _lab_result(sub: Any, max_score: float, failed: bool) -> LabResult:
    pending_points = sum(float(g.max_score or 0) for nb in sub.notebooks for g in nb.grades if g.needs_manual_grade)
    return LabResult(submitted=True, auto=float(sub.code_score or 0), manual=float(sub.written_score or 0),
                     penalty=float(sub.late_submission_penalty or 0), max_score=max_score,
                     pending_manual=bool(sub.needs_manual_grade), pending_points=pending_points, failed=failed,
                     seconds_late=float(sub.total_seconds_late or 0))
