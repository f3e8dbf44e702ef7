"""How a cohort course configures nbgrader, and an in-process nbgrader API for it.

The course's nbgrader_config.py calls `configure(c, root)`, so nbgrader's own commands and the
formgrader grade exactly as `osintlab cohort` does: the submission is inspected first, the
kernel runs in the sandbox, and feedback never shows hidden tests and is written in the current
language (grader.feedback_html; `osintlab cohort` commands and the formgrader speak the course's).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from osintlab.errors import UserError
from osintlab.i18n import _


def configure(c: Any, root: str) -> None:
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        ClearHiddenTests,
        ClearOutput,
        DeduplicateIds,
        GetGrades,
        IgnorePattern,
        LimitOutput,
        OverwriteCells,
        OverwriteKernelspec,
        SaveAutoGrades,
    )

    from grader.execute import SandboxedExecute
    from grader.feedback_html import TEMPLATE_NAME, TEMPLATES, FeedbackExporter
    from grader.inspect_step import InspectSubmission

    c.Autograde.sanitize_preprocessors = [InspectSubmission, ClearOutput, DeduplicateIds, OverwriteKernelspec,
                                          OverwriteCells, CheckCellMetadata]
    c.Autograde.autograde_preprocessors = [SandboxedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                           SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
    c.InspectSubmission.course_root = root
    c.SandboxedExecute.course_root = root
    c.GenerateFeedback.preprocessors = [ClearHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]
    c.GenerateFeedback.exporter_class = FeedbackExporter
    c.FeedbackExporter.template_name = TEMPLATE_NAME
    c.FeedbackExporter.extra_template_basedirs = [str(TEMPLATES)]


def put_venv_on_path() -> None:
    """nbgrader runs `alembic` from PATH when it creates a gradebook; `.venv/bin/osintlab` may run
    without the venv on PATH, so put this interpreter's bin folder first."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])


def nbgrader_api(course: Path) -> Any:
    """nbgrader's Python API on the course, configured from its nbgrader_config.py (no CLI start-up)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    from grader.cohort import open_gradebook

    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise UserError(_("{course} has no nbgrader_config.py: create the course with osintlab cohort init.").format(
            course=course))
    put_venv_on_path()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    with open_gradebook(str(config.CourseDirectory.db_url)):
        pass  # a database that cannot be reached is one sentence now, not a failure per submission later
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(course)
    return NbGraderAPI(coursedir=coursedir, config=config)


def check_result(result: dict[str, Any], what: str) -> None:
    """Raise a one-sentence error with the log tail when an nbgrader API call failed."""
    if not result.get("success"):
        tail = "\n".join(str(result.get("error") or result.get("log") or "").strip().splitlines()[-12:])
        # Translators: {what} is one of the actions "generate the student version of {lab}", "collect {lab}",
        # "release feedback for {lab}"...; nbgrader's log follows on the next lines.
        raise UserError(_("nbgrader could not {what}:").format(what=what) + "\n" + tail)
