from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from labs import runtime
from osintlab.errors import UserError

ITEM_LABS = ["w1-01-passive-active", "w1-02-opsec-audit"]
ALL = [s.id for s in runtime.catalogue.discover()]
# Labs whose practice checks speak per item (a `feedback` function), and the others (counts).
PER_ITEM = [i for i in ALL if hasattr(runtime.lab_module(runtime.catalogue.get(i)), "feedback")]
COUNTING = [i for i in ALL if i not in PER_ITEM]


class AlwaysEqualDict(dict):
    def __eq__(self, other: object) -> bool:
        return True


def _part(lab: runtime.Lab) -> str:
    return next(iter(lab.module.PARTS))


class AlwaysEqualList(list):
    def __eq__(self, other: object) -> bool:
        return True


def _cheat(value: object) -> object:
    return AlwaysEqualDict(value) if isinstance(value, dict) else AlwaysEqualList(value) if isinstance(
        value, list) else AlwaysEqualStr(value)


class AlwaysEqualStr(str):
    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


@pytest.mark.parametrize("lab_id", ALL)
def test_reference_full_empty_zero_cheat_zero(lab_at_seed, lab_id: str) -> None:
    lab = lab_at_seed(lab_id)
    for part, top in lab.module.PARTS.items():
        ref = lab.reference_answer(part)
        assert lab.grade(part, ref) == top
        assert lab.grade(part, type(ref)()) == 0.0
        assert lab.grade(part, 42) == 0.0
        assert lab.grade(part, _cheat(ref)) == 0.0


ANSWER_WORDS = re.compile(r"RF-[A-Z-]+|ILO-\d+|\b(passive|active-approval|too-much|not-allowed|identity-link|"
                          r"location|clock-language|account-link|tip-off)\b(?! of)")


def _half(ref: object) -> object:
    if isinstance(ref, dict):
        return dict(list(ref.items())[: len(ref) // 2])
    return ref[: len(ref) // 2] if isinstance(ref, list) else ""


@pytest.mark.parametrize("lab_id", COUNTING)
def test_hints_never_name_a_missing_item(lab_at_seed, lab_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    lab = lab_at_seed(lab_id)
    for part in lab.module.PARTS:
        ref = lab.reference_answer(part)
        half = dict(list(ref.items())[: len(ref) // 2]) if isinstance(ref, dict) else ref[: len(ref) // 2]
        lab.check(part, half if not isinstance(ref, str) else "")
        lab.check(part, ref)
    out = capsys.readouterr().out
    missing = [line for line in out.splitlines() if line.startswith("Still missing")]
    assert missing and "All correct" in out
    for line in missing:
        assert not re.search(r"\b([ASJ]\d+|pg-[0-9a-f]+)\b", line), line


@pytest.mark.parametrize("lab_id", PER_ITEM)
def test_checks_speak_per_item_never_a_count_nor_the_answer(lab_at_seed, lab_id: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Practice checks say what kind of thing is wrong where ("J5: one tag too many"), never a mere
    count of right answers, never the right label, never an item still missing by name."""
    lab = lab_at_seed(lab_id)
    for part in lab.module.PARTS:
        ref = lab.reference_answer(part)
        lab.check(part, ref)
        assert "Well done" in capsys.readouterr().out, part
        lab.check(part, _half(ref))
        out = capsys.readouterr().out
        lines = out.splitlines()[1:]
        assert lines and not re.search(r"\d+ of your \d+", out), out
        for line in lines:
            assert not ANSWER_WORDS.search(line), line
            if "missing" in line and isinstance(ref, list):  # ranked or listed answers: no id of a missing one
                assert not any(item in line for item in ref if item not in _half(ref)), line


@pytest.mark.parametrize("lab_id", ITEM_LABS)
def test_grade_is_a_plain_float_nbgrader_can_read(lab_at_seed, lab_id: str) -> None:
    lab = lab_at_seed(lab_id)
    value = lab.grade(_part(lab), {})
    assert type(value) is float and float(repr(value)) == value


@pytest.mark.parametrize("lab_id", ITEM_LABS)
def test_variants_differ_and_are_stable(prepared, lab_at_seed, lab_id: str) -> None:
    a, b, a2 = lab_at_seed(lab_id, 3), lab_at_seed(lab_id, 4), prepared(lab_id, 3, "again")
    assert a.exercise == a2.exercise
    assert a.exercise != b.exercise
    # A neighbour's correct answer is not a full answer for another variant.
    part = _part(a)
    assert b.grade(part, a.reference_answer(part)) < a.module.PARTS[part]


@pytest.mark.parametrize("lab_id", ITEM_LABS)
def test_hints_of_item_labs(lab_at_seed, lab_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    lab = lab_at_seed(lab_id)
    part = _part(lab)
    ref = lab.reference_answer(part)
    first = next(iter(ref))
    wrong = dict(ref)
    wrong[first] = next(v for v in lab.exercise.get("decisions", lab.exercise.get("kinds")) if v != ref[first])
    lab.check(part, wrong)
    out = capsys.readouterr().out
    assert first in out and "Well done" not in out  # the item that is wrong is named, not its answer
    lab.check(part, ref)
    assert "Well done" in capsys.readouterr().out


def test_hints_file_holds_no_plain_answers(lab_at_seed) -> None:
    lab = lab_at_seed("w1-02-opsec-audit")
    text = (lab.case_dir / "hints.json").read_text(encoding="utf-8")
    for fact, cat in lab.reference_answer("leaks").items():
        assert f"{fact}|{cat}" not in text
    assert not (lab.case_dir / "key").exists() and "leaks" not in json.loads((lab.case_dir / "lab.json").read_text())


def test_check_reports_shape_problems(lab_at_seed, capsys: pytest.CaptureFixture[str]) -> None:
    lab = lab_at_seed("w1-01-passive-active")
    lab.check("actions", {"A1": "sideways", "Z9": "passive"})
    out = capsys.readouterr().out
    assert "'Z9' is not an item" in out and "A1: 'sideways' is not one of not-allowed" in out
    lab.check("actions", AlwaysEqualDict())
    assert "use only text, numbers, lists and dicts" in capsys.readouterr().out


def test_unknown_part_and_missing_key(lab_at_seed) -> None:
    lab = lab_at_seed("w1-01-passive-active")
    with pytest.raises(UserError, match="unknown part 'leaks'"):
        lab.grade("leaks", {})
    blind = runtime.Lab(lab.spec, lab.case_dir, None)
    with pytest.raises(UserError, match="only available when your trainer grades"):
        blind.grade("actions", {})


def test_locate_env_then_pointer_then_practice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = runtime.catalogue.get("w1-01-passive-active")
    case, key = runtime.locate(spec, start=tmp_path)
    assert case.parent.name.startswith("w1-01-passive-active-seed1-") and key == case.parent / "key"

    out = runtime.prepare(spec.id, 11, tmp_path / "release" / "lab")
    pointer = runtime.write_pointer(tmp_path / "release", spec.id, out / "case")
    assert json.loads(pointer.read_text()) == {"lab": spec.id, "case_dir": "lab/case", "key_dir": None}
    assert runtime.locate(spec, start=tmp_path / "release") == ((out / "case").resolve(), None)

    monkeypatch.setenv(runtime.ENV_CASE, str(out / "case"))
    monkeypatch.setenv(runtime.ENV_KEY, str(out / "key"))
    assert runtime.locate(spec, start=tmp_path / "release") == (out / "case", out / "key")


def test_open_lab_practice_mode_works_offline() -> None:
    lab = runtime.open_lab("w1-02-opsec-audit")
    assert lab.grade("leaks", lab.reference_answer("leaks")) == 8.0
    assert "WHO IS WHO" in lab.module.render(lab.exercise)


def test_rescore_outside_the_kernel(lab_at_seed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lab = lab_at_seed("w1-01-passive-active")
    log = tmp_path / "answers.jsonl"
    monkeypatch.setenv(runtime.ENV_ANSWERS, str(log))
    lab.grade("actions", {})
    lab.grade("actions", lab.reference_answer("actions"))
    monkeypatch.delenv(runtime.ENV_ANSWERS)
    scores = runtime.rescore(lab.spec.id, lab.case_dir, lab.key_dir, log)
    assert scores == {"actions": 6.0}
    log.write_text('{"part": "actions", "answer": {}}\nnot json\n', encoding="utf-8")
    assert runtime.rescore(lab.spec.id, lab.case_dir, lab.key_dir, log) == {"actions": 0.0}


def test_open_lab_skips_schema_but_needs_core_fields(tmp_path: Path) -> None:
    folder = tmp_path / "w1-96-thin"
    folder.mkdir()
    (folder / "lab.yml").write_text("id: w1-96-thin\n", encoding="utf-8")
    with pytest.raises(UserError, match="lacks id, module or case"):
        runtime.catalogue.load_spec(folder, check=False)


def test_cohort_pointer_opens_the_login_names_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = runtime.catalogue.get("w1-01-passive-active")
    cases = tmp_path / "exchange" / "cases" / spec.id
    mine = runtime.prepare(spec.id, 21, cases / "mn-002")
    runtime.prepare(spec.id, 22, cases / "mn-003")
    folder = tmp_path / "home" / spec.id
    folder.mkdir(parents=True)
    (folder / runtime.POINTER_FILE).write_text(json.dumps({"lab": spec.id, "cohort_cases": str(cases)}))
    monkeypatch.delenv(runtime.ENV_CASE, raising=False)
    monkeypatch.setenv("LOGNAME", "mn-002")
    assert runtime.locate(spec, start=folder) == (mine / "case", None)
    monkeypatch.setenv("LOGNAME", "jovyan")  # a container hub: nbgrader uses JUPYTERHUB_USER then
    monkeypatch.setenv("JUPYTERHUB_USER", "mn-003")
    assert runtime.locate(spec, start=folder)[0] == cases / "mn-003" / "case"
    monkeypatch.setenv("LOGNAME", "mn-999")
    with pytest.raises(UserError, match="no case for trainee 'mn-999'"):
        runtime.locate(spec, start=folder)


def test_in_the_sandbox_grade_only_records(lab_at_seed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keyed = lab_at_seed("w1-01-passive-active")
    blind = runtime.Lab(keyed.spec, keyed.case_dir, None)
    log = tmp_path / "answers.jsonl"
    monkeypatch.setenv(runtime.ENV_ANSWERS, str(log))
    assert blind.grade("actions", keyed.reference_answer("actions")) == 0.0
    recorded = json.loads(log.read_text())
    assert recorded == {"part": "actions", "answer": keyed.reference_answer("actions")}
    assert keyed.score("actions", recorded["answer"]) == 6.0


def test_graded_release_check_gives_no_answer_oracle(lab_at_seed, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    keyed = lab_at_seed("w1-01-passive-active")
    case = tmp_path / "case"
    shutil.copytree(keyed.case_dir, case, ignore=shutil.ignore_patterns("hints.json"))
    runtime.Lab(keyed.spec, case, None).check("actions", keyed.reference_answer("actions"))
    out = capsys.readouterr().out
    assert "right form" in out and "of your" not in out
