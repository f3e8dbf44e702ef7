"""The nbgrader config of officers' and trainers' servers, read as nbgrader's Assignment List reads it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from grader.trainee_side import MARKER, TEMPLATE
from hub.jupyterconfig import write_user_configs
from hub.layout import HubPaths


def _as_the_assignment_list_reads(folders: list[Path], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The config nbgrader's Assignment List loads (its handler's load_config: Jupyter's config path, where
    JUPYTER_CONFIG_PATH, as the hub sets it, comes before /etc/jupyter) with `folders` on that path."""
    from nbgrader.apps import NbGrader

    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(folders[0].parent / "no-user-config"))
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", os.pathsep.join(map(str, folders)))
    app = NbGrader()
    app.load_config_file()
    return app.config


@pytest.mark.parametrize("kind", ["officer", "trainer"])
def test_a_one_course_servers_config_does_not_hide_the_hubs_courses(tmp_path: Path, kind: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    paths = HubPaths.of(tmp_path / "hub")
    write_user_configs(paths)
    # What `osintlab cohort init --exchange` leaves in /etc/jupyter on a machine that was a one-course server.
    system = tmp_path / "etc-jupyter"
    system.mkdir()
    (system / "nbgrader_config.py").write_text(
        TEMPLATE.format(marker=MARKER, course_id="old-course", exchange="/srv/old/exchange"))
    config = _as_the_assignment_list_reads([paths.jupyter_dir(kind), system], monkeypatch)
    assert config.Exchange.root == str(paths.exchange)
    assert config.Exchange.path_includes_course is True
    assert config.CourseDirectory.course_id == ""  # every course of the user's groups, not old-course
