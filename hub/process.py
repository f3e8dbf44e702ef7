"""Start, stop and watch the hub: one JupyterHub process (with its proxy and servers) per HUB.

`start` runs JupyterHub in the background (its own session, so closing the terminal does not
stop it), writes everything it and the officers' servers print to HUB/logs/hub.log, and waits
until the hub answers over HTTPS with its own certificate. `stop` asks the hub and the officers'
servers to stop at once, waits, and makes sure no process of the hub is left and its database
records no server running (hub.shutdown says why JupyterHub's own clean-up is not enough).
`start` first clears what a crashed or killed hub left behind, the same way.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hub import shutdown, tls
from hub.layout import PROXY_BIN, HubPaths
from hub.settings import Settings, load
from osintlab.errors import UserError
from osintlab.i18n import _, ngettext

KEEP_LOGS = 5
START_SECONDS = 300  # a loaded server takes a while to start every course's JupyterLab
STOP_SECONDS = 90


@dataclass(frozen=True)
class HubProcess:
    pid: int
    started: float  # seconds since the epoch


def running(paths: HubPaths) -> HubProcess | None:
    """The hub's process if it runs (a pid file left by a crash is not a running hub)."""
    try:
        pid = int(paths.pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        started = Path(f"/proc/{pid}").stat().st_mtime
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None
    if str(paths.config).encode() not in cmdline:
        return None  # the pid was reused by another program
    return HubProcess(pid, started)


def local_address(settings: Settings) -> str:
    return "127.0.0.1" if settings.ip in ("0.0.0.0", "::", "") else settings.ip


def public_urls(settings: Settings) -> list[str]:
    port = "" if settings.port == 443 else f":{settings.port}"
    return [f"https://{name}{port}" for name in settings.hostnames]


def _environment() -> dict[str, str]:
    """The hub's environment: the venv first on PATH, nothing of the caller's Jupyter or Python settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"])
    env["LANG"] = env.get("LANG") or "C.UTF-8"
    return env


def _hub_environment(paths: HubPaths) -> dict[str, str]:
    """The hub's environment with its marker, which the proxy inherits (hub.shutdown)."""
    return {**_environment(), **shutdown.marker(paths)}


def command(paths: HubPaths) -> list[str]:
    return [sys.executable, "-m", "jupyterhub", "-f", str(paths.config)]


def _rotate(log: Path) -> None:
    if not log.is_file() or log.stat().st_size == 0:
        return
    for n in range(KEEP_LOGS - 1, 0, -1):
        older = log.with_name(f"{log.name}.{n}")
        if older.exists():
            older.replace(log.with_name(f"{log.name}.{n + 1}"))
    log.replace(log.with_name(f"{log.name}.1"))


def _preflight(paths: HubPaths, settings: Settings) -> None:
    if not paths.config.is_file():
        raise UserError(_("{folder} is not set up: run {command} first.").format(
            folder=paths.root, command=f"osintlab hub setup {paths.root} --course ..."))
    if not PROXY_BIN.is_file():
        raise UserError(_("configurable-http-proxy is not installed ({path}): run {command} (it installs it with "
                          "npm) on a machine that reaches the npm registry.").format(
            path=PROXY_BIN, command="bash scripts/setup.sh"))
    files = tls.TlsFiles(paths.tls)
    if not (files.cert.is_file() and files.key.is_file()):
        raise UserError(_("the hub's certificate is missing from {folder}: run {command} again.").format(
            folder=paths.tls, command=f"osintlab hub setup {paths.root}"))
    with socket.socket(socket.AF_INET6 if ":" in settings.ip else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((settings.ip, settings.port))
        except OSError as exc:
            # Translators: {reason} is the system's own English explanation, e.g. "Address already in use".
            raise UserError(_("port {port} on {address} is not free ({reason}): stop the program using it, or choose "
                              "another port ({command}).").format(
                port=settings.port, address=settings.ip, reason=exc.strerror,
                command=f"osintlab hub setup {paths.root} --port N")) from None


def ssl_context(paths: HubPaths) -> ssl.SSLContext:
    """Trusts exactly the hub's own certificate authority."""
    return ssl.create_default_context(cafile=str(tls.TlsFiles(paths.tls).ca_cert))


def _healthy(paths: HubPaths, settings: Settings) -> bool:
    url = f"https://{local_address(settings)}:{settings.port}/hub/health"
    try:
        with urllib.request.urlopen(url, timeout=3, context=ssl_context(paths)) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def _tail(path: Path, lines: int) -> list[str]:
    if not path.is_file():
        return []
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - 200 * lines))
        text = handle.read().decode("utf-8", errors="replace")
    return text.splitlines()[-lines:]


def start(paths: HubPaths, *, foreground: bool = False) -> list[str]:
    """Start the hub; returns the addresses officers open. UserError if it cannot start."""
    settings = load(paths)
    current = running(paths)
    if current:
        raise UserError(_("the hub in {folder} is already running (pid {pid}): {command} first to restart it.").format(
            folder=paths.root, pid=current.pid, command=f"osintlab hub stop {paths.root}"))
    _preflight(paths, settings)
    paths.logs.mkdir(mode=0o755, exist_ok=True)
    paths.run.mkdir(mode=0o700, exist_ok=True)
    _rotate(paths.hub_log)
    left = _clear_leftovers(paths, settings)
    with paths.hub_log.open("ab") as log:
        os.chmod(paths.hub_log, 0o640)  # root's: it names officers and their addresses
        if left:
            log.write(f"osintlab hub start: an earlier run of this hub was not stopped cleanly; {left}\n".encode())
            log.flush()
        if foreground:  # for a systemd unit: the service manager watches the process
            os.chdir(paths.root)
            os.execve(sys.executable, command(paths), _hub_environment(paths))
        proc = subprocess.Popen(command(paths), cwd=paths.root, env=_hub_environment(paths),
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    paths.pid_file.write_text(f"{proc.pid}\n")
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = "\n".join(_tail(paths.hub_log, 15))
            raise UserError(_("the hub stopped while starting (exit {code}); the end of {log}:").format(
                code=proc.returncode, log=paths.hub_log) + f"\n{tail}")
        if _healthy(paths, settings):
            return public_urls(settings)
        time.sleep(0.5)
    stop(paths)
    raise UserError(_("the hub did not answer within {seconds} s: read {log}.").format(
        seconds=START_SECONDS, log=paths.hub_log))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.is_file() and stat.read_text().split(") ")[-1].startswith("Z"))


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    return not _alive(pid)


def _clear_leftovers(paths: HubPaths, settings: Settings) -> str:
    """With the hub stopped: end the processes it left and forget the servers its database still records.
    Returns what was done, for the trainer ('' if nothing was left)."""
    ended = shutdown.end_processes(paths)
    try:
        forgotten = shutdown.forget_servers(settings.db(paths))
    except Exception as exc:  # SQLAlchemy's errors: the database is down or not the hub's
        raise UserError(_("cannot read the hub's database {database} ({error}): start the database server, or "
                          "check db_url in hub.yml.").format(database=settings.db_shown(paths),
                                                             error=type(exc).__name__)) from None
    notes = []
    if ended:
        notes.append(ngettext("stopped {count} process it had left running",
                              "stopped {count} processes it had left running", ended).format(count=ended))
    if forgotten:
        names = ", ".join(forgotten[:5]) + (", ..." if len(forgotten) > 5 else "")
        notes.append(ngettext("cleared {count} server its database still recorded as running ({names})",
                              "cleared {count} servers its database still recorded as running ({names})",
                              len(forgotten)).format(count=len(forgotten), names=names))
    return "; ".join(notes)


def stop(paths: HubPaths) -> str:
    """Stop the hub, its proxy, every server and kernel; afterwards no process of the hub runs and its
    database records no server running. UserError if a process cannot be stopped."""
    settings = load(paths)
    current = running(paths)
    if current is None:
        paths.pid_file.unlink(missing_ok=True)
        left = _clear_leftovers(paths, settings)
        if left:
            # Translators: {done} lists what was cleaned up, e.g. "stopped 3 processes it had left running".
            return _("The hub in {folder} is not running; {done}.").format(folder=paths.root, done=left)
        return _("The hub in {folder} is not running.").format(folder=paths.root)
    # JupyterHub stops the course services one by one before the officers' servers; signalled together,
    # the servers are already stopping when its clean-up reaches them, and it records them stopped.
    servers = shutdown.user_servers(paths)
    shutdown.signal_all([current.pid, *servers], signal.SIGTERM)
    forced = not _wait_gone(current.pid, STOP_SECONDS)
    if forced:
        os.killpg(current.pid, signal.SIGKILL)
        _wait_gone(current.pid, 10)
    left = _clear_leftovers(paths, settings)
    paths.pid_file.unlink(missing_ok=True)
    (paths.run / "proxy.pid").unlink(missing_ok=True)
    done = ngettext("The hub stopped, with {count} officer's or trainer's server; no process of the hub is left. "
                    "Accounts, work and grades are kept.",
                    "The hub stopped, with {count} officers' and trainers' servers; no process of the hub is left. "
                    "Accounts, work and grades are kept.", len(servers)).format(count=len(servers))
    if forced:
        return done + " " + _("It did not stop within {seconds} s and was killed ({done}); read {log}.").format(
            seconds=STOP_SECONDS, done=left, log=paths.hub_log)
    return done + (" " + _("Clean-up: {done}.").format(done=left) if left else "")


def api(paths: HubPaths, path: str) -> Any:
    """GET the hub's REST API (on loopback) with the command line's own read-only token."""
    ports = json.loads(paths.ports_file.read_text())
    token = paths.cli_token.read_text().strip()
    request = urllib.request.Request(f"http://127.0.0.1:{ports['hub']}/hub/api{path}",
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def status(paths: HubPaths) -> tuple[bool, list[str]]:
    """(running?, lines for the trainer): address, courses, who is online."""
    from hub.courses import load_courses

    settings = load(paths)
    current = running(paths)
    lines = []
    if current is None:
        lines.append(_("The hub in {folder} is NOT running (start it: {command}).").format(
            folder=paths.root, command=f"osintlab hub start {paths.root}"))
    else:
        minutes = int((time.time() - current.started) // 60)
        lines.append(_("The hub in {folder} is running (pid {pid}, for {minutes} min) at {addresses}").format(
            folder=paths.root, pid=current.pid, minutes=minutes, addresses=", ".join(public_urls(settings))))
    online: dict[str, str] = {}
    if current is not None:
        try:
            for user in api(paths, "/users?state=active"):
                online[user["name"]] = str(user.get("last_activity") or "")
        except (OSError, urllib.error.URLError, KeyError, ValueError) as exc:
            lines.append("  " + _("(could not ask the hub who is online: {error})").format(error=exc))
    for course in load_courses(settings):
        here = sorted(n for n in course.officers if n in online)
        lines.append("  " + ngettext(
            "course {course} ({country}): {count} officer, {online} with a server running; trainers {trainers}; "
            "formgrader at {url}",
            "course {course} ({country}): {count} officers, {online} with a server running; trainers {trainers}; "
            "formgrader at {url}", len(course.officers)).format(
            course=course.course_id, country=course.country, count=len(course.officers), online=len(here),
            trainers=", ".join(course.trainers), url=f"/services/{course.course_id}/"))
    lines.append("  " + _("logs: {folder} ({command})").format(folder=paths.logs,
                                                                command=f"osintlab hub logs {paths.root}"))
    return current is not None, lines


def log_files(paths: HubPaths, course: str | None) -> Path:
    if course is None:
        return paths.hub_log
    path = paths.nbgrader_log(course)
    if not path.is_file():
        known = ", ".join(sorted(p.name[9:-4] for p in paths.logs.glob("nbgrader-*.log"))) or _("none")
        raise UserError(_("there is no nbgrader log for course {course}; courses with one: {known}.").format(
            course=repr(course), known=known))
    return path


def show_logs(paths: HubPaths, *, lines: int = 60, follow: bool = False, course: str | None = None) -> None:
    path = log_files(paths, course)
    for line in _tail(path, lines):
        print(line)
    if not follow:
        return
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        while True:
            chunk = handle.readline()
            if chunk:
                sys.stdout.write(chunk.decode("utf-8", errors="replace"))
                sys.stdout.flush()
            else:
                time.sleep(0.5)
