"""Discover lab folders (labs/<id>/lab.yml) and validate their metadata against labs/schema.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from osintlab.errors import UserError
from osintlab.yamlfile import read_yaml

LABS_ROOT = Path(__file__).resolve().parent
SCHEMA_PATH = LABS_ROOT / "schema.json"


@dataclass(frozen=True)
class LabSpec:
    """One lab's validated metadata and where its files are."""

    folder: Path
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def title(self) -> str:
        return str(self.data["title"])

    @property
    def points(self) -> float:
        return float(self.data["points"])

    @property
    def case(self) -> dict[str, Any]:
        return dict(self.data["case"])

    @property
    def module(self) -> str:
        return str(self.data["module"])

    @property
    def source(self) -> Path:
        """The notebook's MyST Markdown source (the file authors and translators edit)."""
        return self.folder / self.data["notebook"]

    @property
    def notebook(self) -> Path:
        """The nbgrader source notebook `<id>.ipynb`, built from `source` on first use (labs.notebook)."""
        from labs.notebook import built

        return built(self)


@cache
def _validator() -> Any:
    from osintlab.jsonschema_lite import jsonschema  # here, not at module level: notebooks skip it

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _field(error: Any) -> str:
    path = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"{path}.{missing}" if path else missing
    if error.validator == "additionalProperties" and "'" in error.message:
        extra = error.message.split("'")[1]
        return f"{path}.{extra}" if path else extra
    return path or "(top level)"


def validate(data: Any, source: Path) -> dict[str, Any]:
    """Return `data` if it matches the schema, else raise UserError naming the file and field."""
    if not isinstance(data, dict):
        raise UserError(f"{source} must be a YAML mapping of lab fields: see labs/README.md for an example.")
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        raise UserError(f"{source}: field {_field(err)} is invalid ({err.message}): fix it as labs/schema.json says.")
    if data["id"] != source.parent.name:
        raise UserError(f"{source}: field id {data['id']!r} must equal the folder name {source.parent.name!r}.")
    return data


def load_spec(folder: Path, *, check: bool = True) -> LabSpec:
    """Read and (unless check=False) validate a lab's lab.yml.

    Notebooks pass check=False to start fast: every committed lab.yml is validated by the
    tests, `osintlab lab list` and `osintlab lab check`.
    """
    path = Path(folder) / "lab.yml"
    if not path.is_file():
        raise UserError(f"{folder} has no lab.yml: every lab folder needs one (see labs/README.md).")
    data = read_yaml(path)
    if not check:
        if not isinstance(data, dict) or not {"id", "module", "case"} <= set(data):
            raise UserError(f"{path} lacks id, module or case: run osintlab lab list to see what is wrong.")
        return LabSpec(folder=Path(folder), data=data)
    return LabSpec(folder=Path(folder), data=validate(data, path))


def discover(root: Path = LABS_ROOT) -> list[LabSpec]:
    """Every lab under `root`, sorted by id."""
    return [load_spec(p.parent) for p in sorted(Path(root).glob("*/lab.yml"))]


def get(lab_id: str, root: Path = LABS_ROOT, *, check: bool = True) -> LabSpec:
    folder = Path(root) / lab_id
    if not (folder / "lab.yml").is_file():
        known = ", ".join(p.parent.name for p in sorted(Path(root).glob("*/lab.yml"))) or "none"
        raise UserError(f"unknown lab {lab_id!r}: choose one of {known}.")
    return load_spec(folder, check=check)
