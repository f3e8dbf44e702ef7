"""The cohort's grades, read once from the nbgrader gradebook into plain data for reports and exports.

Rules (the report states them too):
- a lab counts once it is released (it is in the gradebook);
- a released lab a trainee did not submit counts 0 in their percentages, and is shown as
  "not submitted", never as a score of 0;
- a lab's total is autograded + manual points, minus nbgrader's late penalty;
- a skill's (or workshop's) percentage is points earned / points possible over the released
  labs that train that skill (or belong to that workshop).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.cohort import course_state
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

    @property
    def total(self) -> float:
        return max(0.0, self.auto + self.manual - self.penalty) if self.submitted else 0.0


@dataclass
class CohortResults:
    course_id: str
    country: str
    trainees: list[dict[str, str]]
    labs: list[LabSpec]
    max_score: dict[str, float]
    results: dict[tuple[str, str], LabResult]
    flags: list[tuple[str, str, Flag]] = field(default_factory=list)

    def result(self, trainee: str, lab: str) -> LabResult:
        return self.results.get((trainee, lab), LabResult(submitted=False, max_score=self.max_score[lab]))

    @property
    def skills(self) -> list[str]:
        return sorted({s for spec in self.labs for s in spec.data["skills"]})

    @property
    def workshops(self) -> list[int]:
        return [1, 2, 3]

    def percent(self, trainee: str, labs: list[LabSpec]) -> float | None:
        possible = sum(self.max_score[s.id] for s in labs)
        if not possible:
            return None
        return 100.0 * sum(self.result(trainee, s.id).total for s in labs) / possible

    def skill_percent(self, trainee: str, skill: str) -> float | None:
        return self.percent(trainee, [s for s in self.labs if skill in s.data["skills"]])

    def workshop_percent(self, trainee: str, workshop: int) -> float | None:
        return self.percent(trainee, [s for s in self.labs if int(s.data["workshop"]) == workshop])

    def lab_average(self, lab: str) -> float | None:
        """Average percentage over the trainees who submitted the lab."""
        done = [self.result(t["trainee_id"], lab) for t in self.trainees]
        done = [r for r in done if r.submitted]
        if not done or not self.max_score[lab]:
            return None
        return 100.0 * sum(r.total for r in done) / (len(done) * self.max_score[lab])

    def skill_average(self, skill: str) -> float | None:
        values = [v for t in self.trainees if (v := self.skill_percent(t["trainee_id"], skill)) is not None]
        return sum(values) / len(values) if values else None

    @property
    def pending(self) -> list[tuple[str, str]]:
        """(trainee, lab) whose written answers still wait for a trainer."""
        return [(t["trainee_id"], s.id) for s in self.labs for t in self.trainees
                if self.result(t["trainee_id"], s.id).pending_manual]


def load_results(course: Path) -> CohortResults:
    from nbgrader.api import Gradebook, MissingEntry

    course = Path(course)
    state = course_state(course)
    trainees = [dict(t) for t in state["trainees"]]  # type: ignore[union-attr]
    known = {s.id: s for s in catalogue.discover()}
    results: dict[tuple[str, str], LabResult] = {}
    max_score: dict[str, float] = {}
    with Gradebook(str(state["db_url"])) as gb:
        released = [known[a.name] for a in gb.assignments if a.name in known]
        for spec in released:
            max_score[spec.id] = float(gb.find_assignment(spec.id).max_score)
            for trainee in trainees:
                try:
                    sub = gb.find_submission(spec.id, trainee["trainee_id"])
                except MissingEntry:
                    continue
                results[trainee["trainee_id"], spec.id] = _lab_result(sub, max_score[spec.id])
    labs = sorted(released, key=lambda s: (int(s.data["workshop"]), s.id))
    return CohortResults(str(state["course_id"]), str(state["country"]), trainees, labs, max_score, results,
                         cohort_flags(course))


def _lab_result(sub: object, max_score: float) -> LabResult:
    auto = float(getattr(sub, "code_score", 0) or 0)
    written = float(getattr(sub, "written_score", 0) or 0)
    return LabResult(submitted=True, auto=auto, manual=written,
                     penalty=float(getattr(sub, "late_submission_penalty", 0) or 0), max_score=max_score,
                     pending_manual=bool(getattr(sub, "needs_manual_grade", False)))
