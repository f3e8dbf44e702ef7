"""Small ungraded exercises for lesson notebooks, checked with instant feedback.

An exercise is a YAML file in coursekit/exercises/ (validated when loaded). Four kinds:

- sort:   put every item into one category (passive / active; leak / safe).
          The officer answers with a dict {item_id: category}.
- pick:   choose the items that are true (the red flags in an advert).
          The officer answers with a list of item ids.
- choice: one question, one right option. The officer answers with an option id.
- query:  write a search query; it is run on the lesson's practice case and its results are
          compared with those of the exercise's `target` query (kept in the YAML, so the
          lesson's check code does not show it). The target may name the case's platforms:
          {jobs}, {social}, {messenger}, ... (the domain of the case's platform of that kind).

A lesson cell shows an exercise by naming it (`exercise("w1-crime-type")`, displayed as a
readable page) and checks an answer with `exercise("w1-crime-type").check(answer)`: no
variable is shared between exercises, so any cell can be run again, in any order.

Feedback never raises on a typo: an unknown id or category becomes a feedback line that
says what to write instead, because officers fix answers in a notebook, not in code.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from osintlab.errors import UserError
from osintlab.i18n import _, ngettext
from osintlab.jsonschema_lite import jsonschema

EXERCISE_DIR = Path(__file__).parent / "exercises"

_ITEM = {
    "type": "object",
    "required": ["id", "text", "why"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^[A-Za-z0-9]+$"},
        "text": {"type": "string", "minLength": 1},
        "answer": {"type": "string"},
        "correct": {"type": "boolean"},
        "why": {"type": "string", "minLength": 1},
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "kind", "title", "task"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string"},
        "kind": {"enum": ["sort", "pick", "choice", "query"]},
        "title": {"type": "string"},
        "task": {"type": "string"},
        "categories": {"type": "array", "items": {"type": "string"}, "minItems": 2},
        "items": {"type": "array", "items": _ITEM, "minItems": 2},
        "target": {"type": "string", "minLength": 1},
        "must_use": {"type": "array", "items": {"type": "string"}},
    },
    "if": {"properties": {"kind": {"const": "query"}}},
    "then": {"required": ["target"]},
    "else": {"required": ["items"]},
}
BADGE = ("display:inline-block;background:#1f4e79;color:#fff;border-radius:4px;padding:0 0.45em;"
         "font-weight:bold;margin-right:0.4em")


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    why: str
    answer: str = ""  # sort: the right category
    correct: bool = False  # pick / choice: whether this item should be chosen


@dataclass(frozen=True)
class Line:
    """One line of feedback: an item, whether the officer got it right, and why."""

    ok: bool
    item: str
    message: str


@dataclass(repr=False)
class Feedback:
    title: str
    lines: list[Line] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # typos, unknown ids: fix and run again

    @property
    def score(self) -> tuple[int, int]:
        return sum(line.ok for line in self.lines), len(self.lines)

    @property
    def all_correct(self) -> bool:
        right, total = self.score
        return right == total and not self.problems

    def summary(self) -> str:
        right, total = self.score
        # "Title: all correct." but "Is it legal? All correct." after a question
        head, first = (f"{self.title} ", str.capitalize) if self.title.endswith(("?", ".", "!")) else (
            f"{self.title}: ", str)
        if self.all_correct:
            done = _("correct.") if total == 1 else _("all {total} correct.").format(total=total)
            return head + first(done) + " " + _("Well done.")
        again = _("Read the notes below, change your answer and run the cell again.")
        if total == 1:
            return head + first(_("not yet.")) + f" {again}"
        return head + ngettext("{right} of {total} correct.", "{right} of {total} correct.", total).format(
            right=right, total=total) + f" {again}"

    def __str__(self) -> str:
        out = [self.summary(), *(f"  ! {p}" for p in self.problems)]
        out += [f"  {'OK ' if line.ok else 'NO '} {line.item} - {line.message}" for line in self.lines]
        return "\n".join(out)

    __repr__ = __str__  # plain consoles show the same text as print()

    def _repr_html_(self) -> str:
        cell = "text-align:left;vertical-align:top;padding:0.3em 0.6em 0.3em 0"  # JupyterLab right-aligns by default
        rows = "".join(
            f"<tr><td style='{cell}'>{'&#10004;' if line.ok else '&#10008;'}</td>"
            f"<td style='{cell}'><b>{html.escape(line.item)}</b></td>"
            f"<td style='{cell}'>{html.escape(line.message)}</td></tr>"
            for line in self.lines
        )
        problems = "".join(f"<li>{html.escape(p)}</li>" for p in self.problems)
        colour = "#1b7f3b" if self.all_correct else "#a15c00"
        return (
            f"<div style='font-size:15px;line-height:1.5;max-width:62em'>"
            f"<p style='color:{colour};font-weight:bold'>{html.escape(self.summary())}</p>"
            + (f"<ul>{problems}</ul>" if problems else "")
            + f"<table>{rows}</table></div>"
        )


def _norm(value: object) -> str:
    return str(value).strip().lower()


@dataclass(frozen=True)
class Exercise:
    id: str
    kind: str
    title: str
    task: str
    items: tuple[Item, ...] = ()
    categories: tuple[str, ...] = ()
    target: str = field(default="", repr=False)  # query: the query whose results are wanted
    must_use: tuple[str, ...] = ()

    def __repr__(self) -> str:  # what a notebook stores as text: the task, never the answers
        return self.show()

    def _repr_html_(self) -> str:
        """The task as a readable page: title, paragraphs, items with their ids, categories."""
        paragraphs = "".join(f"<p style='margin:0.35em 0'>{html.escape(p)}</p>"
                             for p in self.task.split("\n\n") if p.strip())
        rows = "".join(f"<tr><td style='vertical-align:top;padding:0.3em 0.6em 0.3em 0'><span style='{BADGE}'>"
                       f"{html.escape(i.id)}</span></td><td style='text-align:left;padding:0.3em 0'>"
                       f"{html.escape(i.text)}</td></tr>" for i in self.items)
        cats = ""
        if self.categories:
            chips = " ".join(f"<code style='font-size:15px;padding:0.1em 0.4em;background:#eef1f4'>"
                             f"{html.escape(c)}</code>" for c in self.categories)
            cats = f"<p style='margin:0.5em 0'><b>{html.escape(_('Categories:'))}</b> {chips}</p>"
        return (f"<div style='font-size:16px;line-height:1.55;max-width:62em;border-left:4px solid #1f4e79;"
                f"padding:0.2em 0 0.2em 0.8em'><div style='font-size:18px;font-weight:bold'>{html.escape(self.title)}"
                f"</div>{paragraphs}<table>{rows}</table>{cats}</div>")

    def _item(self, item_id: object) -> Item | None:
        return next((i for i in self.items if _norm(i.id) == _norm(item_id)), None)

    def _ids(self) -> str:
        return ", ".join(i.id for i in self.items)

    def show(self) -> str:
        """The task and the items as plain text, for print()."""
        lines = [self.title, "", self.task, ""]
        lines += [f"  {i.id}: {i.text}" for i in self.items]
        if self.categories:
            lines += ["", _("Categories: {names}").format(names=", ".join(self.categories))]
        return "\n".join(lines)

    def check(self, answer: Any, case: Any = None) -> Feedback:
        """Compare the officer's answer with the right one and explain every item. A query
        exercise also needs the lesson's case (its sandbox or search engine)."""
        if self.kind == "query":
            return self._check_query(answer, case)
        if self.kind == "sort":
            return self._check_sort(answer)
        if self.kind == "pick":
            return self._check_pick(answer)
        return self._check_choice(answer)

    def _check_sort(self, answer: Any) -> Feedback:
        fb = Feedback(self.title)
        if not isinstance(answer, Mapping):
            fb.problems.append(_("write your answer as a dict, like {example}.").format(
                example='{"A1": "' + self.categories[0] + '", ...}'))
            answer = {}
        given = {_norm(k): _norm(v) for k, v in answer.items()}
        for key in answer:
            if self._item(key) is None:
                fb.problems.append(_("{key} is not an item of this exercise: use the ids {value}.").format(
                    key=repr(key), value=self._ids()))
        cats = {_norm(c) for c in self.categories}
        for item in self.items:
            choice = given.get(_norm(item.id))
            if choice is None:
                fb.lines.append(Line(False, item.id, _("not answered yet. {text}").format(text=item.text)))
            elif choice not in cats:
                options = ", ".join(self.categories)
                fb.problems.append(_("{id}: {choice} is not a category: write one of {options}.").format(
                    id=item.id, choice=repr(choice), options=options))
                fb.lines.append(Line(False, item.id, _("write one of {options}.").format(options=options)))
            else:
                ok = choice == _norm(item.answer)
                verdict = _("right: {why}") if ok else _("it is {answer}, not {choice}: {why}")
                fb.lines.append(Line(ok, item.id, verdict.format(answer=item.answer, choice=choice, why=item.why)))
        return fb

    def _check_pick(self, answer: Any) -> Feedback:
        fb = Feedback(self.title)
        if isinstance(answer, str) or not isinstance(answer, Iterable):
            fb.problems.append(_('write your answer as a list of ids, like ["B1", "B4"].'))
            answer = []
        answer = list(answer)
        if not answer:
            fb.problems.append(_('pick at least one id, like ["{id}"], and run the cell again.').format(
                id=self.items[0].id))
            fb.lines += [Line(False, item.id, _("not answered yet. {text}").format(text=item.text))
                         for item in self.items]
            return fb
        picked = {_norm(a) for a in answer}
        for key in answer:
            if self._item(key) is None:
                fb.problems.append(_("{key} is not an item of this exercise: use the ids {value}.").format(
                    key=repr(key), value=self._ids()))
        for item in self.items:
            chosen = _norm(item.id) in picked
            if chosen and item.correct:
                message = _("right, you found it: {why}").format(why=item.why)
            elif chosen:
                message = _("not this one: {why}").format(why=item.why)
            elif item.correct:
                message = _("you missed this one: {why}").format(why=item.why)
            else:
                message = _("right to leave it out: {why}").format(why=item.why)
            fb.lines.append(Line(chosen == item.correct, item.id, message))
        return fb

    def _check_choice(self, answer: Any) -> Feedback:
        fb = Feedback(self.title)
        item = self._item(answer)
        if item is None:
            fb.problems.append(
                _("not answered yet: write one of {ids}.").format(ids=self._ids())
                if not str(answer).strip()
                else _("{answer} is not an option: write one of {ids}.").format(
                    answer=repr(str(answer)), ids=self._ids())
            )
            fb.lines.append(Line(False, str(answer), _("choose one option and run the cell again.")))
            return fb
        message = _("right: {why}") if item.correct else _("not quite: {why}")
        fb.lines.append(Line(item.correct, item.id, message.format(why=item.why)))
        return fb


    def _check_query(self, answer: Any, case: Any) -> Feedback:
        from coursekit.querycheck import check_query, target_query

        if case is None:
            fb = Feedback(self.title)
            fb.problems.append(_("give the case too: exercise(...).check(your_query, sb)."))
            return fb
        engine = getattr(case, "engine", case)
        fb = check_query(engine, str(answer), target_query(engine, self.target), self.must_use)
        fb.title = self.title
        return fb


def _validate(data: Any, path: Path) -> None:
    try:
        jsonschema.validate(data, SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "top level"
        raise UserError(_("{path}: field {where}: {message}; fix the exercise file.").format(
            path=path, where=where, message=exc.message)) from None
    if data["kind"] == "query":
        return
    ids = [i["id"] for i in data["items"]]
    if len(set(ids)) != len(ids):
        raise UserError(_("{path}: field items: item ids repeat ({names}); give each item its own id.").format(
            path=path, names=', '.join(ids)))
    kind = data["kind"]
    for item in data["items"]:
        if kind == "sort" and item.get("answer") not in data.get("categories", []):
            raise UserError(_("{path}: item {id}: answer must be one of the categories; fix the exercise file.").format(
                path=path, id=item['id']))
        if kind != "sort" and "correct" not in item:
            raise UserError(_("{path}: item {id}: a {kind} item needs correct: true or false.").format(
                path=path, id=item['id'], kind=kind))
    if kind == "choice" and sum(bool(i.get("correct")) for i in data["items"]) != 1:
        raise UserError(_("{path}: field items: a choice exercise needs exactly one option with correct: true.").format(
            path=path))


def load_file(path: Path) -> Exercise:
    """Read and validate one exercise file."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise UserError(_("{path} cannot be read as YAML ({exc}); fix the exercise "
                          "file.").format(path=path, exc=exc)) from None
    _validate(data, Path(path))
    return Exercise(
        id=data["id"],
        kind=data["kind"],
        title=_(data["title"].strip()),  # the texts are extracted for translation (osintlab.l10n.catalogs)
        task=_(data["task"].strip()),
        items=tuple(Item(**{**i, **{k: _(i[k].strip()) for k in ("text", "why") if isinstance(i.get(k), str)}})
                    for i in data.get("items", ())),
        categories=tuple(data.get("categories", ())),
        target=data.get("target", ""),
        must_use=tuple(data.get("must_use", ())),
    )


def exercise_ids() -> list[str]:
    return sorted(p.stem for p in EXERCISE_DIR.glob("*.yml"))


@cache
def exercise(exercise_id: str) -> Exercise:
    """The exercise with this id, e.g. exercise("w1-passive-active")."""
    path = EXERCISE_DIR / f"{exercise_id}.yml"
    if not path.is_file():
        raise UserError(_("there is no exercise {exercise_id}: use one of {names}.").format(
            exercise_id=repr(exercise_id), names=', '.join(exercise_ids())))
    return load_file(path)
