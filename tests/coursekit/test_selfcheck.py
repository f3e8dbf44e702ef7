from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.selfcheck import exercise, exercise_ids, load_file
from osintlab.errors import UserError
from sandbox import open_case


def right_answer(ex_id: str, case: Path) -> object:
    ex = exercise(ex_id)
    if ex.kind == "sort":
        return {i.id: i.answer for i in ex.items}
    if ex.kind == "pick":
        return [i.id for i in ex.items if i.correct]
    if ex.kind == "query":
        from coursekit.querycheck import target_query
        from sandbox.search import SearchEngine

        return target_query(SearchEngine(case), ex.target)
    return next(i.id for i in ex.items if i.correct)


@pytest.mark.parametrize("ex_id", exercise_ids())
def test_every_exercise_loads_and_its_right_answer_scores_full(ex_id: str, tiny_case: Path) -> None:
    fb = exercise(ex_id).check(right_answer(ex_id, tiny_case), open_case(tiny_case))
    assert fb.all_correct, str(fb)
    assert "Well done" in fb.summary()


@pytest.mark.parametrize("ex_id", exercise_ids())
def test_every_exercise_blank_answer_is_not_correct(ex_id: str, tiny_case: Path) -> None:
    ex = exercise(ex_id)
    blank = {"sort": {}, "pick": [], "choice": "", "query": "visa"}[ex.kind]
    fb = ex.check(blank, open_case(tiny_case))
    assert not fb.all_correct
    assert fb.score[0] == 0 or ex.kind == "query"


def test_a_query_exercise_without_the_case_says_what_to_give() -> None:
    fb = exercise("w1-query-jobs-phrase").check('site:x.example "customer service"')
    assert not fb.all_correct and "check(your_query, sb)" in fb.problems[0]


@pytest.mark.parametrize("ex_id", exercise_ids())
def test_an_exercise_shows_its_task_but_never_its_answers(ex_id: str) -> None:
    ex = exercise(ex_id)
    shown = repr(ex) + ex._repr_html_()
    assert ex.title.split(":")[0] in repr(ex)
    for item in ex.items:
        assert item.id in shown and item.why not in shown
    assert not ex.target or ex.target not in shown
    assert "correct=" not in shown and "answer=" not in shown


def test_exercise_set_covers_the_four_lessons() -> None:
    assert len(exercise_ids()) >= 8


def test_sort_feedback_explains_wrong_typo_and_unknown_ids() -> None:
    ex = exercise("w1-passive-active")
    fb = ex.check({"P1": "Passive ", "p2": "passive", "P3": "pasive", "Z9": "active"})
    by_item = {line.item: line for line in fb.lines}
    assert by_item["P1"].ok  # case and spaces do not matter
    assert not by_item["P2"].ok and "it is active, not passive" in by_item["P2"].message
    assert not by_item["P3"].ok
    assert any("'pasive' is not a category" in p for p in fb.problems)
    assert any("'Z9' is not an item" in p for p in fb.problems)
    assert "not answered yet" in by_item["P4"].message
    assert fb.score == (1, 7)


def test_sort_rejects_a_list_with_a_hint() -> None:
    fb = exercise("w1-passive-active").check(["P1"])
    assert any("as a dict" in p for p in fb.problems)


def test_pick_feedback_found_missed_and_wrong() -> None:
    fb = exercise("w1-leaks").check(["L1", "L2"])
    by_item = {line.item: line for line in fb.lines}
    assert by_item["L1"].ok and "you found it" in by_item["L1"].message
    assert not by_item["L2"].ok and "not this one" in by_item["L2"].message
    assert not by_item["L3"].ok and "you missed" in by_item["L3"].message
    assert by_item["L5"].ok and "right to leave it out" in by_item["L5"].message


def test_pick_string_instead_of_list_is_a_problem_not_a_crash() -> None:
    fb = exercise("w1-leaks").check("L1")
    assert fb.problems and not fb.all_correct


def test_choice_wrong_and_unknown_option() -> None:
    ex = exercise("w1-authorisation")
    assert not ex.check("A").all_correct
    fb = ex.check("Z")
    assert fb.problems == ["'Z' is not an option: write one of A, B, C."]
    assert ex.check(" b ").all_correct
    assert ex.check(" ").problems == ["not answered yet: write one of A, B, C."]


def test_feedback_renders_as_text_and_html() -> None:
    fb = exercise("w1-leaks").check(["L1", "<b>"])
    assert str(fb).splitlines()[0] == fb.summary() == repr(fb).splitlines()[0]
    html = fb._repr_html_()
    assert "&#x27;&lt;b&gt;&#x27; is not an item" in html  # escaped, never raw HTML
    assert "&#10004;" in html and "&#10008;" in html


def test_show_lists_task_items_and_categories() -> None:
    text = exercise("w1-phases").show()
    assert "H1:" in text and "Categories: inquiry, assessment" in text


def test_unknown_exercise_is_a_user_error() -> None:
    with pytest.raises(UserError, match="there is no exercise 'nope'"):
        exercise("nope")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("id: x\nkind: sort\ntitle: t\ntask: t\nitems: []\n", "field items"),
        ("id: x\nkind: quiz\ntitle: t\ntask: t\nitems: []\n", "field kind"),
        (
            "id: x\nkind: sort\ntitle: t\ntask: t\ncategories: [a, b]\nitems:\n"
            "  - {id: A, text: t, why: w, answer: c}\n  - {id: B, text: t, why: w, answer: a}\n",
            "item A: answer must be one of the categories",
        ),
        (
            "id: x\nkind: choice\ntitle: t\ntask: t\nitems:\n"
            "  - {id: A, text: t, why: w, correct: true}\n  - {id: B, text: t, why: w, correct: true}\n",
            "exactly one option",
        ),
        (
            "id: x\nkind: pick\ntitle: t\ntask: t\nitems:\n"
            "  - {id: A, text: t, why: w, correct: true}\n  - {id: A, text: t, why: w, correct: false}\n",
            "item ids repeat",
        ),
        ("id: x\nkind: [unclosed\n", "cannot be read as YAML"),
        ("id: x\nkind: query\ntitle: t\ntask: t\n", "target"),
    ],
)
def test_bad_exercise_files_name_the_file_and_field(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(UserError, match=message) as info:
        load_file(path)
    assert str(path) in str(info.value)
