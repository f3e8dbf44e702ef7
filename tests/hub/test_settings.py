"""hub.yml: validated against hub/schema.json, with errors that name the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub import settings
from hub.layout import HubPaths
from hub.settings import Settings
from osintlab.errors import UserError


def test_round_trip_and_courses(tmp_path: Path) -> None:
    paths = HubPaths.of(tmp_path)
    first = Settings(hostnames=["classroom", "localhost"]).with_course(tmp_path / "c1", ["tsetseg"])
    second = first.with_course(tmp_path / "c1", ["tsetseg", "bold"]).with_course(tmp_path / "c2", ["rahim"])
    settings.save(paths, second)
    loaded = settings.load(paths)
    assert loaded == second
    assert [c.trainers for c in loaded.courses] == [["bold", "tsetseg"], ["rahim"]]
    assert oct(paths.settings.stat().st_mode & 0o777) == "0o600"
    assert loaded.db(paths) == f"sqlite:///{tmp_path / 'jupyterhub.sqlite'}"


@pytest.mark.parametrize(("edit", "field"), [
    ("port: 443", "port: 70000"),
    ("spawner: local", "spawner: docker"),
    ("idle_minutes: 60", "idle_minutes: -5"),
    ("db_url: null", "db_url: mysql://hub@db/hub"),
])
def test_a_wrong_field_is_named(tmp_path: Path, edit: str, field: str) -> None:
    paths = HubPaths.of(tmp_path)
    settings.save(paths, Settings())
    paths.settings.write_text(paths.settings.read_text().replace(edit, field))
    with pytest.raises(UserError, match=rf"hub.yml: field {field.split(':')[0]} is invalid"):
        settings.load(paths)


def test_missing_and_broken_files(tmp_path: Path) -> None:
    paths = HubPaths.of(tmp_path)
    with pytest.raises(UserError, match="is not a classroom hub"):
        settings.load(paths)
    paths.settings.write_text("ip: [\n")
    with pytest.raises(UserError, match="invalid YAML"):
        settings.load(paths)
    paths.settings.write_text("ip: 0.0.0.0\ncolour: blue\n")
    with pytest.raises(UserError, match="is invalid"):
        settings.load(paths)
