"""The Jupyter configuration of each kind of server on the hub (HUB/jupyter/<role>/).

The hub points JUPYTER_CONFIG_PATH of each server at one of these folders:

    officer/          the Assignment List only (nbgrader's table of extensions: students)
    trainer/          the Assignment List and the Course List (instructors)
    course-<id>/      the course's formgrader service: Formgrader and Create Assignment (formgraders)

Officers' and trainers' servers reach the shared exchange through nbgrader's JupyterHub
plugin, which lists only the courses of the user's `nbgrader-<course>` and `formgrade-<course>`
groups. The course service reads its course's own nbgrader_config.py (it starts in the course
folder), and logs nbgrader's work to HUB/logs/nbgrader-<course>.log.
"""

from __future__ import annotations

import json
from pathlib import Path

from hub.layout import HubPaths
from osintlab.fsutil import atomic_write_text

SERVER_EXTENSIONS = {
    "officer": {"assignment_list": True, "validate_assignment": True, "formgrader": False, "course_list": False},
    "trainer": {"assignment_list": True, "validate_assignment": True, "formgrader": False, "course_list": True},
    "course": {"assignment_list": False, "validate_assignment": True, "formgrader": True, "course_list": False},
}
LAB_PLUGINS = ("assignment-list", "course-list", "formgrader", "create-assignment")
LAB_ENABLED = {
    "officer": {"assignment-list"},
    "trainer": {"assignment-list", "course-list"},
    "course": {"formgrader", "create-assignment"},
}
# What would reach the internet from JupyterLab (the course is offline).
OFFLINE = {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}

EXCHANGE_CONFIG = """# Written by `osintlab hub setup`: where officers' and trainers' servers find nbgrader's exchange.
from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()
c.Exchange.root = {exchange!r}
c.Exchange.path_includes_course = True
# No single course: a server of the hub lists every course of the user's groups. This overrides the course
# id that `osintlab cohort init --exchange` writes in /etc/jupyter/nbgrader_config.py for a one-course
# server (Jupyter reads that folder too, after this one): with it, officers saw no course at all.
c.CourseDirectory.course_id = ""
# Only the courses of the user's nbgrader-<course> / formgrade-<course> groups on the hub.
c.Authenticator.plugin_class = JupyterHubAuthPlugin
"""

COURSE_CONFIG = """# Written by `osintlab hub setup`: the formgrader service of course {course_id}. The course's own
# settings are in its folder's nbgrader_config.py (the service starts there).
c = get_config()
c.NbGrader.logfile = {logfile!r}
"""


def _server_config(kind: str) -> dict[str, object]:
    extensions = {f"nbgrader.server_extensions.{name}": on for name, on in SERVER_EXTENSIONS[kind].items()}
    # A terminal's shell is not a login shell, so it keeps the PATH the hub gives (osintlab, nbgrader).
    server = {"jpserver_extensions": extensions, "terminado_settings": {"shell_command": ["/bin/bash"]}}
    return {"ServerApp": server, "LabApp": OFFLINE}


def _page_config(kind: str) -> dict[str, object]:
    disabled = {f"@jupyter/nbgrader:{p}": p not in LAB_ENABLED[kind] for p in LAB_PLUGINS}
    disabled["@jupyterlab/apputils-extension:announcements"] = True
    return {"disabledExtensions": disabled}


def _write_dir(folder: Path, kind: str, nbgrader_config: str | None) -> None:
    folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    atomic_write_text(folder / "jupyter_server_config.json", json.dumps(_server_config(kind), indent=1) + "\n")
    atomic_write_text(folder / "labconfig" / "page_config.json", json.dumps(_page_config(kind), indent=1) + "\n")
    if nbgrader_config is not None:
        atomic_write_text(folder / "nbgrader_config.py", nbgrader_config)
    for path in [folder, folder / "labconfig", *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def write_user_configs(paths: HubPaths) -> None:
    """officer/ and trainer/: the exchange and the extensions of officers' and trainers' servers."""
    exchange = EXCHANGE_CONFIG.format(exchange=str(paths.exchange))
    for kind in ("officer", "trainer"):
        _write_dir(paths.jupyter_dir(kind), kind, exchange)


def write_course_config(paths: HubPaths, course_id: str) -> Path:
    folder = paths.jupyter_dir(f"course-{course_id}")
    logfile = str(paths.nbgrader_log(course_id))
    _write_dir(folder, "course", COURSE_CONFIG.format(course_id=course_id, logfile=logfile))
    return folder
