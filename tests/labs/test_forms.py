"""Answer forms: every lab part has one; the form produces exactly the plain value the lab scores;
clicks, lists and records build the answers; each change is written into the answer cell."""

from __future__ import annotations

import re
from typing import Any

import pytest

from labs import answercells, forms, runtime, scoring
from labs.forms import build_form

# The Workshop 1 labs, whose forms and answer cells this suite holds to the contract (labs/README.md,
# "Answer forms"); later workshops' labs adopt it in their own folders.
ALL = [s.id for s in runtime.catalogue.discover() if s.data["workshop"] == 1]
LINK = re.compile(r"<a\s|href=|src=\"(?!data:)", re.IGNORECASE)


def _parts() -> list[tuple[str, str]]:
    return [(lab_id, part) for lab_id in ALL for part in runtime.lab_module(runtime.catalogue.get(lab_id)).PARTS]


class FrontEnd(answercells.CellBridge):
    """The osintlab-answers extension's protocol over an in-memory notebook (grade_id -> source),
    answering at once (a real front-end answers when the kernel is next idle)."""

    def __init__(self, cells: dict[str, str]) -> None:
        super().__init__()
        self.cells = cells

    def request(self, op: str, grade_id: str, callback: Any = None, source: str | None = None) -> None:
        if grade_id not in self.cells:
            reply = {"op": "missing"}
        elif op == "write":
            self.cells[grade_id] = str(source)
            reply = {"op": "written"}
        else:
            reply = {"op": "source", "source": self.cells[grade_id]}
        if callback is not None:
            callback({**reply, "grade_id": grade_id})


@pytest.mark.parametrize(("lab_id", "part"), _parts())
def test_every_part_has_a_form_that_gives_back_the_right_answer(lab_at_seed, lab_id: str, part: str) -> None:
    lab = lab_at_seed(lab_id)
    spec = lab.module.answer_form(part, lab.exercise)
    assert spec["kind"] in forms.KINDS
    form = build_form(spec, lab.sandbox if spec["kind"] in ("pages", "text") else None)
    reference = scoring.plain(lab.reference_answer(part))
    form.set_value(reference)
    if spec["kind"] == "multi":  # ticks come out in the order of the options
        reference = {item: sorted(tags, key=[o["value"] for o in spec["options"]].index)
                     for item, tags in reference.items()}
    assert form.value == reference  # exactly what score reads, so the form can earn full marks
    assert lab.score(part, form.value) == lab.module.PARTS[part]
    shown = " ".join(c.value for c in _walk(form) if hasattr(c, "value") and isinstance(c.value, str))
    assert not LINK.search(shown)


def _walk(widget: Any) -> list[Any]:
    out = [widget]
    for child in getattr(widget, "children", ()):
        out += _walk(child)
    return out


def test_forms_speak_only_of_the_exercise(lab_at_seed) -> None:
    """Labels and item texts come from the exercise, never from the key."""
    for lab_id in ALL:
        lab = lab_at_seed(lab_id)
        key = (lab.key_dir / "lab.json").read_text(encoding="utf-8")
        for part in lab.module.PARTS:
            spec = repr(lab.module.answer_form(part, lab.exercise))
            for page_id in re.findall(r"pg-[0-9a-f]{6,}", key):
                if page_id not in repr(lab.exercise):
                    assert page_id not in spec, (lab_id, part)


def test_choice_form_clicks_and_safe_means_left_out() -> None:
    spec = {"kind": "choice", "items": [{"id": "S1", "text": "a"}, {"id": "S2", "text": "b"}],
            "options": [{"value": "location", "label": "location"}, {"value": None, "label": "safe"}]}
    form = build_form(spec)
    seen: list[Any] = []
    form.on_change(seen.append)
    form.buttons["S1"].index = 0
    form.buttons["S2"].index = 1
    assert form.value == {"S1": "location"} and seen[-1] == {"S1": "location"}
    form.set_value({"S2": "location", "S9": "location", "S1": "nonsense"})
    assert form.value == {"S2": "location"} and form.buttons["S1"].index is None  # not a choice: none shown
    assert len(seen) == 2  # filling the form is not a change the trainee made


def test_multi_form_ticks_every_item() -> None:
    spec = {"kind": "multi", "items": [{"id": "J1", "title": "t", "text": "x"}, {"id": "J2", "text": "y"}],
            "options": [{"value": "RF-A", "label": "A"}, {"value": "RF-B", "label": "B"}]}
    form = build_form(spec)
    assert form.value == {"J1": [], "J2": []}
    form.boxes["J2"][1].value = True
    assert form.value == {"J1": [], "J2": ["RF-B"]}


def test_ranking_form_adds_moves_and_removes() -> None:
    spec = {"kind": "ranking", "items": [{"id": f"J{i}", "title": f"ad {i}"} for i in range(1, 5)]}
    form = build_form(spec)
    for item in ("J3", "J1", "J4"):
        form.choice.value = item
        form.add_button.click()
    assert form.value == ["J3", "J1", "J4"] and "J3" not in [v for _l, v in form.choice.options]
    form.move(2, -1)
    form.remove("J3")
    assert form.value == ["J4", "J1"]
    form.rows.children[0].children[1].click()  # the first row's "move down"
    assert form.value == ["J1", "J4"]
    form.set_value(["J2", "J2", "J9"])
    assert form.value == ["J2"]


def test_pages_form_from_search_results_and_typed_addresses(lab_at_seed) -> None:
    lab = lab_at_seed("w1-03-search-operators")
    form = build_form(lab.module.answer_form("pages", lab.exercise), lab.sandbox)
    form.search.query.value = f"site:{lab.exercise['board']}"
    first = form.search.rows.children[0]
    first.pick.click()
    first.pick.click()  # twice: still once in the list
    page = lab.case.page_by_id[first.hit.page_id]
    assert form.value == [page.page_id] and page.title in form.rows.children[0].children[-1].value
    other = next(p for p in lab.case.pages if p.status == "live" and p.page_id != page.page_id)
    form.entry.value = other.url.replace("https://", "") + "/"
    form.add_button.click()
    assert form.value == [page.page_id, other.page_id]
    form.entry.value = "pg-nothing"
    form.add_button.click()
    assert "color:#a00" in form.status.value and form.value == [page.page_id, other.page_id]


def test_text_form_is_a_search_box_when_asked(lab_at_seed) -> None:
    lab = lab_at_seed("w1-03-search-operators")
    form = build_form(lab.module.answer_form("query", lab.exercise), lab.sandbox)
    seen: list[Any] = []
    form.on_change(seen.append)
    form.box.value = "visa -licence"
    assert form.value == "visa -licence" and seen == ["visa -licence"] and form.search.results.total > 0


def test_record_records_and_table_forms() -> None:
    fields = [{"name": "platform", "label": "Platform", "kind": "choice", "options": ["jobsteppe", "nomadbook"]},
              {"name": "from", "kind": "date"}, {"name": "utc", "kind": "datetime"}, {"name": "n", "kind": "number"},
              {"name": "note", "kind": "text"}]
    record = build_form({"kind": "record", "fields": fields})
    value = {"platform": "nomadbook", "from": "2025-03-01", "utc": "2025-03-01T14:05", "n": 3, "note": "ok"}
    record.set_value(value)
    assert record.value == value
    record.widgets["n"].value = "2.5"
    record.widgets["note"].value = "  "
    assert record.value["n"] == 2.5 and "note" not in record.value
    records = build_form({"kind": "records", "fields": fields, "items": [{"id": "E1", "text": "x"},
                                                                         {"id": "E2", "text": "y"}]})
    records.set_value({"E2": {"platform": "jobsteppe"}})
    assert records.value == {"E2": {"platform": "jobsteppe"}}
    table = build_form({"kind": "table", "fields": fields[:2]})
    table.add_button.click()
    table.records[0].set_value({"platform": "jobsteppe", "from": "2025-01-31"})
    table.set_value([*table.value, {"from": "2024-12-01"}])
    assert table.value == [{"platform": "jobsteppe", "from": "2025-01-31"}, {"from": "2024-12-01"}]
    table.remove_row(table.records[0])
    assert table.value == [{"from": "2024-12-01"}]


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="not one of"):
        build_form({"kind": "slider"})


# ---------------------------------------------------------------- the answer cell


@pytest.mark.parametrize("value", [{"A1": {"mode": "passive", "authorisation": "not needed"}}, ["pg-1", "pg-2"],
                                   "a \"b\" 'c'", {f"J{i}": [] for i in range(30)}, [], {}, None, 3, 2.5, True,
                                   "Улаанбаатар"])
def test_written_python_reads_back_as_the_same_value(value: Any) -> None:
    source = answercells.python_source("answer", value)
    assert source.startswith(answercells.HEADER)
    assert answercells.read_answer(source, "answer") == value
    namespace: dict[str, Any] = {}
    exec(compile(source, "cell", "exec"), namespace)  # our own generated literal
    assert namespace["answer"] == value
    assert all(len(line) <= 100 for line in source.splitlines()[1:] if "Улаан" not in line)


def test_reading_an_answer_cell() -> None:
    stub = 'answer = {}\n# Answer with the form above, or type your answer here.\nraise NotImplementedError()\n'
    assert answercells.read_answer(stub, "answer") == {}
    assert answercells.read_answer("# YOUR CODE HERE\nraise NotImplementedError()", "answer") is None
    assert answercells.read_answer('answer = {}\nanswer = {"A1": "x"}', "answer") == {"A1": "x"}
    with pytest.raises(answercells.Unreadable):
        answercells.read_answer('answer = lab.reference_answer("x")', "answer")
    with pytest.raises(answercells.Unreadable):
        answercells.read_answer('answer = {"A1": ', "answer")


def test_answer_panel_starts_from_the_cell_writes_each_change_and_checks(lab_at_seed) -> None:
    lab = lab_at_seed("w1-02-opsec-audit")
    spec = lab.module.answer_form("leaks", lab.exercise)
    first, second, third = (item["id"] for item in spec["items"][:3])
    kind, other = (o["value"] for o in spec["options"][:2])
    front = FrontEnd({"answer-leaks": f'answer = {{"{first}": "{kind}"}}\n'})
    panel = forms.AnswerPanel(build_form(spec), name="answer", grade_id="answer-leaks",
                              check=lambda v: lab.check_text("leaks", v), cells=front)
    panel.start({second: other})  # the kernel's value first, then the cell's (which wins)
    assert panel.form.value == {first: kind}
    panel.form.buttons[third].index = 0
    written = front.cells["answer-leaks"]
    assert answercells.read_answer(written, "answer") == {first: kind, third: kind}
    assert "answer cell below" in panel.status.value
    assert panel.check().startswith("Check:") and "Check:" in panel.feedback.value
    missing = forms.AnswerPanel(build_form(spec), name="answer", grade_id="answer-nope", check=str, cells=front)
    missing.start()
    assert "no answer cell answer-nope" in missing.status.value
    front.cells["answer-leaks"] = "answer = make_it()"
    unreadable = forms.AnswerPanel(build_form(spec), name="answer", grade_id="answer-leaks", check=str, cells=front)
    unreadable.start()
    assert "cannot read" in unreadable.status.value


def test_answer_panel_without_the_extension_says_to_copy(lab_at_seed) -> None:
    lab = lab_at_seed("w1-02-opsec-audit")
    cells = answercells.CellBridge()
    panel = forms.AnswerPanel(build_form(lab.module.answer_form("leaks", lab.exercise)), name="answer",
                              grade_id="answer-leaks", check=str, cells=cells)
    cells._closed({})  # the front-end closed the comm: no osintlab-answers plugin
    assert "copy the Python below" in panel.status.value
    panel.form.buttons[next(iter(panel.form.buttons))].index = 0
    assert "copy the Python below" in panel.status.value and "answer = {" in panel.code.value


@pytest.mark.parametrize("lab_id", ALL)
def test_lab_sources_draw_a_form_above_each_answer_cell(lab_id: str) -> None:
    spec = runtime.catalogue.get(lab_id)
    text = spec.source.read_text(encoding="utf-8")
    for part in runtime.lab_module(spec).PARTS:
        form_at = text.find(f'lab.answer("{part}")')
        cell_at = text.find(f"grade_id: answer-{part}")
        assert 0 < form_at < cell_at, (lab_id, part)
        name = runtime.answer_variable(spec, part)
        solution = text[cell_at:text.find("### END SOLUTION", cell_at)]
        assert f"\n{name} = " in solution, (lab_id, part)  # an empty answer before the solution region


# Parts whose options are answer codes (the values `score` reads): (lab, part, exercise fields the form reads).
CODED = [
    ("w1-02-opsec-audit", "leaks", {"kinds": {"location": "...", "tip-off": "..."}, "artefacts": {}}),
    ("w2-03-image-investigation", "exif", {"photos": {"P1": {"image_id": "img-1", "where": "x"}}}),
    ("w2-05-archive-changes", "changes", {"pages": {"C1": {"url": "https://a.example"}}, "kinds": ["salary", "none"]}),
    ("w3-01-network-roles", "roles", {"persons": {"P1": {"name": "A"}}}),
    ("w3-04-dark-web", "mirrors", {"mirrors": {"M1": "x.onion"}}),
    ("w3-04-dark-web", "safety", {"actions": {"S1": "Pay the vendor."}}),
    ("w3-05-evidence-package", "tamper", {"colleague_items": ["E1"]}),
    ("w3-07-case-report", "roles", {"persons": {"P1": {"name": "A"}}}),
]


def _coded_options(lab_id: str, part: str, exercise: dict[str, Any]) -> list[dict[str, Any]]:
    spec = runtime.lab_module(runtime.catalogue.get(lab_id)).answer_form(part, exercise)
    options = spec["options"] if "options" in spec else next(f["options"] for f in spec["fields"] if "options" in f)
    return [o for o in options if o["value"] is not None]


@pytest.mark.parametrize(("lab_id", "part", "exercise"), CODED)
def test_coded_options_show_a_word_in_the_language_and_keep_the_code(lab_id: str, part: str,
                                                                     exercise: dict[str, Any]) -> None:
    from osintlab.i18n import speaking

    english = _coded_options(lab_id, part, exercise)
    assert english and all(o["label"] == o["value"] for o in english)  # English: the code the brief names
    for lang in ("mn", "bn"):
        with speaking(lang):
            local = _coded_options(lab_id, part, exercise)
        assert [o["value"] for o in local] == [o["value"] for o in english]  # what the answer holds
        wrong = [o for o in local if not o["label"].endswith(f" ({o['value']})") or o["label"].isascii()]
        assert wrong == [], f"{lab_id} {part} ({lang}): options without a word and their code: {wrong}"


class _Comm:
    """A comm as `comm.create_comm` makes it, recording what the kernel sends and closes."""

    def __init__(self, opened: list[_Comm]) -> None:
        self.sent: list[dict[str, Any]] = []
        self.closed = False
        self.on_msg_hook: Any = None
        opened.append(self)

    def on_msg(self, hook: Any) -> None:
        self.on_msg_hook = hook

    def on_close(self, hook: Any) -> None:
        pass

    def send(self, data: dict[str, Any]) -> None:
        self.sent.append(data)

    def close(self) -> None:
        self.closed = True

    def reply(self, op: str) -> None:
        """The front-end's plugin answers on this comm."""
        self.on_msg_hook({"content": {"data": {"op": op, "request": self.sent[0]["request"]}}})


def test_each_request_goes_on_a_new_comm_so_a_reloaded_page_still_gets_it(monkeypatch) -> None:
    """After a page reload the kernel keeps running but the new page knows none of the old comms:
    a request on an old comm would be dropped and the form would stop writing. So every request
    opens its own comm (announced to the page open now) and closes it once answered."""
    import comm

    opened: list[_Comm] = []
    monkeypatch.setattr(comm, "create_comm", lambda **_kw: _Comm(opened))
    cells = answercells.CellBridge()
    replies: list[str] = []
    cells.request("write", "answer-a", lambda r: replies.append(r["op"]), "answer = 1\n")
    opened[0].reply("written")
    assert replies == ["written"] and opened[0].closed
    note = lambda r: replies.append(r["op"])  # noqa: E731
    cells.request("write", "answer-a", note, "answer = 2\n")  # sent as the page reloads: never answered
    cells.request("write", "answer-a", note, "answer = 3\n")  # the reloaded page's turn
    assert len(opened) == 3 and opened[2].sent[0]["source"] == "answer = 3\n"
    opened[2].reply("written")
    assert replies == ["written", "written"] and opened[2].closed and not opened[1].closed
    for _ in range(answercells.CellBridge.MAX_OPEN + 5):  # no browser at all (autograde): bounded
        cells.request("read", "answer-a", lambda r: None)
    assert sum(not c.closed for c in opened) == answercells.CellBridge.MAX_OPEN


def test_the_posts_search_shows_an_example_of_its_own_site_not_the_job_boards(lab_at_seed) -> None:
    """In W1-03 task 2, * ends a word; the job board's example ("work * visa") would teach a gap."""
    lab = lab_at_seed("w1-03-search-operators")
    form = build_form(lab.module.answer_form("posts", lab.exercise), lab.sandbox)
    shown = form.search.query.placeholder
    assert shown.startswith(f"site:{lab.exercise['posts']['site']} ") and "jobs.example" not in shown
    assert build_form(lab.module.answer_form("pages", lab.exercise), lab.sandbox).search.query.placeholder != shown
