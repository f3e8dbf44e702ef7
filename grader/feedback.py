"""`osintlab cohort feedback DIR LAB|W1`: nbgrader feedback, checked before trainees get it.

nbgrader's generate_feedback renders each graded notebook to HTML; our configuration strips
hidden tests first (grader.nbconfig). Every file is then checked for anything that must never
reach a trainee; a file that fails is deleted and reported, never released. Then nbgrader's
release_feedback makes the rest available to `nbgrader fetch_feedback`.
"""

from __future__ import annotations

from pathlib import Path

from grader.cohort import course_state
from grader.nbconfig import check_result, nbgrader_api
from grader.release import resolve_labs
from osintlab.errors import UserError

# What would give away hidden tests, solutions or keys (the hidden tests are only `lab.grade` calls).
FORBIDDEN = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN SOLUTION", "lab.grade(", "reference_answer",
             "OSINTLAB_KEY_DIR", ".osintlab/variants")


def leaks(html: str) -> list[str]:
    return [marker for marker in FORBIDDEN if marker in html]


def feedback(course: Path, target: str) -> list[str]:
    course = Path(course).resolve()
    course_state(course)
    api = nbgrader_api(course)
    lines = []
    for spec in resolve_labs(target):
        if not list((course / "autograded").glob(f"*/{spec.id}")):
            raise UserError(f"no graded submissions of {spec.id} yet: run osintlab cohort autograde first.")
        check_result(api.generate_feedback(spec.id), f"generate feedback for {spec.id}")
        withheld = []
        files = sorted((course / "feedback").glob(f"*/{spec.id}/*.html"))
        for path in files:
            found = leaks(path.read_text(encoding="utf-8", errors="replace"))
            if found:
                path.unlink()
                withheld.append(f"{path.parent.parent.name} ({', '.join(found)})")
        check_result(api.release_feedback(spec.id), f"release feedback for {spec.id}")
        line = f"{spec.id}: feedback released to {len(files) - len(withheld)} trainees."
        if withheld:
            line += f" Withheld because they showed grading material: {'; '.join(withheld)}."
        lines.append(line)
    return lines
