"""`osintlab cohort feedback DIR LAB|W1`: nbgrader feedback, checked before trainees get it.

nbgrader's generate_feedback renders each graded notebook to HTML, in the course's language
(grader.feedback_html); our configuration strips hidden tests first (grader.nbconfig). Every
file is then checked for anything that must never reach a trainee; a file that fails is deleted
and reported, never released. Feedback waits while a submission's written answers are not graded
yet (it would show them as 0) or its grading failed: those trainees are named, and get their
feedback when the command is run again after grading. Then nbgrader's release_feedback makes the
rest available to `nbgrader fetch_feedback`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.cohort import course_state
from grader.nbconfig import check_result, nbgrader_api
from grader.release import resolve_labs
from grader.results import load_results
from osintlab.errors import UserError
from osintlab.i18n import _, ngettext

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
            raise UserError(_("no graded submissions of {lab} yet: run osintlab cohort autograde first.").format(
                lab=spec.id))
        # Translators: shown after "nbgrader could not"; {lab} is a lab id.
        check_result(api.generate_feedback(spec.id), _("generate feedback for {lab}").format(lab=spec.id))
        waiting = _not_final(course, spec.id)
        for trainee in waiting:
            shutil.rmtree(course / "feedback" / trainee / spec.id, ignore_errors=True)
        withheld = []
        files = sorted((course / "feedback").glob(f"*/{spec.id}/*.html"))
        for path in files:
            found = leaks(path.read_text(encoding="utf-8", errors="replace"))
            if found:
                path.unlink()
                withheld.append(f"{path.parent.parent.name} ({', '.join(found)})")
        # Submissions a trainer copied in by hand (not through the exchange) have no submission secret:
        # nbgrader cannot address their feedback, which the trainer hands over from feedback/.
        by_hand = sorted({p.parent.parent.name for p in files if p.exists()
                          and not (p.parent / "submission_secret.txt").is_file()})
        api.coursedir.student_id_exclude = ",".join(by_hand)
        try:
            # Translators: shown after "nbgrader could not"; {lab} is a lab id.
            check_result(api.release_feedback(spec.id), _("release feedback for {lab}").format(lab=spec.id))
        finally:
            api.coursedir.student_id_exclude = ""
        released = len(files) - len(withheld) - len(by_hand)
        line = ngettext("{lab}: feedback released to {count} trainee.", "{lab}: feedback released to {count} trainees.",
                        released).format(lab=spec.id, count=released)
        if by_hand:
            line += " " + _("Submitted outside the exchange, so hand their feedback over from {folder}: "
                            "{trainees}.").format(folder=course / "feedback", trainees=", ".join(by_hand))
        if waiting:
            line += " " + _("Waiting for manual grading (not graded yet): {trainees}; grade them in the formgrader, "
                            "then run feedback again.").format(trainees=", ".join(waiting))
        if withheld:
            line += " " + _("Withheld because they showed grading material: {pages}.").format(pages="; ".join(withheld))
        lines.append(line)
    return lines


def _not_final(course: Path, lab: str) -> list[str]:
    """Trainees whose grade for `lab` may still change: written answers not graded yet, or grading failed."""
    results = load_results(course)
    return sorted(t for t, found in [*results.pending, *results.failed] if found == lab)
