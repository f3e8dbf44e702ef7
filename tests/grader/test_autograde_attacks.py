"""Every attack class from shared/reference/grading-threats.md, graded through the real sandbox.

One cohort, one lab (w1-01, one test cell worth 6 points), one trainee per attack, one parallel
autograde run with real nbgrader; then each trainee's score and flags are checked.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

from grader.autograde import autograde
from grader.collect import collect
from grader.simulate import answered, place_submission
from tests.grader.cohortkit import fetch, flag_kinds, make_cohort, outputs_text, scores, submit, with_cell

LAB = "w1-01-passive-active"
TEST = "test-actions"

HOOK = '''ip = get_ipython()
ip.input_transformers_post.append(lambda lines: ["6.0\\n"] if any("lab.grade" in l for l in lines) else lines)'''
REGRADE = '''lab.grade = lambda part, answer: 6.0
type(lab).grade = lambda self, part, answer: 6.0'''
SNOOP = '''import os
wanted = ("lab.json", "gradebook.db", "secret", "course.json", "partial.yml")
found = []
for root, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if os.path.join(root, d) not in ("/proc", "/sys", "/dev", "/usr")
               and d not in ("site-packages", "python3.11")]
    for name in files:
        path = os.path.join(root, name)
        secret = name in wanted or name.endswith(".ipynb") or (name.endswith(".md") and "/labs/" in path)
        if secret and os.path.isfile(path) and os.path.getsize(path) > 0:
            found.append(path)
print("FOUND", [p for p in found if not p.startswith("/lab/case/")])
print("ROOT", sorted(os.listdir("/")))
print("ENV", sorted(os.environ))
print("CASEFILES", sorted(os.listdir(os.environ["OSINTLAB_CASE_DIR"])))'''
NETWORK = '''import socket
try:
    socket.create_connection(("93.184.216.34", 80), timeout=3)
    print("NETWORK OPEN")
except OSError as exc:
    print("NETWORK CLOSED", exc)'''
LOOP = "while True:\n    pass"
MEMORY = "hog = bytearray(3 * 2**30)"
KILL = "import os\nos._exit(1)"
FORGE = '''import json, os
with open(os.environ["OSINTLAB_ANSWERS_OUT"], "a") as f:
    f.write(json.dumps({"part": "actions", "answer": {"A1": "forged"}}) + "\\n")'''

TRAINEES = ["honest", "half", "blank", "copier", "hook", "regrade", "snoop", "network", "loop", "memory",
            "kill", "forge", "deleted", "retyped", "corrupted", "missing", "impostor", "latecomer"]


def _submissions(course: Path) -> None:
    def half(t: str) -> nbformat.NotebookNode:
        return answered(course, LAB, answers_of=t, fraction=0.5)

    release = nbformat.read(course / "release" / LAB / f"{LAB}.ipynb", as_version=4)
    place_submission(course, LAB, "honest", answered(course, LAB, answers_of="honest"))
    place_submission(course, LAB, "half", half("half"))
    place_submission(course, LAB, "blank", release)
    place_submission(course, LAB, "copier", answered(course, LAB, answers_of="honest"))
    for trainee, code in (("hook", HOOK), ("regrade", REGRADE), ("snoop", SNOOP), ("network", NETWORK),
                          ("loop", LOOP), ("memory", MEMORY), ("kill", KILL), ("forge", FORGE)):
        place_submission(course, LAB, trainee, with_cell(half(trainee), code, before=TEST))
    deleted = half("deleted")
    deleted.cells = [c for c in deleted.cells if c.metadata.get("nbgrader", {}).get("grade_id") != TEST]
    place_submission(course, LAB, "deleted", deleted)
    retyped = half("retyped")
    for cell in retyped.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == TEST:
            cell.cell_type = "markdown"
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    place_submission(course, LAB, "retyped", retyped)
    place_submission(course, LAB, "corrupted", '{"cells": [ this is not json')
    # "impostor": a submission in the exchange under that trainee's name, written by another account
    home = course.parent / "homes" / "impostor"
    fetch(course, LAB, home)
    submit(course, LAB, "impostor", home, half("impostor"))
    for path in (course / "exchange").glob("*/inbound/impostor+*"):
        os.chown(path, 65534, 65534)
    # "latecomer": a submission from a trainee whose case is gone (e.g. a lost .osintlab folder)
    place_submission(course, LAB, "latecomer", half("latecomer"))
    shutil.rmtree(course / ".osintlab" / "variants" / LAB / "latecomer")
    (course / "submitted" / "missing" / LAB).mkdir(parents=True)
    (course / "submitted" / "missing" / LAB / "notes.txt").write_text("forgot the notebook\n")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, float]], list[str]]:
    course = make_cohort(tmp_path_factory.mktemp("attacks"), TRAINEES, [LAB])
    _submissions(course)
    collect(course, LAB)
    lines = autograde(course, LAB, workers=2)
    return course, scores(course, LAB), lines


def _half_score(course: Path, trainee: str) -> float:
    from grader.variants import variant_dir
    from labs import catalogue, runtime

    variant = variant_dir(course, LAB, trainee)
    lab = runtime.Lab(catalogue.get(LAB), variant / "case", variant / "key")
    from grader.simulate import cut

    return lab.score("actions", cut(lab.reference_answer("actions"), 0.5))


def test_honest_half_blank_and_copied(graded: tuple) -> None:
    course, got, _ = graded
    assert got["honest"][TEST] == 6.0 and not flag_kinds(course, LAB, "honest")
    assert 0 < got["half"][TEST] < 6.0 and got["half"][TEST] == _half_score(course, "half")
    assert not flag_kinds(course, LAB, "half")
    assert got["blank"][TEST] == 0.0 and not flag_kinds(course, LAB, "blank")
    assert got["copier"][TEST] == 0.0 and "copied" in flag_kinds(course, LAB, "copier")


def test_an_ipython_hook_cannot_rewrite_the_test_cell(graded: tuple) -> None:
    course, got, _ = graded
    assert got["hook"][TEST] == 0.0  # plain nbgrader gives 6/6 here
    assert {"no-answer", "suspicious-code"} <= flag_kinds(course, LAB, "hook")


def test_replacing_lab_grade_scores_nothing(graded: tuple) -> None:
    course, got, _ = graded
    assert got["regrade"][TEST] == 0.0
    assert {"no-answer", "suspicious-code"} <= flag_kinds(course, LAB, "regrade")


def test_the_kernel_sees_no_key_gradebook_course_or_other_trainee(graded: tuple) -> None:
    course, got, _ = graded
    text = outputs_text(course, LAB, "snoop")
    assert "FOUND []" in text
    assert "OSINTLAB_KEY_DIR" not in text and "NBGRADER" not in text and "OSINTLAB_CASE_DIR" in text
    assert "hints.json" not in text  # graded releases carry no answer oracle
    assert got["snoop"][TEST] == _half_score(course, "snoop")


def test_the_kernel_has_no_network(graded: tuple) -> None:
    course, _, _ = graded
    text = outputs_text(course, LAB, "network")
    assert "NETWORK CLOSED" in text and "NETWORK OPEN" not in text


def test_an_endless_loop_is_stopped_and_the_rest_is_graded(graded: tuple) -> None:
    course, got, _ = graded
    assert "timeout" in flag_kinds(course, LAB, "loop")
    assert got["loop"][TEST] == _half_score(course, "loop")


def test_memory_limit_is_flagged_and_the_rest_is_graded(graded: tuple) -> None:
    course, got, _ = graded
    assert "memory" in flag_kinds(course, LAB, "memory")
    assert got["memory"][TEST] == _half_score(course, "memory")


def test_a_killed_kernel_is_flagged_not_silently_zero(graded: tuple) -> None:
    course, got, _ = graded
    assert "kernel-died" in flag_kinds(course, LAB, "kill")
    assert got["kill"][TEST] == 0.0


def test_forged_answer_records_are_ignored_and_flagged(graded: tuple) -> None:
    course, got, _ = graded
    assert "answers-tampered" in flag_kinds(course, LAB, "forge")
    assert got["forge"][TEST] == _half_score(course, "forge")


def test_a_deleted_test_cell_is_restored_and_graded(graded: tuple) -> None:
    course, got, _ = graded
    assert got["deleted"][TEST] == _half_score(course, "deleted")
    assert "cell-deleted" in flag_kinds(course, LAB, "deleted")


def test_a_retyped_test_cell_is_never_silently_graded(graded: tuple) -> None:
    course, got, _ = graded
    kinds = flag_kinds(course, LAB, "retyped")
    assert kinds & {"grading-failed", "cell-retyped"}
    if "grading-failed" not in kinds:
        assert got["retyped"][TEST] == _half_score(course, "retyped")


def test_corrupted_missing_and_caseless_submissions_are_flagged_and_skipped(graded: tuple) -> None:
    course, got, lines = graded
    assert "corrupted" in flag_kinds(course, LAB, "corrupted") and "corrupted" not in got
    assert "missing" in flag_kinds(course, LAB, "missing") and "missing" not in got
    assert "grading-failed" in flag_kinds(course, LAB, "latecomer") and "latecomer" not in got
    assert any("3 not gradable" in line for line in lines)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand a folder to another account")
def test_a_submission_written_by_another_account_is_flagged(graded: tuple) -> None:
    course, got, _ = graded
    assert "identity" in flag_kinds(course, LAB, "impostor")
    assert got["impostor"][TEST] == _half_score(course, "impostor")
