"""A cohort whose gradebook is a real PostgreSQL server (init --db-url), graded by parallel workers.

The server is started for this test only, in a temporary folder, listening on a Unix socket
(no TCP port). PostgreSQL comes from Debian (scripts/setup.sh installs it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.autograde import autograde
from grader.cohort import backup_gradebook
from grader.simulate import answered, place_submission
from tests.grader.cohortkit import make_cohort, scores
from tests.postgres import temporary_postgres

LAB = "w1-01-passive-active"


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with temporary_postgres("gradebook") as url:
        yield url


def test_a_postgresql_gradebook_grades_in_parallel(postgres_url: str, tmp_path: Path) -> None:
    trainees = ["mn-001", "mn-002", "mn-003", "mn-004"]
    course = make_cohort(tmp_path, trainees, [LAB], db_url=postgres_url)
    place_submission(course, LAB, "mn-001", answered(course, LAB, answers_of="mn-001"))
    place_submission(course, LAB, "mn-002", answered(course, LAB, answers_of="mn-002", fraction=0.5))
    place_submission(course, LAB, "mn-003", answered(course, LAB, answers_of="mn-001"))
    autograde(course, LAB, workers=2)
    got = scores(course, LAB)
    assert got["mn-001"]["total"] == 6.0 and 0 < got["mn-002"]["total"] < 6 and got["mn-003"]["total"] == 0
    assert "mn-004" not in got
    assert not (course / "gradebook.db").exists()  # everything went to the server
    assert backup_gradebook(course, "test") is None  # a server database is backed up with its own tools
