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
        raise UserError(f"{paths.root} is not set up: run osintlab hub setup {paths.root} --course ... first.")
    if not PROXY_BIN.is_file():
        raise UserError(f"configurable-http-proxy is not installed ({PROXY_BIN}): run bash scripts/setup.sh "
                        "(it installs it with npm) on a machine that reaches the npm registry.")
    files = tls.TlsFiles(paths.tls)
    if not (files.cert.is_file() and files.key.is_file()):
        raise UserError(f"the hub's certificate is missing from {paths.tls}: run osintlab hub setup {paths.root} "
                        "again.")
    with socket.socket(socket.AF_INET6 if ":" in settings.ip else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((settings.ip, settings.port))
        except OSError as exc:
            raise UserError(f"port {settings.port} on {settings.ip} is not free ({exc.strerror}): stop the program "
                            f"using it, or choose another port (osintlab hub setup {paths.root} --port N).") from None


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
        raise UserError(f"the hub in {paths.root} is already running (pid {current.pid}): "
                        f"osintlab hub stop {paths.root} first to restart it.")
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
            raise UserError(f"the hub stopped while starting (exit {proc.returncode}); the end of "
                            f"{paths.hub_log}:\n{tail}")
        if _healthy(paths, settings):
            return public_urls(settings)
        time.sleep(0.5)
    stop(paths)
    raise UserError(f"the hub did not answer within {START_SECONDS} s: read {paths.hub_log}.")


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
        raise UserError(f"cannot read the hub's database {settings.db_shown(paths)} ({type(exc).__name__}): "
                        "start the database server, or check db_url in hub.yml.") from None
    notes = []
    if ended:
        notes.append(f"stopped {ended} processes it had left running")
    if forgotten:
        notes.append(f"cleared {len(forgotten)} servers its database still recorded as running "
                     f"({', '.join(forgotten[:5])}{', ...' if len(forgotten) > 5 else ''})")
    return "; ".join(notes)


def stop(paths: HubPaths) -> str:
    """Stop the hub, its proxy, every server and kernel; afterwards no process of the hub runs and its
    database records no server running. UserError if a process cannot be stopped."""
    settings = load(paths)
    current = running(paths)
    if current is None:
        paths.pid_file.unlink(missing_ok=True)
        left = _clear_leftovers(paths, settings)
        return f"The hub in {paths.root} is not running" + (f"; {left}." if left else ".")
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
    done = (f"The hub stopped, with {len(servers)} officers' and trainers' servers; no process of the hub is left. "
            "Accounts, work and grades are kept.")
    if forced:
        return f"{done} It did not stop within {STOP_SECONDS} s and was killed ({left}); read {paths.hub_log}."
    return done + (f" Clean-up: {left}." if left else "")


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
        lines.append(f"The hub in {paths.root} is NOT running (start it: osintlab hub start {paths.root}).")
    else:
        minutes = int((time.time() - current.started) // 60)
        lines.append(f"The hub in {paths.root} is running (pid {current.pid}, for {minutes} min) at "
                     + ", ".join(public_urls(settings)))
    online: dict[str, str] = {}
    if current is not None:
        try:
            for user in api(paths, "/users?state=active"):
                online[user["name"]] = str(user.get("last_activity") or "")
        except (OSError, urllib.error.URLError, KeyError, ValueError) as exc:
            lines.append(f"  (could not ask the hub who is online: {exc})")
    for course in load_courses(settings):
        here = sorted(n for n in course.officers if n in online)
        lines.append(f"  course {course.course_id} ({course.country}): {len(course.officers)} officers, "
                     f"{len(here)} with a server running; trainers {', '.join(course.trainers)}; "
                     f"formgrader at /services/{course.course_id}/")
    lines.append(f"  logs: {paths.logs} (osintlab hub logs {paths.root})")
    return current is not None, lines


def log_files(paths: HubPaths, course: str | None) -> Path:
    if course is None:
        return paths.hub_log
    path = paths.nbgrader_log(course)
    if not path.is_file():
        known = ", ".join(sorted(p.name[9:-4] for p in paths.logs.glob("nbgrader-*.log"))) or "none"
        raise UserError(f"there is no nbgrader log for course {course!r}; courses with one: {known}.")
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
