"""hub.shutdown on real processes and a real JupyterHub database (no root, no hub needed)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub import shutdown
from hub.layout import HubPaths

IGNORES_TERM = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); " \
               "time.sleep(600)"


@pytest.fixture()
def processes(tmp_path: Path) -> Iterator[tuple[HubPaths, list[subprocess.Popen[str]]]]:
    """Three processes of a hub in tmp_path (one ignores SIGTERM), and one of another hub."""
    ours, theirs = HubPaths.of(tmp_path / "hub"), HubPaths.of(tmp_path / "other")
    started = []
    for paths, code in [(ours, "import time; print('ready', flush=True); time.sleep(600)")] * 2 + \
                       [(ours, IGNORES_TERM), (theirs, "import time; print('ready', flush=True); time.sleep(600)")]:
        env = {**os.environ, **shutdown.marker(paths)}
        proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        started.append(proc)
    yield ours, started
    for proc in started:
        proc.kill()
        proc.wait()


def test_every_process_of_the_hub_ends_and_no_other(processes: tuple[HubPaths, list[subprocess.Popen[str]]]) -> None:
    paths, started = processes
    assert shutdown.hub_processes(paths) == sorted(p.pid for p in started[:3])
    begun = time.monotonic()
    assert shutdown.end_processes(paths, grace=2) == 3
    assert time.monotonic() - begun < 10
    assert [p.wait(timeout=5) for p in started[:3]] == [-15, -15, -9]  # the stubborn one needed SIGKILL
    assert shutdown.hub_processes(paths) == []
    assert started[3].poll() is None, "a process of another hub was stopped"
    assert shutdown.end_processes(paths) == 0


def test_servers_recorded_as_running_are_forgotten(tmp_path: Path) -> None:
    from jupyterhub import orm

    from hub.passwords import database

    db_url = f"sqlite:///{tmp_path / 'jupyterhub.sqlite'}"
    with database(db_url, logins=False) as db:
        for name, running in [("o1", True), ("o2", False), ("t1", True)]:
            user = orm.User(name=name)
            db.add(user)
            spawner = orm.Spawner(user=user, name="", state={"pid": 4242} if running else {})
            if running:
                spawner.server = orm.Server(ip="127.0.0.1", port=40000, base_url=f"/user/{name}/")
            db.add(spawner)
        db.commit()
    assert shutdown.recorded_servers(db_url) == ["o1", "t1"]
    assert shutdown.forget_servers(db_url) == ["o1", "t1"]
    assert shutdown.recorded_servers(db_url) == []
    with database(db_url, logins=False) as db:
        assert all(s.state == {} and s.started is None for s in db.query(orm.Spawner))
        assert db.query(orm.Server).count() == 0
    assert shutdown.forget_servers(db_url) == []
