"""`osintlab cohort add DIR --roster late.csv`: officers who join a running course.

The same roster checks as init (and their ids and e-mails must be new to the course). Each new
officer is added to the gradebook and the course's roster, and gets their own case variant of
every lab already released (kept apart from the others'), published in the exchange, where
nbgrader's fetch finds the lab as for everyone else. Nothing changes for the other officers.
"""

from __future__ import annotations

from pathlib import Path

from grader.cohort import add_students, backup_gradebook, gradebook_url, load_roster, save_trainees, trainees_of
from grader.release import give_cases, refresh_pointers, released_labs
from labs import catalogue
from osintlab.i18n import _, ngettext


def add_trainees(course: Path, roster: Path, *, workers: int = 2) -> list[str]:
    """Add the officers of `roster`; returns summary lines (warnings first). Raises UserError for a bad roster."""
    course = Path(course).resolve()
    current = trainees_of(course)
    new = load_roster(roster, existing=current)
    everyone = [*current, *new.trainees]
    ids = [t.trainee_id for t in everyone]
    refresh_pointers(course)
    lines = list(new.warnings)
    # Cases first: if making them stops half-way, the roster is unchanged and `add` can simply run again.
    for lab, info in sorted(released_labs(course).items()):
        made, moved, apart = give_cases(course, catalogue.get(lab), ids, workers=workers, hints=bool(info.get("hints")))
        if moved:
            line = ngettext("{lab}: {count} new case variant, {moved} regenerated to keep variants apart.",
                            "{lab}: {count} new case variants, {moved} regenerated to keep variants apart.",
                            made).format(lab=lab, count=made, moved=moved)
        else:
            line = ngettext("{lab}: {count} new case variant.", "{lab}: {count} new case variants.", made).format(
                lab=lab, count=made)
        if not apart:
            line += " " + _("Warning: some variants stay close to each other (copied answers may score).")
        lines.append(line)
    backup_gradebook(course, "before-add")
    add_students(gradebook_url(course), new.trainees)
    save_trainees(course, everyone)
    count = len(new.trainees)
    lines.append(ngettext("Added {count} officer to {course}: {officers}. They fetch the released labs as everyone "
                          "else does.", "Added {count} officers to {course}: {officers}. They fetch the released labs "
                          "as everyone else does.", count).format(
        count=count, course=course.name, officers=", ".join(t.trainee_id for t in new.trainees)))
    return lines
