"""Where each trainee's case variant lives.

    DIR/.osintlab/variants/<lab>/<trainee>/{case,key,variant.json}   the trainer's copy (grading)
    EXCHANGE/<course_id>/cases/<lab>/<trainee>/case                  the trainee's copy (read-only)

The grader scores with its own copy, never with the one trainees can reach.

Variants are kept apart: on any part, a trainee's answer key scores at most 1 - COPY_MARGIN of
the points on another trainee's case (release checks it), so an answer copied from a neighbour
is always far from right, and grading can tell it is a copy (grader/execute.py).
"""

from __future__ import annotations

from pathlib import Path

from grader.cohort import STATE, course_exchange

COPY_MARGIN = 0.25


def variant_dir(course: Path, lab: str, trainee: str) -> Path:
    return Path(course) / STATE / "variants" / lab / trainee


def cases_root(course: Path, lab: str) -> Path:
    return course_exchange(course) / "cases" / lab


def trainee_case(course: Path, lab: str, trainee: str) -> Path:
    return cases_root(course, lab) / trainee / "case"
