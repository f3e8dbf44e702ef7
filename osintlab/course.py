"""The trainee's practice course: lessons and labs in one folder, opened in JupyterLab.

`osintlab course open` is the README's main job: it prepares the folder on first use (the
lesson notebooks, each lab's student version, and the practice worlds they load) and starts
JupyterLab on 127.0.0.1 with nbgrader's extensions, and with every feature that would reach
the internet (news feed, update check) switched off.
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
from pathlib import Path

from nbformat.notebooknode import NotebookNode

from osintlab.errors import UserError
from osintlab.fsutil import atomic_directory, atomic_write_text
from osintlab.i18n import COURSE_FILE, ENV_LANG
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

WELCOME = """# Online investigation course (practice mode)

Work through the folders in order:

- `lessons/w1/`: Workshop 1 lessons. Open a notebook and run it cell by cell (Shift+Enter).
- `labs/`: graded labs. In practice mode you can check your answers as often as you like.

Everything here is synthetic. The people, accounts, phone numbers and web sites do not
exist, and nothing you do here reaches the internet. Do not search these names on the
real internet: you will find nothing, and you may tip off a real person who shares a name.
"""


LESSON_CELL_IDS = "c{:02d}"


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
            raise UserError(f"{directory} holds the course in {built_in or 'en'}, not {lang or 'en'}: choose "
                            "another --dir, or pass --force to rebuild it (discarding work in it).")
        return directory
    with atomic_directory(directory, force=force) as tmp:
        atomic_write_text(tmp / "README.md", WELCOME)
        atomic_write_text(tmp / COURSE_FILE, json.dumps({"lang": lang or "en"}) + "\n")
        for source in lesson_sources():
            target = tmp / "lessons" / source.parent.name / source.with_suffix(".ipynb").name
            write_notebook(build_lesson(source, lang, with_english=with_english), target)
        _lab_notebooks(tmp / "labs", lang, with_english=with_english)
    return directory


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
            f"c.CourseDirectory.db_url = 'sqlite:///{course}/gradebook.db'\n",
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
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
        *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        *OFFLINE_FLAGS,
    ]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    course = sub.add_parser("course", help="prepare and open the practice course in JupyterLab")
    cmds = course.add_subparsers(dest="course_command", required=True, metavar="SUBCOMMAND")
    p = cmds.add_parser("prepare", help="build the course folder (lessons, labs, practice worlds)")
    p.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    p.add_argument("--force", action="store_true", help="rebuild it, discarding work in it")
    _language_options(p)
    p.set_defaults(func=cmd_prepare)
    p = cmds.add_parser("open", help="prepare the course if needed and start JupyterLab on 127.0.0.1")
    p.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    p.add_argument("--port", type=int, default=8888)
    _language_options(p)
    p.set_defaults(func=cmd_open)


def _language_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", default=None, help="language of the lessons, labs and messages (en, mn, bn; default en)")
    p.add_argument("--with-english", action="store_true", help="keep the English of each translated cell, folded")


def cmd_prepare(args: argparse.Namespace) -> int:
    prepare(args.dir, force=args.force, lang=args.lang, with_english=args.with_english)
    labs = sorted(p.name for p in (args.dir / "labs").iterdir()) if (args.dir / "labs").is_dir() else []
    print(f"Course ready in {args.dir}: {len(lesson_sources())} lessons, {len(labs)} labs ({', '.join(labs)}).")
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    if not 1024 <= args.port <= 65535:
        raise UserError(f"--port {args.port} is not between 1024 and 65535; choose a free port such as 8888.")
    prepare(args.dir, lang=args.lang, with_english=args.with_english)
    lang = course_language(args.dir)
    if lang and lang != "en":
        os.environ[ENV_LANG] = lang  # kernels inherit it: messages, briefs and checks in the course's language
    token = secrets.token_hex(16)
    print(f"Open http://127.0.0.1:{args.port}/lab?token={token} in your browser (Ctrl+C stops the course).")
    os.execv(sys.executable, lab_command(args.dir, args.port, token))
    return 0  # not reached
