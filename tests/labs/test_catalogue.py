from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from labs import catalogue
from osintlab.errors import UserError


def test_every_lab_yml_is_valid() -> None:
    specs = catalogue.discover()
    assert len(specs) >= 2
    for spec in specs:
        assert spec.notebook.is_file(), spec.notebook
        assert (spec.folder / "README.md").is_file()
        assert 45 <= spec.data["minutes"] <= 90


def _write(tmp_path: Path, data: dict) -> Path:
    folder = tmp_path / data.get("id", "w1-99-broken")
    folder.mkdir()
    (folder / "lab.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


def _good() -> dict:
    return dict(catalogue.get("w1-01-passive-active").data) | {"id": "w1-99-broken"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"minutes": 20}, "minutes"),
        ({"berkeley_phase": "guessing"}, "berkeley_phase"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_broken_lab_yml_names_the_field(tmp_path: Path, change: dict, field: str) -> None:
    folder = _write(tmp_path, _good() | change)
    with pytest.raises(UserError, match=rf"lab.yml: field {field} is invalid"):
        catalogue.load_spec(folder)


def test_missing_nested_field_is_named(tmp_path: Path) -> None:
    data = _good()
    data["case"] = {k: v for k, v in data["case"].items() if k != "practice_seed"}
    with pytest.raises(UserError, match=r"field case.practice_seed is invalid"):
        catalogue.load_spec(_write(tmp_path, data))


def test_id_must_match_folder(tmp_path: Path) -> None:
    data = _good()
    folder = tmp_path / "w1-98-other"
    folder.mkdir()
    (folder / "lab.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(UserError, match="must equal the folder name"):
        catalogue.load_spec(folder)


def test_bad_yaml_and_unknown_lab(tmp_path: Path) -> None:
    folder = tmp_path / "w1-97-bad"
    folder.mkdir()
    (folder / "lab.yml").write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(UserError, match=r"lab\.yml line \d+: invalid YAML"):
        catalogue.load_spec(folder)
    with pytest.raises(UserError, match="unknown lab 'w9-00-nothing'"):
        catalogue.get("w9-00-nothing")
