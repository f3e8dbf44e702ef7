"""The trainee's practice course: lessons and labs in one folder, opened in JupyterLab.

`osintlab course open` is the README's main job: it prepares the folder on first use (a start
page, the lesson notebooks, each lab's student version, and the practice worlds they load),
starts JupyterLab on 127.0.0.1 with every feature that would reach the internet (news feed,
update check) switched off, waits until it answers, and prints the one address to open last.

Practice mode has no nbgrader exchange, course list or formgrader: the trainee checks answers
in the notebook (`lab.check`). So the practice server runs with its own Jupyter configuration
folder (`<course>/.osintlab/jupyter`, put first on JUPYTER_CONFIG_PATH for that server only,
never the user's own configuration) that turns nbgrader's JupyterLab and server extensions off:
no "Error fetching courses!", no trainer tools, no Validate that checks nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

from osintlab import i18n
from osintlab.errors import UserError
from osintlab.fsutil import atomic_directory, atomic_write_text
from osintlab.i18n import COURSE_FILE, ENV_LANG, N_, _
from osintlab.nbsource import read_source, write_notebook

REPO_ROOT = Path(__file__).resolve().parents[1]
CURRICULUM = REPO_ROOT / "curriculum"
DEFAULT_DIR = Path("course")

# JupyterLab settings that would otherwise make the server or the page call out.
OFFLINE_FLAGS = [
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--ServerApp.open_browser=False",
]

# The course folder's README, in the course's language (welcome()).
WELCOME = N_("""# Online investigation course (practice mode)

Begin with `START-HERE.ipynb`: it lists the lessons and labs in order. Then work through the folders:

- `lessons/`: the lessons of each workshop. Open a notebook and run it cell by cell (Shift+Enter).
- `labs/`: graded labs. In practice mode you can check your answers as often as you like.

Everything here is synthetic. The people, accounts, phone numbers and web sites do not
exist, and nothing you do here reaches the internet. Do not search these names on the
real internet: you will find nothing, and you may tip off a real person who shares a name.
""")


LESSON_CELL_IDS = "c{:02d}"
START_PAGE = "START-HERE.ipynb"
PRACTICE_CONFIG = Path(".osintlab") / "jupyter"  # inside the course folder (hidden in JupyterLab)
# nbgrader's parts that need a course and an exchange (trainees in practice mode have neither).
NBGRADER_SERVER_EXTENSIONS = ["nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.assignment_list",
                              "nbgrader.server_extensions.course_list",
                              "nbgrader.server_extensions.validate_assignment"]
PRACTICE_DISABLED_LAB_EXTENSIONS = ["@jupyter/nbgrader", "@jupyterlab/apputils-extension:announcements"]
# What a released practice answer cell holds instead of nbgrader's `raise NotImplementedError()`: the
# cell's empty answer stays runnable, so "Run All" goes through a fresh lab to the end.
PRACTICE_CODE_STUB = N_("# Answer with the form above, or type your answer here.")


def lesson_sources() -> list[Path]:
    """Every lesson's MyST Markdown source (curriculum/w<N>/lesson-*.md), in course order."""
    return sorted(CURRICULUM.glob("w*/lesson-*.md"))


def build_lesson(source: Path, lang: str | None = None, *, with_english: bool = False) -> NotebookNode:
    """A lesson notebook (no outputs, fixed cell ids) from its source, its prose in `lang`
    (None: English; `with_english` keeps the English of each translated cell, folded)."""
    from osintlab.l10n.catalogs import notebook_translator

    translate = notebook_translator(source, lang, with_english=with_english)
    nb = read_source(source, cell_ids=LESSON_CELL_IDS, translate=translate)
    if lang and lang != "en":
        nb.metadata.setdefault("osintlab", {})["lang"] = lang
    return nb




def course_language(directory: Path) -> str | None:
    """The language a prepared practice course was built in (None: English)."""
    try:
        lang = json.loads((Path(directory) / COURSE_FILE).read_text(encoding="utf-8")).get("lang")
    except (FileNotFoundError, json.JSONDecodeError, AttributeError):
        return None
    return None if lang in (None, "", "en") else str(lang)


def prepare(directory: Path, *, force: bool = False, lang: str | None = None, with_english: bool = False) -> Path:
    """Build the practice course folder (atomically), its text in `lang` (None: English).
    Existing work is never overwritten unless `force` is set: a trainee's edited notebooks are
    their work (ask for another --dir to get the course in another language)."""
    from osintlab.l10n.catalogs import require_language

    lang = require_language(lang)
    directory = Path(directory)
    if directory.is_dir() and any(directory.iterdir()) and not force:
        built_in = course_language(directory)
        if lang != built_in:
            raise UserError(_("{directory} holds the course in {built}, not {wanted}: choose another --dir, or pass "
                              "--force to rebuild it (discarding work in it).").format(
                directory=directory, built=built_in or "en", wanted=lang or "en"))
        return directory
    with atomic_directory(directory, force=force) as tmp:
        atomic_write_text(tmp / "README.md", _in_language(lang, WELCOME))
        atomic_write_text(tmp / COURSE_FILE, json.dumps({"lang": lang or "en"}) + "\n")
        for source in lesson_sources():
            target = tmp / "lessons" / source.parent.name / source.with_suffix(".ipynb").name
            write_notebook(build_lesson(source, lang, with_english=with_english), target)
        _lab_notebooks(tmp / "labs", lang, with_english=with_english)
        write_start_page(tmp, lang)
    return directory


def _in_language(lang: str | None, message: str) -> str:
    """`message` translated into `lang`, whatever language the process speaks."""
    with i18n.speaking(lang):
        return _(message)


def start_page(lang: str | None = None) -> NotebookNode:
    """The course's landing page, in `lang`: where to begin, every lesson and lab in order (links
    that open them in JupyterLab), and how to work in a notebook. Markdown only: nothing to run."""
    previous = i18n.chosen_language()
    i18n.set_language(lang)
    try:
        return _start_page()
    finally:
        i18n.set_language(previous)


def _start_page() -> NotebookNode:
    from labs import catalogue

    labs_of: dict[int, list[str]] = {}
    for spec in catalogue.discover():  # lab.yml titles are extracted for translation
        labs_of.setdefault(int(spec.data["workshop"]), []).append(
            f"- [{_(spec.title)}](labs/{spec.id}/{spec.notebook.name}) ({spec.id})")
    lessons_of: dict[int, list[str]] = {}
    for source in lesson_sources():
        lessons_of.setdefault(int(source.parent.name[1:]), []).append(
            f"- [{_lesson_title(source)}](lessons/{source.parent.name}/{source.stem}.ipynb)")
    lessons, labs = _("Lessons"), _("Labs")  # outside f-strings, where the extractor finds them
    workshops: list[str] = []
    for number, title in _workshop_titles().items():  # lessons restart at 1 in each workshop
        heading = _("Workshop {number}").format(number=number)
        workshops += [f"## {heading}: {_(title)}", "", f"### {lessons}", "", *lessons_of.get(number, []), "",
                      f"### {labs}", "", *labs_of.get(number, []), ""]
    text = "\n".join([
        _("# Start here"), "",
        _("Welcome to the online investigation course. This is **practice mode**: your answers are checked "
          "as often as you like, and nothing is graded."), "",
        _("Begin with Lesson 1 of Workshop 1. In each workshop, do the lessons first, then the labs."), "",
        *workshops,
        _("## How to work in a notebook"), "",
        _("- Click a grey code cell and press **Shift + Enter** to run it. Run the cells from the top."),
        _("- In a lab, answer with the **form** under each step: click your choices. The form writes your answer "
          "into the answer cell below it. Press **Check my answer** to see how you are doing."),
        _("- Click a search result, or press **Read**, to read the page here. Nothing opens the real internet."),
        _("- Save your work with **Ctrl + S**."), "",
        _("Everything here is synthetic. The people, accounts, phone numbers and web sites do not exist. "
          "Do not search these names on the real internet."),
    ])
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text, id="start")]
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return nb


def _lesson_title(source: Path) -> str:
    """The lesson's own heading (its first `# ` line), translated with its notebook's catalogue."""
    from osintlab.l10n.catalogs import lookup, notebook_domain

    title = next((line[2:].strip() for line in source.read_text(encoding="utf-8").splitlines()
                  if line.startswith("# ")), source.stem)
    translated = lookup(notebook_domain(source), i18n.language())
    return (translated(title) if translated else None) or title


def _workshop_titles() -> dict[int, str]:
    """Workshop number -> its English title, from curriculum/map.yml (its titles are extracted)."""
    from osintlab.yamlfile import read_yaml

    plan = read_yaml(CURRICULUM / "map.yml")
    return {int(str(w["id"]).lstrip("W")): str(w["title"]) for w in plan["workshops"]}


def write_start_page(directory: Path, lang: str | None = None) -> Path:
    path = Path(directory) / START_PAGE
    write_notebook(start_page(lang), path)
    return path


def _lab_notebooks(dest: Path, lang: str | None = None, *, with_english: bool = False) -> None:
    """Each lab's student version: nbgrader's own `generate_assignment` strips solutions and
    hidden tests in a throw-away course, and only its release/ folder is copied."""
    from labs import catalogue
    from labs.notebook import build as lab_notebook

    specs = catalogue.discover()
    with tempfile.TemporaryDirectory(prefix="osintlab-release-") as tmp:
        course = Path(tmp)
        (course / "nbgrader_config.py").write_text(
            f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n"
            f"c.CourseDirectory.db_url = 'sqlite:///{course}/gradebook.db'\n"
            f"c.ClearSolutions.code_stub = {{'python': {_in_language(lang, PRACTICE_CODE_STUB)!r}}}\n",
            encoding="utf-8",
        )
        for spec in specs:
            target = course / "source" / spec.id
            target.mkdir(parents=True)
            write_notebook(lab_notebook(spec, lang, with_english=with_english), target / f"{spec.id}.ipynb")
            _nbgrader(course, "generate_assignment", spec.id)
            shutil.copytree(course / "release" / spec.id, dest / spec.id)


def _nbgrader(course: Path, *args: str) -> None:
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-10:])
        raise UserError(f"nbgrader {' '.join(args)} failed while preparing the course:\n{tail}")


def lab_command(directory: Path, port: int, token: str) -> list[str]:
    return [
        sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={directory.resolve()}",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        *OFFLINE_FLAGS,
    ]


def write_practice_config(directory: Path) -> Path:
    """The practice server's own Jupyter configuration folder (see the module docstring)."""
    config = Path(directory) / PRACTICE_CONFIG
    server = {"ServerApp": {"jpserver_extensions": dict.fromkeys(NBGRADER_SERVER_EXTENSIONS, False)}}
    atomic_write_text(config / "jupyter_server_config.json", json.dumps(server, indent=1) + "\n")
    page = {"disabledExtensions": dict.fromkeys(PRACTICE_DISABLED_LAB_EXTENSIONS, True)}
    atomic_write_text(config / "labconfig" / "page_config.json", json.dumps(page, indent=1) + "\n")
    return config


def practice_env(directory: Path) -> dict[str, str]:
    """The practice server's environment: its configuration folder first on JUPYTER_CONFIG_PATH."""
    config = str(write_practice_config(directory).resolve())
    rest = os.environ.get("JUPYTER_CONFIG_PATH")
    return {**os.environ, "JUPYTER_CONFIG_PATH": os.pathsep.join([config, rest]) if rest else config}


def start_url(port: int, token: str) -> str:
    return f"http://127.0.0.1:{port}/lab/tree/{START_PAGE}?token={token}"


def wait_for_server(port: int, token: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 180) -> None:
    """Return once JupyterLab answers; UserError if it stopped or never answered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
            if "already in use" in text:
                raise UserError(_("port {port} is already in use: stop the program using it, or choose another "
                                  "port (make run PORT=9000).").format(port=port))
            last = (text.strip().splitlines() or ["(empty log)"])[-1]
            raise UserError(_("JupyterLab stopped while starting (exit {code}): see its log {log}, "
                              "which ends: {last}").format(code=proc.returncode, log=log, last=last))
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise UserError(_("JupyterLab did not answer within {seconds} seconds: see its log in {log}.").format(
        seconds=f"{timeout:.0f}", log=log))


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    course = sub.add_parser("course", help=_("prepare and open the practice course in JupyterLab"))
    cmds = course.add_subparsers(dest="course_command", required=True, metavar="SUBCOMMAND")
    p = cmds.add_parser("prepare", help=_("build the course folder (lessons, labs, practice worlds)"))
    p.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=_("the course folder (default {dir})").format(
        dir=DEFAULT_DIR))
    p.add_argument("--force", action="store_true", help=_("rebuild it, discarding work in it"))
    _language_options(p)
    p.set_defaults(func=cmd_prepare)
    p = cmds.add_parser("open", help=_("prepare the course if needed and start JupyterLab on 127.0.0.1"))
    p.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=_("the course folder (default {dir})").format(
        dir=DEFAULT_DIR))
    p.add_argument("--port", type=int, default=8888, help=_("local port on 127.0.0.1 (default 8888)"))
    _language_options(p)
    p.set_defaults(func=cmd_open)


def _language_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", default=None,
                   help=_("language of the lessons, labs and messages (en, mn, bn; default en)"))
    p.add_argument("--with-english", action="store_true", help=_("keep the English of each translated cell, folded"))


def cmd_prepare(args: argparse.Namespace) -> int:
    prepare(args.dir, force=args.force, lang=args.lang, with_english=args.with_english)
    labs = sorted(p.name for p in (args.dir / "labs").iterdir()) if (args.dir / "labs").is_dir() else []
    print(_("Course ready in {directory}: {lessons} lessons, {count} labs ({labs}).").format(
        directory=args.dir, lessons=len(lesson_sources()), count=len(labs), labs=", ".join(labs)))
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    """Start JupyterLab with its log in a file, wait until it answers, then print the address
    last, on its own line (it must not scroll away under the server's log)."""
    if not 1024 <= args.port <= 65535:
        raise UserError(_("--port {port} is not between 1024 and 65535; choose a free port such as 8888.").format(
            port=args.port))
    directory = Path(args.dir)
    prepare(directory, lang=args.lang, with_english=args.with_english)
    lang = course_language(directory)
    env = practice_env(directory)
    if lang and lang != "en":
        env[ENV_LANG] = lang  # kernels inherit it: messages, briefs and checks in the course's language
    if not (directory / START_PAGE).is_file():  # a course folder made before the start page existed
        write_start_page(directory, lang)
    token = secrets.token_hex(16)
    log = directory / PRACTICE_CONFIG.parent / "jupyterlab.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(_("Starting JupyterLab ..."), flush=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(lab_command(directory, args.port, token), env=env,
                                stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for_server(args.port, token, proc, log)
            print(_("The course is ready (JupyterLab's log: {log}; Ctrl+C stops the course).").format(log=log))
            print(_("Open this address in your browser:"), flush=True)
            print(start_url(args.port, token), flush=True)
            proc.wait()
        except KeyboardInterrupt:
            print("\n" + _("Stopping the course ..."), flush=True)
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
    return 0
