"""nbgrader sanitize step: inspect the submission as the trainee sent it, before anything is restored.

Compares it with the released notebook (grader.inspection) and stores the flags, stage "inspect".
Then it changes the notebook only where nbgrader itself would fail or write an invalid file
(grader.inspection.normalise: a pasted copy of a graded cell, code outputs left on a markdown cell).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from grader import flags as flagstore


class InspectSubmission(NbGraderPreprocessor):
    course_root = Unicode("", help="The cohort course folder (for the release and the flags).").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: Any) -> tuple[NotebookNode, Any]:
        from grader.inspection import inspect_submission, normalise

        trainee, lab = resources["nbgrader"]["student"], resources["nbgrader"]["assignment"]
        released_path = Path(self.course_root) / "release" / lab / f"{resources['unique_key']}.ipynb"
        released = nbformat.read(released_path, as_version=4)
        found = inspect_submission(nb, released)
        flagstore.write_flags(Path(self.course_root), lab, trainee, "inspect", found)
        return normalise(nb), resources
