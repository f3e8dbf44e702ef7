"""A whole cohort through the trainer's workflow, with real nbgrader, the real exchange and sandbox.

Seven trainees, two Workshop 1 labs: init, release, fetch, submit, collect, autograde, feedback,
report and export, all through the `osintlab` command line. Each trainee gets the score and the
flags they deserve.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from grader.simulate import answered
from grader.variants import trainee_case, variant_dir
from osintlab.cli import main
from tests.grader.cohortkit import fetch, flag_kinds, scores, submit, with_cell

LABS = ["w1-01-passive-active", "w1-03-search-operators"]
TRAINEES = ["mn-001", "mn-002", "mn-003", "mn-004", "mn-005", "mn-006", "mn-007"]
HOOK = ('get_ipython().input_transformers_post.append('
        'lambda lines: ["6.0\\n"] if any("lab.grade" in l for l in lines) else lines)\n'
        'lab.grade = lambda part, answer: 6.0')


def _run(*args: str) -> None:
    assert main(list(args)) == 0, args


def _released(home: Path, lab: str) -> nbformat.NotebookNode:
    return nbformat.read(home / lab / f"{lab}.ipynb", as_version=4)


def _edit_test_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if str(cell.metadata.get("nbgrader", {}).get("grade_id", "")).startswith("test-"):
            cell.source = "10.0"
    return nb


def _work_of(course: Path, home: Path, trainee: str, lab: str) -> nbformat.NotebookNode | str | None:
    """What each simulated trainee hands in for `lab`."""
    if trainee == "mn-001":  # honest, complete
        return answered(course, lab, answers_of="mn-001")
    if trainee == "mn-002":  # honest, half done
        return answered(course, lab, answers_of="mn-002", fraction=0.5)
    if trainee == "mn-003":  # blank
        return _released(home, lab)
    if trainee == "mn-004":  # a neighbour's literal answers
        return answered(course, lab, answers_of="mn-001")
    if trainee == "mn-005":  # IPython hook and a fake lab.grade, on top of half an answer
        first_answer = "answer-actions" if lab == LABS[0] else "answer-query"
        return with_cell(answered(course, lab, answers_of="mn-005", fraction=0.5), HOOK, before=first_answer)
    if trainee == "mn-006":  # edits the test cells themselves
        return _edit_test_cells(answered(course, lab, answers_of="mn-006", fraction=0.5))
    return '{"cells": [' if lab == LABS[0] else None  # mn-007: a broken file, then nothing


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("e2e")
    roster = root / "roster.csv"
    roster.write_text("trainee_id,name,agency,email\n" + "".join(
        f"{t},Офицер {t[-1]} Батбаяр,Police,{t}@training.example\n" for t in TRAINEES), encoding="utf-8")
    course = root / "course"
    _run("cohort", "init", str(course), "--country", "MN", "--roster", str(roster))
    for lab in LABS:
        _run("cohort", "release", str(course), lab, "--workers", "2")
    for trainee in TRAINEES:
        home = root / "homes" / trainee
        for lab in LABS:
            fetch(course, lab, home)
            notebook = _work_of(course, home, trainee, lab)
            if notebook is not None:
                submit(course, lab, trainee, home, notebook)
    for lab in LABS:
        _run("cohort", "collect", str(course), lab)
    for lab in LABS:
        _run("cohort", "autograde", str(course), lab, "--workers", "2")
    for lab in LABS:
        _run("cohort", "feedback", str(course), lab)
    _run("cohort", "report", str(course))
    _run("cohort", "export", str(course), "--format", "csv", "--provisional")  # written answers not graded yet
    _run("cohort", "export", str(course), "--format", "moodle", "--provisional")
    return course


def test_each_trainee_has_their_own_case_and_no_key(cohort: Path) -> None:
    seeds = {json.loads((variant_dir(cohort, LABS[0], t) / "variant.json").read_text())["seed"] for t in TRAINEES}
    assert len(seeds) == len(TRAINEES)
    for trainee in TRAINEES:
        published = trainee_case(cohort, LABS[0], trainee)
        assert (published / "lab.json").is_file() and not (published / "hints.json").exists()
        assert not list(published.parent.rglob("key"))
    assert not list((cohort / "exchange").rglob("secret")) and not list((cohort / "exchange").rglob("truth.json"))


def test_a_fetched_notebook_opens_the_trainees_own_case(cohort: Path) -> None:
    home = cohort.parent / "homes" / "mn-002" / LABS[0]
    code = "import labs, json; print(json.dumps(labs.open_lab('w1-01-passive-active').exercise['actions']))"
    env = {**os.environ, "LOGNAME": "mn-002", "USER": "mn-002"}
    env.pop("OSINTLAB_CASE_DIR", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=home, env=env, capture_output=True, text=True, check=True)
    own = json.loads((trainee_case(cohort, LABS[0], "mn-002") / "lab.json").read_text())["actions"]
    assert json.loads(out.stdout) == own


def test_scores_are_deserved(cohort: Path) -> None:
    first, search = scores(cohort, LABS[0]), scores(cohort, LABS[1])
    assert first["mn-001"]["total"] == 6.0 and search["mn-001"]["total"] == 10.0
    assert 0 < first["mn-002"]["total"] < 6 and 0 < search["mn-002"]["total"] < 10
    assert first["mn-003"]["total"] == 0 and search["mn-003"]["total"] == 0
    assert first["mn-004"]["total"] == 0 and search["mn-004"]["test-pages"] == 0  # copied: variant-specific parts
    assert first["mn-005"]["total"] == 0 and search["mn-005"]["total"] == 0  # hooks and a fake lab.grade
    assert first["mn-006"]["total"] == first["mn-002"]["total"] or 0 < first["mn-006"]["total"] < 6
    assert "mn-007" not in first and "mn-007" not in search


def test_flags_say_what_happened(cohort: Path) -> None:
    for trainee in ("mn-001", "mn-002", "mn-003"):
        assert not flag_kinds(cohort, LABS[0], trainee) and not flag_kinds(cohort, LABS[1], trainee), trainee
    assert "copied" in flag_kinds(cohort, LABS[0], "mn-004") and "copied" in flag_kinds(cohort, LABS[1], "mn-004")
    assert "no-answer" in flag_kinds(cohort, LABS[0], "mn-005")
    assert "corrupted" in flag_kinds(cohort, LABS[0], "mn-007")
    assert {"no-answer", "suspicious-code"} <= flag_kinds(cohort, LABS[0], "mn-005")
    assert flag_kinds(cohort, LABS[0], "mn-006") == {"locked-cell-changed"}  # restored, then graded


def test_feedback_is_released_without_hidden_tests_or_keys(cohort: Path) -> None:
    made = sorted((cohort / "feedback").glob("*/*/*.html"))
    released = sorted((cohort / "exchange").glob("*/feedback/*.html"))
    # mn-007 sent nothing gradable; in the first lab, feedback waits for everyone whose written answer
    # is not graded yet (it would show 0): only blank mn-003 has nothing pending
    assert {p.parent.parent.name for p in made if p.parent.name == LABS[0]} == {"mn-003"}
    assert len(made) == len(released) == 6 + 1
    for path in made + released:
        html = path.read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in html and "lab.grade(" not in html and "reference_answer" not in html


def test_report_and_exports_are_written(cohort: Path) -> None:
    reports = cohort / "reports"
    html = (reports / "cohort-report.html").read_text(encoding="utf-8")
    assert "mn-004" in html and "copied" in html
    rows = list(csv.DictReader((reports / "grades-csv.csv").open(encoding="utf-8")))
    assert [r["trainee_id"] for r in rows] == TRAINEES
    assert "Батбаяр" in rows[0]["name"]
    assert (reports / "grades-moodle.csv").read_text(encoding="utf-8").startswith("Email address")


def test_rerunning_every_step_changes_nothing(cohort: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = scores(cohort, LABS[0])
    _run("cohort", "release", str(cohort), LABS[0])
    _run("cohort", "collect", str(cohort), LABS[0])
    _run("cohort", "autograde", str(cohort), LABS[0])
    out = capsys.readouterr().out
    assert "0 new case variants" in out and "Nothing to grade" in out
    assert scores(cohort, LABS[0]) == before


def test_nbgraders_formgrader_works_on_the_course(cohort: Path) -> None:
    import re
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cli = str(Path(sys.executable).parent / "osintlab")
    # started from the folder above, with the relative path the README shows
    proc = subprocess.Popen([cli, "cohort", "formgrader", cohort.name, "--port", str(port)], cwd=cohort.parent,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        assert proc.stdout is not None
        token = re.search(r"token=(\w+)", proc.stdout.readline()).group(1)  # type: ignore[union-attr]
        url = f"http://127.0.0.1:{port}/formgrader/api/assignments?token={token}"
        for _ in range(120):
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assignments = {a["name"]: a for a in json.loads(response.read())}
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the formgrader did not answer within a minute")
        assert set(LABS) <= set(assignments)
        assert assignments[LABS[1]]["num_submissions"] == 6
        listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
        assert "jupyter" in listing and token not in listing  # what every account on the server sees
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
