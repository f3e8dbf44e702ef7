"""Scenario and content YAML: every shipped file validates; broken ones fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from osintlab.errors import UserError
from synthetic_data.scenario import (
    CONTENT_DIR,
    SCENARIOS_DIR,
    list_scenarios,
    load_content,
    load_scenario,
    load_scenario_file,
)

REQUIRED_SCENARIOS = {
    "scam-compound-recruitment",
    "dating-app-lure",
    "migrant-smuggling-social-media",
    "labour-debt-bondage",
}


def test_every_scenario_validates() -> None:
    ids = {s.id for s in list_scenarios()}
    assert ids >= REQUIRED_SCENARIOS


@pytest.mark.parametrize("path", sorted(CONTENT_DIR.glob("*.yml")), ids=lambda p: p.stem)
def test_every_content_bank_validates(path: Path) -> None:
    if path.stem == "platforms":
        return  # not a text bank; loaded by the generator directly
    load_content(path.stem)


def test_every_scenario_plants_decoys() -> None:
    for scenario in list_scenarios():
        labels = {item["label"] for item in scenario.data["storyline"]}
        assert {"legitimate", "near_miss"} <= labels, scenario.id
        assert "namesake" in scenario.data["roles"], scenario.id


def _write(tmp_path: Path, data: dict, name: str | None = None) -> Path:
    path = tmp_path / f"{name or data['id']}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def good() -> dict:
    return yaml.safe_load((SCENARIOS_DIR / "scam-compound-recruitment.yml").read_text(encoding="utf-8"))


def test_missing_field_names_file_and_field(tmp_path: Path, good: dict) -> None:
    del good["brief"]
    path = _write(tmp_path, good)
    with pytest.raises(UserError, match=r"scam-compound-recruitment\.yml: field \(top level\): 'brief' is a required"):
        load_scenario_file(path)


def test_wrong_type_names_the_nested_field(tmp_path: Path, good: dict) -> None:
    good["storyline"][2]["count"] = "many"
    with pytest.raises(UserError, match=r"field storyline\.2\.count"):
        load_scenario_file(_write(tmp_path, good))


def test_unknown_indicator_in_own_text(tmp_path: Path, good: dict) -> None:
    good["texts"] = {"x": {"title": ["t"], "opener": ["[[RF-MADE-UP|oops]]"]}}
    with pytest.raises(UserError, match=r"unknown indicator RF-MADE-UP"):
        load_scenario_file(_write(tmp_path, good))


def test_unknown_slot(tmp_path: Path, good: dict) -> None:
    good["texts"] = {"x": {"title": ["{no_such_slot}"], "opener": ["o"]}}
    with pytest.raises(UserError, match=r"field texts\.x\.title\[0\]: unknown slot \{no_such_slot\}"):
        load_scenario_file(_write(tmp_path, good))


def test_cue_bank_template_must_plant_its_indicator(tmp_path: Path, good: dict) -> None:
    good["texts"] = {"x": {"title": ["t"], "opener": ["o"], "cues": {"RF-HIGH-PAY": ["no marker here"]}}}
    with pytest.raises(UserError, match=r"texts\.x\.cues\.RF-HIGH-PAY\[0\]: the template must plant"):
        load_scenario_file(_write(tmp_path, good))


def test_storyline_names_a_missing_text_bank(tmp_path: Path, good: dict) -> None:
    good["storyline"][0]["text"] = "nope"
    with pytest.raises(UserError, match=r"storyline\[0\]\.text: no text bank named 'nope'"):
        load_scenario_file(_write(tmp_path, good))


def test_id_must_match_file_name(tmp_path: Path, good: dict) -> None:
    with pytest.raises(UserError, match=r"field id: 'scam-compound-recruitment' must equal the file name 'other'"):
        load_scenario_file(_write(tmp_path, good, name="other"))


def test_invalid_yaml_syntax_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("id: bad\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"bad\.yml line \d+: invalid YAML"):
        load_scenario_file(path)


def test_unknown_scenario_lists_the_valid_ones() -> None:
    with pytest.raises(UserError, match=r"unknown scenario 'nope'; choose one of: .*scam-compound-recruitment"):
        load_scenario("nope")


def test_role_range_must_be_ordered(tmp_path: Path, good: dict) -> None:
    good["roles"]["victim"] = [9, 2]
    with pytest.raises(UserError, match=r"roles\.victim: minimum 9 is above maximum 2"):
        load_scenario_file(_write(tmp_path, good))


def test_storyline_and_org_ranges_must_be_ordered(tmp_path: Path, good: dict) -> None:
    good["storyline"][1]["count"] = [5, 1]
    with pytest.raises(UserError, match=r"storyline\[1\]\.count: minimum 5 is above maximum 1"):
        load_scenario_file(_write(tmp_path, good))
    good["storyline"][1]["count"] = [1, 5]
    good["orgs"]["front"]["count"] = [3, 2]
    with pytest.raises(UserError, match=r"orgs\.front\.count: minimum 3 is above maximum 2"):
        load_scenario_file(_write(tmp_path, good))
