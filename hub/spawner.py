"""Officers' and trainers' servers as local processes: JupyterHub's LocalProcessSpawner, with a
poll() that never takes a dead or foreign process for the user's server.

JupyterHub records each server's pid in its database. After the hub restarts, the spawner has only
that pid, and LocalProcessSpawner.poll() calls it running if signal 0 reaches it. Signal 0 also
reaches:
- a zombie: a server that ended after the hub that started it (its parent) had gone, on a machine
  whose process 1 does not reap orphans (containers without an init, such as this project's own
  machine). A zombie stays until the machine restarts;
- another program that got the same pid, e.g. after the machine restarted.
The hub then keeps the "server" as running: an officer who logs in is sent to /user/<name>/, where
nothing answers, until the hub gives up on it (Spawner.http_timeout) and stops it by signalling
that pid (another program's, in the second case).

`ClassroomSpawner.poll` checks first that the pid is a live process of the user's own account
running jupyterhub-singleuser; if not, the server is not running (JupyterHub then clears it and
the next login starts a new one).
"""

from __future__ import annotations

import pwd
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner

SERVER_COMMAND = b"jupyterhub-singleuser"


def is_server_of(pid: int, login: str) -> bool:
    """True if `pid` is a live (not zombie) process of the local account `login` whose command line runs
    jupyterhub-singleuser. Reads /proc (Linux); False when the process or the account is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        status = Path(f"/proc/{pid}/status").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        uid = pwd.getpwnam(login).pw_uid
    except (OSError, KeyError):
        return False
    state = stat.rsplit(")", 1)[1].split()[0]  # after the command name, which may hold spaces and ')'
    real_uid = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("Uid:")), -1)
    return state not in ("Z", "X") and real_uid == uid and SERVER_COMMAND in cmdline


class ClassroomSpawner(LocalProcessSpawner):  # type: ignore[misc]  (JupyterHub is untyped)
    """LocalProcessSpawner whose poll() checks a pid restored from the hub's database (module docstring)."""

    async def poll(self) -> int | None:
        if self.proc is None and self.pid and not is_server_of(self.pid, self.user.name):
            self.log.warning("%s: pid %i, recorded for its server, is no server of %s (it ended, is a zombie, or "
                             "is another program's now); the server is not running.",
                             self._log_name, self.pid, self.user.name)
            self.clear_state()
            return 0
        return await super().poll()
