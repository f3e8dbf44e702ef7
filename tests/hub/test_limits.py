"""Per-officer memory and CPU limits: asked of systemd where it runs, and said plainly where it does not.

This machine has no systemd (a container), so no unit is started here: these tests check the
configuration JupyterHub gets, not the limits in force. The trainer guide says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from traitlets.config import Config

from hub.jhconfig import _spawner
from hub.layout import HubPaths
from hub.settings import Settings


def test_the_systemd_spawner_is_given_the_limits(tmp_path: Path) -> None:
    import systemdspawner  # noqa: F401  (installed with the hub's packages, ready for a machine with systemd)

    c = Config()
    _spawner(c, HubPaths.of(tmp_path), Settings(spawner="systemd", memory_limit="3G", cpu_limit=0.5), set(), "/usr/bin")
    assert c.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert (c.Spawner.mem_limit, c.Spawner.cpu_limit) == ("3G", 0.5)  # MemoryMax, CPUQuota=50% of the unit
    assert c.SystemdSpawner.unit_name_template == "osintlab-{USERNAME}"
    assert c.SystemdSpawner.disable_user_sudo and c.SystemdSpawner.isolate_tmp


def test_local_processes_say_the_limits_are_not_enforced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = Config()
    _spawner(c, HubPaths.of(tmp_path), Settings(spawner="local", memory_limit="2G", cpu_limit=1.0), set(), "/usr/bin")
    assert c.JupyterHub.spawner_class == "hub.spawner.ClassroomSpawner"  # local processes
    assert "does not limit an officer's memory or CPU" in capsys.readouterr().err  # in the hub's log at every start
