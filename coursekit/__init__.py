"""Helpers for lesson notebooks: practice worlds, self-check exercises, a search log.

Lessons stay thin: a notebook cell calls these; the logic lives here, typed and tested.
The search helpers (coursekit.searchlog, coursekit.querycheck) are imported from their
modules, so the text-only lessons do not load the search engine.
"""

from coursekit.identifiers import address, phones_in
from coursekit.practice import PRACTICE_SEED, practice_case
from coursekit.selfcheck import Exercise, Feedback, exercise, exercise_ids
from osintlab.errors import install_notebook_handler

install_notebook_handler()  # in a notebook: a user error is one sentence, not a traceback

__all__ = ["PRACTICE_SEED", "Exercise", "Feedback", "address", "exercise", "exercise_ids", "phones_in",
           "practice_case"]
