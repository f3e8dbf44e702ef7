"""Nothing of a stopped hub keeps running, and its database says so.

Why this is needed: JupyterHub, asked to stop, stops its managed services (each course's
JupyterLab, the idle culler) one after another (SIGINT, up to 10 s each before SIGTERM), and
only then the officers' servers, recording each one stopped. A hub killed before the end (by
`hub stop` after STOP_SECONDS, a crash, the out-of-memory killer) leaves the officers' servers
running in their own sessions, and its database still records them. At the next start
JupyterHub finds them alive and keeps them, but they talk to the old hub's API port (the ports
change at every start): an officer's login then hangs in the OAuth callback. (A recorded server
that has ended meanwhile is hub.spawner's case.)

So every process the hub starts (the hub, the proxy, officers' and trainers' servers, their
kernels and terminals, the course services, the culler) carries `OSINTLAB_HUB=<hub folder>` in its
environment. `end_processes` stops all of them at once (SIGTERM, then SIGKILL), and
`forget_servers` clears, in JupyterHub's own database, the servers of a hub that was killed, as
JupyterHub does when it stops a server itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

from hub.layout import HubPaths
from osintlab.errors import UserError
from osintlab.i18n import _

MARKER = "OSINTLAB_HUB"
GRACE_SECONDS = 20  # a server saves nothing on SIGTERM but shuts its kernels down; give it time on a loaded machine


def marker(paths: HubPaths) -> dict[str, str]:
    """The environment entry that marks a process as this hub's."""
    return {MARKER: str(paths.root)}


def _environ(pid: int) -> dict[str, str] | None:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()  # empty for a zombie
    except OSError:
        return None  # gone meanwhile, or not ours to read
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in pairs}


def hub_processes(paths: HubPaths) -> list[int]:
    """Pids of the live processes that carry this hub's marker (zombies and this process excluded)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            env = _environ(int(entry.name))
            if env is not None and env.get(MARKER) == str(paths.root):
                found.append(int(entry.name))
    return sorted(found)


def user_servers(paths: HubPaths) -> list[int]:
    """Pids of this hub's officers' and trainers' servers (not their kernels, not the course services)."""
    servers = []
    for pid in hub_processes(paths):
        env = _environ(pid) or {}
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"jupyterhub-singleuser" in cmdline and "JUPYTERHUB_USER" in env and "JUPYTERHUB_SERVICE_NAME" not in env:
            servers.append(pid)
    return servers


def signal_all(pids: list[int], sig: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def end_processes(paths: HubPaths, grace: float = GRACE_SECONDS) -> int:
    """Stop every process of this hub: SIGTERM, then SIGKILL after `grace` seconds. Returns how many
    there were. UserError if one survives SIGKILL (a process stuck in the kernel)."""
    pids = hub_processes(paths)
    if not pids:
        return 0
    signal_all(pids, signal.SIGTERM)
    for sig, seconds in ((signal.SIGKILL, grace), (None, 10.0)):
        deadline = time.monotonic() + seconds
        while hub_processes(paths) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = hub_processes(paths)
        if not left:
            return len(pids)
        if sig is not None:
            signal_all(left, sig)
    raise UserError(_("processes {pids} of the hub in {folder} survive SIGKILL: look at them with {command} "
                      "(state D waits for a disk) and restart the machine if they stay.").format(
        pids=", ".join(map(str, left)), folder=paths.root, command="ps -o pid,user,stat,args -p PID"))


def _no_database(db_url: str) -> bool:
    """A SQLite file not made yet records nothing (and opening it would create it)."""
    return db_url.startswith("sqlite:///") and not Path(db_url.removeprefix("sqlite:///")).is_file()


def forget_servers(db_url: str) -> list[str]:
    """Clear the servers the hub's database still records as running (their processes must be gone):
    the same fields JupyterHub clears when it stops a server. Returns the names of their owners.
    Services' entries are JupyterHub's to remake at start and are left alone."""
    from jupyterhub import orm

    from hub.passwords import database

    if _no_database(db_url):
        return []
    with database(db_url, logins=False) as db:
        spawners = db.query(orm.Spawner).filter(orm.Spawner.server != None).all()  # noqa: E711 (SQL NULL)
        names = sorted(s.user.name for s in spawners)
        for spawner in spawners:
            db.delete(spawner.server)
            spawner.server = None
            spawner.started = None
            spawner.state = {}  # LocalProcessSpawner's pid: nothing for the next start to poll
        db.commit()
        return names


def recorded_servers(db_url: str) -> list[str]:
    """Owners of the servers the hub's database records as running."""
    from jupyterhub import orm

    from hub.passwords import database

    if _no_database(db_url):
        return []
    with database(db_url, logins=False) as db:
        return sorted(s.user.name for s in db.query(orm.Spawner).filter(orm.Spawner.server != None))  # noqa: E711
