"""JupyterHub's configuration, built from HUB/hub.yml and the courses at every start.

HUB/jupyterhub_config.py only calls `apply(get_config(), HUB)`, so the logic is here, typed and
tested, and a roster change (osintlab cohort add) is picked up by the next start.

What it sets up (nbgrader's documented multi-course layout, with JupyterHub's roles):
- logins: NativeAuthenticator, sign-up off; only rostered officers and named trainers;
- groups: `nbgrader-<course>` (officers and trainers), `formgrade-<course>` (trainers);
- one service per course, named by the course id, running the formgrader as `grader-<course>`
  in the course folder; only the course's trainers may open it (`access:services!service=<course>`);
- the idle culler; per-officer limits where the spawner supports them;
- HTTPS with the hub's own certificate; the hub's API and the proxy's API on loopback, on
  ports chosen free at each start (HUB/run/ports.json).
"""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hub import shutdown, tls
from hub.courses import HubCourse, load_courses, shared_language
from hub.layout import PROXY_BIN, HubPaths
from hub.settings import Settings, load
from osintlab.i18n import ENV_LANG, N_, translate

CLI_SERVICE = "osintlab-cli"
CULLER_SERVICE = "idle-culler"
# The server token of officers' and trainers' servers: activity, its own server, and what nbgrader's
# JupyterHub plugin and course list read (the user's groups, the course services the user may see).
SERVER_SCOPES = ["users:activity!user", "access:servers!server", "read:users:groups!user", "read:users:name!user",
                 "list:services", "read:services"]
CULLER_SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]
CLI_SCOPES = ["list:users", "read:users", "read:servers", "read:users:activity", "list:services", "read:services",
              "list:groups", "read:groups"]
# On the login page, in the language of the hub's courses (OSINTLAB_LANG in the hub's environment wins).
LOGIN_MESSAGE = N_("Log in with the user name and password on your slip. "
                   "Change your password after the first login (Hub Control Panel, or /hub/change-password).")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def course_roles(course: HubCourse) -> list[dict[str, Any]]:
    """The course's two roles: its trainers (formgrader, their officers' servers) and its members."""
    group = course.group
    return [
        {"name": course.formgrade_group, "groups": [course.formgrade_group],
         "description": f"Trainers of {course.course_id}: its formgrader, and start or stop its officers' servers",
         "scopes": [f"access:services!service={course.course_id}", "list:services",
                    f"read:services!service={course.course_id}", "admin-ui", f"list:users!group={group}",
                    f"read:users!group={group}", f"admin:servers!group={group}"]},
        {"name": group, "groups": [group], "description": f"Officers and trainers of {course.course_id}",
         "scopes": ["list:services", f"read:services!service={course.course_id}"]},
    ]


def groups(courses: list[HubCourse]) -> dict[str, dict[str, list[str]]]:
    found: dict[str, dict[str, list[str]]] = {}
    for course in courses:
        found[course.group] = {"users": sorted(set(course.officers) | set(course.trainers))}
        found[course.formgrade_group] = {"users": sorted(course.trainers)}
    return found


def course_service(paths: HubPaths, course: HubCourse, port: int, env_path: str) -> dict[str, Any]:
    singleuser = str(Path(sys.executable).parent / "jupyterhub-singleuser")
    return {
        "name": course.course_id,
        "url": f"http://127.0.0.1:{port}",
        "command": [singleuser],
        "user": course.grader,
        "cwd": str(course.dir),  # nbgrader reads the course's nbgrader_config.py from here
        "environment": {"JUPYTER_CONFIG_PATH": str(paths.jupyter_dir(f"course-{course.course_id}")),
                        "JUPYTERHUB_DEFAULT_URL": "/lab", "PATH": env_path, "LANG": "C.UTF-8",
                        **shutdown.marker(paths)},
        "oauth_no_confirm": True,
        "timeout": 180,  # JupyterHub gives up (and exits) if a course's JupyterLab is not up by then
        "display": True,
        "info": {"description": _formgrader_description(course)},
    }


# Translators: the course's formgrader as the hub's Services menu describes it to its trainers.
FORMGRADER_DESCRIPTION = N_("Formgrader of {course} ({country})")


def _formgrader_description(course: HubCourse) -> str:
    """In the course's own language (its trainers' language), whatever the hub speaks."""
    from grader.language import course_language

    return translate(FORMGRADER_DESCRIPTION, course_language(course.dir)).format(
        course=course.course_id, country=course.country)


def _config_path(paths: HubPaths, trainers: set[str]) -> Callable[[Any], str]:
    def config_path(spawner: Any) -> str:
        return str(paths.jupyter_dir("trainer" if spawner.user.name in trainers else "officer"))

    return config_path


def _spawner(c: Any, paths: HubPaths, settings: Settings, trainers: set[str], env_path: str) -> None:
    c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
    c.Spawner.default_url = "/lab"
    c.Spawner.notebook_dir = "~"
    c.Spawner.environment = {"JUPYTER_CONFIG_PATH": _config_path(paths, trainers), "PATH": env_path,
                             "LANG": "C.UTF-8", **shutdown.marker(paths)}
    c.Spawner.start_timeout = 180  # 30 officers logging in at once on a small server take a while
    c.Spawner.http_timeout = 180
    if settings.memory_limit:
        c.Spawner.mem_limit = settings.memory_limit
    if settings.cpu_limit:
        c.Spawner.cpu_limit = settings.cpu_limit
    if settings.spawner == "systemd":
        c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
        c.SystemdSpawner.unit_name_template = "osintlab-{USERNAME}"
        c.SystemdSpawner.isolate_tmp = True
        c.SystemdSpawner.isolate_devices = True
        c.SystemdSpawner.disable_user_sudo = True
    else:
        c.JupyterHub.spawner_class = "hub.spawner.ClassroomSpawner"  # LocalProcessSpawner, safe after restarts
        print("osintlab hub: the local process spawner does not limit an officer's memory or CPU "
              f"(memory_limit {settings.memory_limit}, cpu_limit {settings.cpu_limit} are not enforced); "
              "on a machine with systemd, set spawner: systemd in hub.yml.", file=sys.stderr)


def apply(c: Any, hub_root: str | Path) -> None:
    """Fill JupyterHub's config object `c` for the hub in `hub_root`."""
    paths = HubPaths.of(hub_root)
    settings = load(paths)
    courses = load_courses(settings)
    officers = {name for course in courses for name in course.officers}
    trainers = {name for course in courses for name in course.trainers}
    ports = {"hub": free_port(), "proxy_api": free_port(), **{f"course:{c_.course_id}": free_port() for c_ in courses}}
    paths.run.mkdir(mode=0o700, exist_ok=True)
    paths.ports_file.write_text(json.dumps({**ports, "public": settings.port, "ip": settings.ip}) + "\n")
    env_path = f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin"
    files = tls.TlsFiles(paths.tls)

    c.JupyterHub.bind_url = f"https://{settings.ip}:{settings.port}/"
    c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key = str(files.cert), str(files.key)
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{ports['hub']}"
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{ports['proxy_api']}"
    c.ConfigurableHTTPProxy.command = [str(PROXY_BIN)]
    c.ConfigurableHTTPProxy.pid_file = str(paths.run / "proxy.pid")
    c.JupyterHub.db_url = settings.db(paths)
    c.JupyterHub.cookie_secret_file = str(paths.cookie_secret)
    c.JupyterHub.pid_file = str(paths.pid_file)
    c.JupyterHub.active_server_limit = settings.max_servers
    # An officer whose server stopped (culled while idle, or a hub restart) and who reloads the page gets a
    # new server after a few seconds, instead of a page with a button to find.
    c.JupyterHub.implicit_spawn_seconds = 5
    login_language = os.environ.get(ENV_LANG) or shared_language(settings)
    c.JupyterHub.template_vars = {"announcement_login": translate(LOGIN_MESSAGE, login_language)}

    c.JupyterHub.authenticator_class = "hub.auth.ClassroomAuthenticator"
    c.ClassroomAuthenticator.enable_signup = False
    c.ClassroomAuthenticator.open_signup = False
    c.ClassroomAuthenticator.check_common_password = True
    c.ClassroomAuthenticator.minimum_password_length = 8
    c.ClassroomAuthenticator.allowed_failed_logins = 5
    c.ClassroomAuthenticator.seconds_before_next_try = 300
    c.Authenticator.allowed_users = officers | trainers
    c.Authenticator.allow_existing_users = False  # an officer taken off every roster can no longer log in
    c.Authenticator.admin_users = set()  # no trainer sees another course's officers

    c.JupyterHub.load_groups = groups(courses)
    cli_token = paths.cli_token.read_text().strip() if paths.cli_token.is_file() else None
    roles: list[dict[str, Any]] = [{"name": "server", "scopes": SERVER_SCOPES},
                                   {"name": CULLER_SERVICE, "scopes": CULLER_SCOPES, "services": [CULLER_SERVICE]}]
    services: list[dict[str, Any]] = []
    for course in courses:
        roles.extend(course_roles(course))
        services.append(course_service(paths, course, ports[f"course:{course.course_id}"], env_path))
    if settings.idle_minutes:
        timeout = settings.idle_minutes * 60
        services.append({"name": CULLER_SERVICE, "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                                                             f"--timeout={timeout}",
                                                             f"--cull-every={max(30, min(300, timeout // 4))}"],
                         "environment": shutdown.marker(paths)})
    else:
        roles = [r for r in roles if r["name"] != CULLER_SERVICE]
    if cli_token:
        services.append({"name": CLI_SERVICE, "api_token": cli_token})
        roles.append({"name": CLI_SERVICE, "scopes": CLI_SCOPES, "services": [CLI_SERVICE]})
    c.JupyterHub.services = services
    c.JupyterHub.load_roles = roles
    _spawner(c, paths, settings, trainers, env_path)


def read_extra(c: Any, hub_root: str | Path) -> list[Path]:
    """Run HUB/config.d/*.py (the trainer's own settings) with `c` in scope, in name order."""
    folder = HubPaths.of(hub_root).config_d
    files = sorted(folder.glob("*.py")) if folder.is_dir() else []
    for path in files:
        code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
        exec(code, {"c": c, "__file__": str(path)})
    return files
