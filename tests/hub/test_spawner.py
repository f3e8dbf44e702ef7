"""hub.spawner on real processes and a real JupyterHub user: a pid restored from the hub's database
counts as the user's server only if it is one (no root or hub needed)."""

from __future__ import annotations

import asyncio
import os
import pwd
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.spawner import ClassroomSpawner, is_server_of

LOGIN = pwd.getpwuid(os.getuid()).pw_name  # the servers below run as this test's own account


@pytest.fixture()
def server_command(tmp_path: Path) -> list[str]:
    """A stand-in named like the real server's script, so its command line reads as a server's."""
    script = tmp_path / "jupyterhub-singleuser"
    script.write_text("import time\nprint('ready', flush=True)\ntime.sleep(600)\n")
    return [sys.executable, str(script)]


@pytest.fixture()
def started() -> Iterator[list[subprocess.Popen[str]]]:
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:
        proc.kill()
        proc.wait()


def _start(argv: list[str], procs: list[subprocess.Popen[str]]) -> subprocess.Popen[str]:
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    procs.append(proc)
    if argv[-1].endswith("jupyterhub-singleuser"):
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def _resumed_spawner(tmp_path: Path, pid: int) -> ClassroomSpawner:
    """The spawner as the hub makes it at a restart: a user of a real JupyterHub database, state from there."""
    from jupyterhub import orm
    from jupyterhub.user import User

    db = orm.new_session_factory(f"sqlite:///{tmp_path / 'jupyterhub.sqlite'}")()
    orm_user = orm.User(name=LOGIN)
    db.add(orm_user)
    db.commit()
    spawner = User(orm_user, {"spawner_class": ClassroomSpawner}, db=db).spawners[""]
    spawner.load_state({"pid": pid})
    return spawner


def _poll(spawner: ClassroomSpawner) -> int | None:
    return asyncio.run(spawner.poll())


def test_a_live_server_of_the_user_is_running(tmp_path: Path, server_command: list[str],
                                               started: list[subprocess.Popen[str]]) -> None:
    server = _start(server_command, started)
    assert is_server_of(server.pid, LOGIN)
    assert not is_server_of(server.pid, "nobody")  # another account's process
    spawner = _resumed_spawner(tmp_path, server.pid)
    assert _poll(spawner) is None and spawner.pid == server.pid


def test_a_zombie_server_is_not_running(tmp_path: Path, server_command: list[str],
                                        started: list[subprocess.Popen[str]]) -> None:
    server = _start(server_command, started)
    server.kill()
    os.waitid(os.P_PID, server.pid, os.WEXITED | os.WNOWAIT)  # ended, not reaped: a zombie, as after a hub died
    assert Path(f"/proc/{server.pid}").exists()
    os.kill(server.pid, 0)  # what LocalProcessSpawner.poll relies on still succeeds
    spawner = _resumed_spawner(tmp_path, server.pid)
    assert _poll(spawner) == 0 and spawner.pid == 0  # the state is cleared: the next login starts a new server


def test_another_program_on_the_recorded_pid_is_not_the_server(tmp_path: Path,
                                                               started: list[subprocess.Popen[str]]) -> None:
    other = _start(["sleep", "600"], started)
    spawner = _resumed_spawner(tmp_path, other.pid)
    assert _poll(spawner) == 0
    asyncio.run(spawner.stop())  # and stopping the "server" leaves that program alone
    assert other.poll() is None


def test_a_pid_no_longer_used_is_not_running(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    assert _poll(_resumed_spawner(tmp_path, int(done.stdout))) == 0
