"""Workshop 2 labs: the key's answer earns full marks, half-right answers earn part, a blank lab
nothing; OPSEC costs points for loud actions; answer forms describe the answer `score` reads."""

from __future__ import annotations

from typing import Any

import pytest

from labs import catalogue, runtime
from labs.w2 import common

W2_LABS = [s.id for s in catalogue.discover() if int(s.data["workshop"]) == 2]
FORM_KINDS = {"choice", "multi", "ranking", "pages", "text", "record", "records", "table", "auto"}


def test_workshop_2_has_its_labs() -> None:
    assert len(W2_LABS) >= 1
    for lab_id in W2_LABS:
        spec = catalogue.get(lab_id)
        assert spec.case["world"] and common.OPSEC in runtime.lab_module(spec).PARTS


@pytest.mark.parametrize("lab_id", W2_LABS)
def test_reference_full_blank_zero(lab_at_seed: Any, lab_id: str) -> None:
    lab = lab_at_seed(lab_id)
    for part, points in lab.module.PARTS.items():
        assert lab.grade(part, lab.reference_answer(part)) == points, part
        assert lab.grade(part, None) == 0.0
        assert lab.grade(part, []) == 0.0
        assert lab.grade(part, {}) == 0.0


@pytest.mark.parametrize("lab_id", W2_LABS)
def test_opsec_loses_a_quarter_per_loud_action(lab_at_seed: Any, lab_id: str) -> None:
    lab = lab_at_seed(lab_id)
    answers = lab.reference_answer(common.OPSEC)["answers"]
    top = lab.module.PARTS[common.OPSEC]
    loud = [{"action": "follow", "loud": True}, {"action": "message", "loud": True}]
    assert lab.grade(common.OPSEC, common.opsec_answer(answers, loud[:1])) == pytest.approx(0.75 * top, abs=0.01)
    assert lab.grade(common.OPSEC, common.opsec_answer(answers, loud)) == pytest.approx(0.5 * top, abs=0.01)
    passive = [{"action": "sweep", "loud": False}]
    assert lab.grade(common.OPSEC, common.opsec_answer(answers, passive)) == top
    assert lab.grade(common.OPSEC, common.opsec_answer({})) == 0.0


@pytest.mark.parametrize("lab_id", W2_LABS)
def test_answer_forms_and_shapes(lab_at_seed: Any, lab_id: str) -> None:
    lab = lab_at_seed(lab_id)
    for part in lab.module.PARTS:
        form = lab.module.answer_form(part, lab.exercise)
        assert form["kind"] in FORM_KINDS
        assert lab.module.answer_problems(part, lab.reference_answer(part), lab.exercise) == []
        assert lab.module.answer_problems(part, "nonsense", lab.exercise)
    assert "TASK" in lab.module.render(lab.exercise)


def test_username_sweep_costs_for_namesakes_and_wrong_traces(lab_at_seed: Any) -> None:
    lab = lab_at_seed("w2-01-username-sweep")
    key = lab._key()
    right = lab.reference_answer("accounts")
    decoys = [{"url": url, "traces": ["phone", "photo"]} for url in key["decoys"]]
    assert lab.grade("accounts", right + decoys[:1]) < lab.module.PARTS["accounts"]
    assert lab.grade("accounts", right[:1] + decoys) == 0.0
    one_trace = [{"url": r["url"], "traces": r["traces"][:1]} for r in right]
    assert lab.grade("traces", one_trace) == pytest.approx(0.5 * lab.module.PARTS["traces"])
    wrong = [{"url": r["url"], "traces": ["phone", "email", "photo", "bio", "link"]} for r in right]
    assert lab.grade("traces", wrong) < lab.module.PARTS["traces"]
    by_id = [{"url": lab.case.page_by_url[r["url"]].page_id if r["url"] in lab.case.page_by_url else r["url"],
              "traces": r["traces"]} for r in right]
    assert lab.grade("accounts", by_id) == lab.module.PARTS["accounts"]  # a profile page id is accepted too
