"""Scenarios: declarative YAML storylines, discovered automatically and validated.

A scenario file (scenarios/<id>.yml) may `include` shared content banks (content/<name>.yml);
its own `texts` and `scripts` win over included ones. Validation is in two steps: the JSON
Schema (schemas/*.schema.yml) checks shape, then `_check_semantics` checks references
(indicator ids, slot names, texts and scripts named by the storyline). Every error names
the file, the field and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from osintlab.errors import UserError
from osintlab.jsonschema_lite import jsonschema
from osintlab.yamlfile import load_yaml_text, read_yaml
from synthetic_data.indicators import ALL_INDICATORS
from synthetic_data.textgen import CUE_MARK, slots_in

PACKAGE_DIR = Path(__file__).parent
SCENARIOS_DIR = PACKAGE_DIR / "scenarios"
CONTENT_DIR = PACKAGE_DIR / "content"
SCHEMAS_DIR = PACKAGE_DIR / "schemas"

# Slots the generator fills (see generator/slots.py). A template using another name is an error.
KNOWN_SLOTS = frozenset(
    """
    job salary_usd salary_local currency dest_currency dest_country dest_city dest_place
    dest_country_tag origin_country origin_city origin_place company registration licence agency
    agency_brand licensing_body phone phone_local messenger messenger_handle email website name
    victim_first recruiter_first recruiter_handle relation month date count hours debt_usd
    fee_local years wallet mule_phone jobs_platform dating_platform route price_usd price_air_usd
    deposit_usd days place city city_tag topic item price_local local_job wage_local legit_job
    local_company today since
    """.split()
)


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    kind: str
    brief: str
    data: dict[str, Any]  # the validated YAML, with included texts/scripts merged in
    path: Path
    texts: dict[str, Any] = field(default_factory=dict)
    scripts: dict[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return f"{self.id:34} {self.kind:11} {self.title}"


@cache
def _schema(name: str) -> dict[str, Any]:
    return load_yaml_text((SCHEMAS_DIR / f"{name}.schema.yml").read_text(encoding="utf-8"))


def validate_against(schema_name: str, data: Any, path: Path) -> None:
    """Raise UserError naming the file and the first (deepest) field that is wrong."""
    validator = jsonschema.Draft202012Validator(_schema(schema_name))
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), str(e.message)))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors) or errors[0]
    where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    raise UserError(f"{path}: field {where}: {error.message}{more}; fix it and try again.")


def indicator_ids() -> frozenset[str]:
    return frozenset(ALL_INDICATORS)


def load_content(name: str, content_dir: Path = CONTENT_DIR) -> dict[str, Any]:
    path = content_dir / f"{name}.yml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in content_dir.glob("*.yml")))
        raise UserError(f"content bank {name!r} does not exist in {content_dir}; known: {known}.")
    data = read_yaml(path) or {}
    validate_against("content", data, path)
    _check_templates(data, path)
    return data


def _templates(node: Any, where: str) -> list[tuple[str, str]]:
    """Every template string under `node`, with its field path."""
    if isinstance(node, str):
        return [(where, node)]
    if isinstance(node, list):
        return [t for i, item in enumerate(node) for t in _templates(item, f"{where}[{i}]")]
    if isinstance(node, dict):
        return [t for k, v in node.items() for t in _templates(v, f"{where}.{k}" if where else str(k))]
    return []


def _check_templates(data: dict[str, Any], path: Path) -> None:
    known = indicator_ids()
    for section in ("texts", "scripts"):
        for where, text in _templates(data.get(section, {}), section):
            unknown_slots = slots_in(text) - KNOWN_SLOTS
            if unknown_slots:
                raise UserError(
                    f"{path}: field {where}: unknown slot {{{sorted(unknown_slots)[0]}}}; "
                    f"use one of: {', '.join(sorted(KNOWN_SLOTS))}."
                )
            for match in CUE_MARK.finditer(text):
                if match.group(1) not in known:
                    raise UserError(
                        f"{path}: field {where}: unknown indicator {match.group(1)}; "
                        "use an id from synthetic_data/indicators.yml."
                    )
    for name, spec in data.get("texts", {}).items():
        for indicator, templates in spec.get("cues", {}).items():
            for i, template in enumerate(templates):
                marks = [m.group(1) for m in CUE_MARK.finditer(template)]
                if indicator not in marks:
                    raise UserError(
                        f"{path}: field texts.{name}.cues.{indicator}[{i}]: the template must plant "
                        f"[[{indicator}|...]]; add the marker around the cue text."
                    )


def _ranges(data: dict[str, Any]) -> list[tuple[str, list[int]]]:
    """Every [min, max] field of a scenario, with its field path."""
    found = [("salary_usd", data["salary_usd"])]
    found += [(f"roles.{role}", bounds) for role, bounds in data["roles"].items()]
    found += [(f"orgs.{group}.count", spec["count"]) for group, spec in data["orgs"].items()]
    found += [(f"storyline[{i}].count", item["count"]) for i, item in enumerate(data["storyline"])]
    return found


def _check_semantics(scenario: Scenario) -> None:
    path, data = scenario.path, scenario.data
    if data["id"] != path.stem:
        raise UserError(f"{path}: field id: {data['id']!r} must equal the file name {path.stem!r}.")
    for where, (low, high) in _ranges(data):
        if low > high:
            raise UserError(f"{path}: field {where}: minimum {low} is above maximum {high}.")
    for i, item in enumerate(data["storyline"]):
        if item["text"] not in scenario.texts:
            raise UserError(
                f"{path}: field storyline[{i}].text: no text bank named {item['text']!r}; "
                f"known: {', '.join(sorted(scenario.texts))}."
            )
        if item["by"] not in ("legit_org", "bystander") and item["by"] not in data["roles"]:
            raise UserError(f"{path}: field storyline[{i}].by: role {item['by']!r} has no count in roles; add it.")
    for i, item in enumerate(data["messages"]):
        if item["script"] not in scenario.scripts:
            raise UserError(
                f"{path}: field messages[{i}].script: no script named {item['script']!r}; "
                f"known: {', '.join(sorted(scenario.scripts))}."
            )
        for role in scenario.scripts[item["script"]]["roles"]:
            if role not in data["roles"]:
                raise UserError(
                    f"{path}: field messages[{i}]: script {item['script']!r} needs role {role!r}, "
                    "which has no count in roles; add it."
                )
    for i, item in enumerate(data["money"]):
        for end in ("from", "to"):
            if item[end] not in data["roles"]:
                raise UserError(f"{path}: field money[{i}].{end}: role {item[end]!r} has no count in roles; add it.")


def load_scenario_file(path: Path, content_dir: Path = CONTENT_DIR) -> Scenario:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise UserError(f"{path}: a scenario must be a YAML mapping; see docs/scenarios.md.")
    validate_against("scenario", data, path)
    texts: dict[str, Any] = {}
    scripts: dict[str, Any] = {}
    for name in data.get("include", []):
        bank = load_content(name, content_dir)
        texts.update(bank.get("texts", {}))
        scripts.update(bank.get("scripts", {}))
    own = {"texts": data.get("texts", {}), "scripts": data.get("scripts", {})}
    validate_against("content", own, path)
    _check_templates(own, path)
    texts.update(own["texts"])
    scripts.update(own["scripts"])
    scenario = Scenario(
        id=data["id"],
        title=data["title"],
        kind=data["kind"],
        brief=data["brief"],
        data=data,
        path=path,
        texts=texts,
        scripts=scripts,
    )
    _check_semantics(scenario)
    return scenario


def list_scenarios(scenarios_dir: Path = SCENARIOS_DIR) -> list[Scenario]:
    return [load_scenario_file(p) for p in sorted(scenarios_dir.glob("*.yml"))]


@cache
def load_scenario(scenario_id: str, scenarios_dir: Path = SCENARIOS_DIR) -> Scenario:
    path = scenarios_dir / f"{scenario_id}.yml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in scenarios_dir.glob("*.yml")))
        raise UserError(f"unknown scenario {scenario_id!r}; choose one of: {known}.")
    return load_scenario_file(path)


@cache
def background() -> dict[str, Any]:
    return load_content("background")
