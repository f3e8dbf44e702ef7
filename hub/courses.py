"""The courses on a hub: each a cohort course folder (grader.cohort) with its trainers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hub.accounts import course_group, grader_account
from hub.settings import Settings
from osintlab.errors import UserError
from osintlab.i18n import _


@dataclass(frozen=True)
class HubCourse:
    course_id: str
    dir: Path
    country: str
    officers: dict[str, str]  # trainee id (the login name) -> full name
    trainers: list[str]

    @property
    def grader(self) -> str:
        """The account the course's formgrader service runs as; it owns the course folder."""
        return grader_account(self.course_id)

    @property
    def group(self) -> str:
        """Unix and JupyterHub group of everyone in the course (nbgrader's `nbgrader-<course>`)."""
        return course_group(self.course_id)

    @property
    def formgrade_group(self) -> str:
        """JupyterHub group of the course's trainers (nbgrader's `formgrade-<course>`)."""
        return f"formgrade-{self.course_id}"


def load_course(directory: Path, trainers: list[str]) -> HubCourse:
    from grader.cohort import course_state

    directory = Path(directory)
    state = course_state(directory)
    officers = {str(t["trainee_id"]): str(t["name"]) for t in state["trainees"]}  # type: ignore[union-attr]
    return HubCourse(str(state["course_id"]), directory, str(state["country"]), officers, list(trainers))


def shared_language(settings: Settings) -> str | None:
    """The language every course of the hub is in (grader.language: "en", "mn", ...), or None when
    they have several languages or the hub has no course: what the hub's own messages speak."""
    from grader.language import course_language

    found = {course_language(Path(c.dir)) for c in settings.courses}
    return found.pop() if len(found) == 1 else None


def load_courses(settings: Settings) -> list[HubCourse]:
    """Every course of the hub; UserError if two share an id (the id names groups and services)."""
    courses = [load_course(Path(c.dir), c.trainers) for c in settings.courses]
    seen: dict[str, Path] = {}
    for course in courses:
        if course.course_id in seen:
            raise UserError(_("the courses {first} and {second} have the same id {course}: the folder name is the "
                              "id, so rename one folder.").format(first=seen[course.course_id], second=course.dir,
                                                                  course=repr(course.course_id)))
        seen[course.course_id] = course.dir
    return courses
