"""Workshop 3: the curriculum map and the labs agree (sessions, minutes, skills, Berkeley phases),
and every W3 lesson points at a handbook chapter that exists."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from labs import catalogue

ROOT = Path(__file__).resolve().parents[2]
MAP = yaml.safe_load((ROOT / "curriculum" / "map.yml").read_text(encoding="utf-8"))
W3 = next(w for w in MAP["workshops"] if w["id"] == "W3")
SESSIONS = {s["lab"]: s for s in W3["sessions"] if s["kind"] == "lab"}
LABS = [s for s in catalogue.discover() if int(s.data["workshop"]) == 3]


def test_seven_labs_including_the_capstone_are_published() -> None:
    assert len(LABS) == 7
    assert {s.id for s in LABS} == set(SESSIONS)
    assert "w3-07-case-report" in SESSIONS
    assert all(s["status"] == "published" for s in SESSIONS.values())


@pytest.mark.parametrize("spec", LABS, ids=lambda s: s.id)
def test_lab_and_its_session_agree(spec: catalogue.LabSpec) -> None:
    session = SESSIONS[spec.id]
    assert session["minutes"] == spec.data["minutes"]
    assert set(spec.data["skills"]) <= set(session["skills"]), session["id"]
    assert spec.data["berkeley_phase"] in session["berkeley_phases"], session["id"]
    assert session["title"] == spec.data["title"], session["id"]


def test_every_w3_session_fits_its_day_and_has_its_chapter() -> None:
    for day in range(1, W3["days"] + 1):
        minutes = sum(s["minutes"] for s in W3["sessions"] if s["day"] == day)
        assert 180 <= minutes <= 360, f"day {day}: {minutes} min"
    for session in W3["sessions"]:
        assert (ROOT / "handbook" / f"{session['handbook']}.md").is_file(), session["id"]
