"""HUB/hub.yml: the hub's settings, validated against hub/schema.json.

`osintlab hub setup` writes the file; a trainer may edit it by hand and run setup again.
A course is listed by its folder; its id, country and officers come from the course itself
(grader.cohort), so a roster change is picked up at the next start.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from hub.layout import HubPaths
from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_text
from osintlab.i18n import _
from osintlab.yamlfile import read_yaml

SCHEMA = Path(__file__).with_name("schema.json")
HEADER = """# The classroom hub's settings. `osintlab hub setup` writes them; you may edit them by hand,
# then run `osintlab hub setup HUB` again and restart the hub. Fields: hub/schema.json.
"""


@dataclass(frozen=True)
class CourseEntry:
    dir: str
    trainers: list[str]


@dataclass(frozen=True)
class Settings:
    ip: str = "0.0.0.0"
    port: int = 443
    hostnames: list[str] = field(default_factory=lambda: ["localhost"])
    db_url: str | None = None  # None: SQLite in HUB
    spawner: str = "local"  # "local" (any machine) or "systemd" (per-officer memory and CPU limits)
    memory_limit: str | None = "2G"  # per officer server; enforced by the systemd spawner only
    cpu_limit: float | None = 1.0  # CPUs per officer server; systemd spawner only
    idle_minutes: int = 60  # servers idle this long are stopped (0: never)
    max_servers: int = 0  # officers' servers running at once (0: no limit)
    courses: list[CourseEntry] = field(default_factory=list)

    def with_course(self, directory: Path, trainers: list[str]) -> Settings:
        """These settings with the course added, or its trainers replaced if it is listed."""
        key = str(Path(directory).resolve())
        entry = CourseEntry(key, sorted(set(trainers)))
        courses = [entry if str(Path(c.dir).resolve()) == key else c for c in self.courses]
        return replace(self, courses=courses if entry in courses else [*courses, entry])

    def db(self, paths: HubPaths) -> str:
        return self.db_url or f"sqlite:///{paths.sqlite}"

    def db_shown(self, paths: HubPaths) -> str:
        """The database URL without its password, for messages."""
        from sqlalchemy.engine import make_url

        return make_url(self.db(paths)).render_as_string(hide_password=True)


def _validate(data: Any, source: Path) -> None:
    from osintlab.jsonschema_lite import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = ".".join(str(p) for p in err.absolute_path) or _("(top level)")
        # Translators: {problem} is the schema validator's own English explanation.
        raise UserError(_("{file}: field {field} is invalid ({problem}): fix it as hub/schema.json says.").format(
            file=source, field=where, problem=err.message))


def load(paths: HubPaths) -> Settings:
    """The hub's settings; UserError naming the file and field if they are wrong."""
    if not paths.settings.is_file():
        raise UserError(_("{folder} is not a classroom hub (no hub.yml): create it with {command}.").format(
            folder=paths.root, command="osintlab hub setup"))
    data = read_yaml(paths.settings)
    _validate(data, paths.settings)
    courses = [CourseEntry(str(c["dir"]), [str(t) for t in c["trainers"]]) for c in data.pop("courses")]
    return Settings(**data, courses=courses)


def exists(paths: HubPaths) -> bool:
    return paths.settings.is_file()


def save(paths: HubPaths, settings: Settings) -> None:
    """Write hub.yml atomically, readable by root only (it may hold a PostgreSQL password)."""
    data = asdict(settings)
    _validate(json.loads(json.dumps(data)), paths.settings)
    atomic_write_text(paths.settings, HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    os.chmod(paths.settings, 0o600)
