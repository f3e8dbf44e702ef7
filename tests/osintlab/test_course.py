"""The practice course: a start page, nbgrader's course tools off for the practice server (its own
configuration, never the user's), labs that run to the end, and `course open` printing the
address to open last, once JupyterLab answers."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from osintlab import course
from tests.outputs import outside_links


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_start_page_says_where_to_begin_and_links_every_lesson_and_lab() -> None:
    from labs import catalogue

    text = course.start_page().cells[0].source
    assert text.startswith("# Start here") and "Begin with Lesson 1 of Workshop 1" in text
    # Each workshop's heading, then its lessons (each numbered from 1 again) and labs under it.
    starts = [text.index(f"## Workshop {n}: ") for n in (1, 2, 3)]
    assert starts == sorted(starts)
    within = dict(zip((1, 2, 3), zip(starts, [*starts[1:], len(text)], strict=True), strict=True))
    for source in course.lesson_sources():
        where = text.index(f"(lessons/{source.parent.name}/{source.stem}.ipynb)")
        start, end = within[int(source.parent.name[1:])]
        assert start < where < end, source.stem
    for spec in catalogue.discover():
        where = text.index(f"(labs/{spec.id}/{spec.id}.ipynb)")
        start, end = within[spec.data["workshop"]]
        assert start < where < end and where > text.index("### Labs", start), spec.id
    assert not re.search(r"\]\((?!lessons/|labs/)", text)  # links open course files, nothing outside


def test_practice_config_turns_nbgrader_off_for_that_server_only(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/somewhere/else")
    env = course.practice_env(tmp_path)
    config = tmp_path / ".osintlab" / "jupyter"
    assert env["JUPYTER_CONFIG_PATH"] == f"{config.resolve()}{os.pathsep}/somewhere/else"
    server = json.loads((config / "jupyter_server_config.json").read_text())["ServerApp"]["jpserver_extensions"]
    assert server and not any(server.values()) and all(k.startswith("nbgrader.") for k in server)
    page = json.loads((config / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"]["@jupyter/nbgrader"] is True
    assert os.environ["JUPYTER_CONFIG_PATH"] == "/somewhere/else"  # the user's own setting is untouched


def test_a_bad_port_is_one_sentence() -> None:
    proc = subprocess.run([sys.executable, "-m", "osintlab.cli", "course", "open", "--port", "80"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2 and "between 1024 and 65535" in proc.stderr and "Traceback" not in proc.stderr


@pytest.fixture(scope="module")
def practice_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("practice")
    return course.prepare(root / "course")


@pytest.mark.slow
def test_every_practice_lab_runs_to_the_end_with_nothing_linking_out(practice_course: Path,
                                                                     tmp_path: Path) -> None:
    """Run All on a fresh lab goes through (the practice answer cells hold an empty answer,
    not `raise NotImplementedError()`), shows no error and nothing that links out."""
    from nbclient import NotebookClient

    assert (practice_course / course.START_PAGE).is_file()
    env = {**os.environ, "OSINTLAB_CACHE": str(tmp_path / "cache")}
    for notebook in sorted(practice_course.glob("labs/w1-*/*.ipynb")):  # the labs with answer forms
        nb = nbformat.read(notebook, as_version=4)
        assert "NotImplementedError" not in notebook.read_text(encoding="utf-8"), notebook.name
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(notebook.parent)}}).execute(env=env)
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert errors == [], (notebook.name, errors)
        assert outside_links(nb.cells) == [], notebook.name


@pytest.mark.slow
def test_course_open_prints_the_address_last_once_jupyterlab_answers(practice_course: Path,
                                                                     tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "OSINTLAB_CACHE": str(tmp_path / "cache"), "JUPYTER_CONFIG_DIR": str(tmp_path / "jcfg"),
           "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "osintlab.cli", "course", "open", "--dir", str(practice_course),
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not (lines and lines[-1].startswith("http")):
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
        url = lines[-1]
        assert re.fullmatch(rf"http://127\.0\.0\.1:{port}/lab/tree/START-HERE\.ipynb\?token=[0-9a-f]{{32}}", url), lines
        assert not any("ServerApp" in line or "[I " in line for line in lines)  # the server's log went to its file
        time.sleep(1)
        page = urllib.request.urlopen(url, timeout=30).read().decode()  # the address works as printed
        config = json.loads(re.search(r'id="jupyter-config-data" type="application/json">(.*?)</script>',
                                      page, re.S).group(1))
        assert "@jupyter/nbgrader" in config["disabledExtensions"]
        token = url.rsplit("=", 1)[1]
        for path in ("formgrader", "courses", "assignments"):  # nbgrader's trainer and exchange handlers
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}?token={token}", timeout=30)
            assert err.value.code == 404, path
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "Stopping the course" in out
    log = (practice_course / ".osintlab" / "jupyterlab.log").read_text()
    assert "Jupyter Server" in log and "nbgrader" not in log.lower()
