"""Answer forms: the widgets `lab.answer(part)` draws from the lab module's `answer_form(part, exercise)`.

The kinds are the contract of labs/README.md ("Answer forms"): choice, multi, ranking, pages,
text, record, records, table. Every form's `value` is exactly the plain value the lab's `score`
reads, and `set_value(value)` fills the form from one (what does not fit the form is left
out). Callbacks registered with `on_change` get the new value after each change the trainee
makes (never after `set_value`). `AnswerPanel` puts a form together with the Check button
and writes each change into the part's answer cell (labs.answercells).

In a `choice` form an option whose value is None ("safe: leave it out") leaves the item out of
the answer. Item texts and labels come from the exercise, never from the key.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import ipywidgets as w

from labs import answercells
from osintlab.errors import UserError, sentence
from osintlab.i18n import _

BADGE = ("display:inline-block;background:#1f4e79;color:#fff;border-radius:4px;padding:0 0.45em;"
         "font-weight:bold;margin-right:0.4em")
TEXT = "font-size:15px;line-height:1.45;overflow-wrap:break-word"
CARD = w.Layout(border="1px solid #c8ccd0", padding="4px 10px 8px 10px", margin="0 0 8px 0", width="auto")
WIDE = w.Layout(width="auto")
OK_STYLE, WARN_STYLE, ERR_STYLE = "color:#1b6e33", "color:#8a5300", "color:#a00"
KINDS = ("choice", "multi", "ranking", "pages", "text", "record", "records", "table")


def esc(text: Any) -> str:
    return html.escape("" if text is None else str(text))


def item_html(item: dict[str, Any], *, short: bool = False) -> str:
    """An item's id as a badge and its text (the title only, when `short`)."""
    text = item.get("title") if short and item.get("title") else item.get("text", "")
    if not short and item.get("title"):
        text = f"<b>{esc(item['title'])}</b><br>{esc(item.get('text', ''))}"
    else:
        text = esc(text)
    return f'<div style="{TEXT}"><span style="{BADGE}">{esc(item["id"])}</span>{text}</div>'


def _options(raw: list[Any]) -> list[tuple[str, Any]]:
    """(label, value) pairs from [{value, label}] or plain strings."""
    out = []
    for option in raw:
        if isinstance(option, dict):
            out.append((str(option.get("label", option.get("value"))), option.get("value")))
        else:
            out.append((str(option), option))
    return out


class Form(w.VBox):
    """A form's common parts: change callbacks, and quiet filling. `tail` holds long parts (search
    results) that the answer panel shows after its Check button, so the button stays near the answer."""

    tail: tuple[w.Widget, ...] = ()

    def __init__(self, children: list[w.Widget], **kwargs: Any) -> None:
        super().__init__(children, **kwargs)
        self._callbacks: list[Callable[[Any], None]] = []
        self._quiet = False

    def on_change(self, callback: Callable[[Any], None]) -> None:
        self._callbacks.append(callback)

    def _changed(self, *_args: Any) -> None:
        if self._quiet:
            return
        value = self.value
        for callback in self._callbacks:
            callback(value)

    @contextmanager
    def _silenced(self) -> Iterator[None]:
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    @property
    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        with self._silenced():
            self._fill(value)

    def _fill(self, value: Any) -> None:
        raise NotImplementedError


# ---------------------------------------------------------------- one choice, several choices


class ChoiceForm(Form):
    """One choice per item: {"A1": "passive", ...}; an option with value None leaves the item out."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.items = spec["items"]
        self.options = _options(spec["options"])
        self.buttons: dict[str, w.ToggleButtons] = {}
        cards = []
        for item in self.items:
            buttons = w.ToggleButtons(options=[(label, i) for i, (label, _v) in enumerate(self.options)], index=None,
                                      style={"button_width": "auto"}, layout=WIDE)
            buttons.observe(self._changed, names="index")
            self.buttons[item["id"]] = buttons
            cards.append(w.VBox([w.HTML(item_html(item)), buttons], layout=CARD))
        super().__init__(cards)

    @property
    def value(self) -> dict[str, Any]:
        out = {}
        for item_id, buttons in self.buttons.items():
            if buttons.index is not None and self.options[buttons.index][1] is not None:
                out[item_id] = self.options[buttons.index][1]
        return out

    def _fill(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        values = [v for _l, v in self.options]
        for item_id, buttons in self.buttons.items():  # an item left out shows no choice (not "safe")
            given = value.get(item_id)
            buttons.index = values.index(given) if given is not None and given in values else None


class MultiForm(Form):
    """Any number of choices per item (checkboxes): {"J1": ["RF-HIGH-PAY"], "J2": [], ...}."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.items = spec["items"]
        self.options = _options(spec["options"])
        self.boxes: dict[str, list[w.Checkbox]] = {}
        cards = []
        for item in self.items:
            boxes = [w.Checkbox(value=False, description=label, indent=False, layout=w.Layout(width="auto",
                                margin="0 18px 0 0")) for label, _v in self.options]
            for box in boxes:
                box.observe(self._changed, names="value")
            self.boxes[item["id"]] = boxes
            grid = w.HBox(boxes, layout=w.Layout(flex_flow="row wrap", width="auto"))
            cards.append(w.VBox([w.HTML(item_html(item)), grid], layout=CARD))
        super().__init__(cards)

    @property
    def value(self) -> dict[str, list[Any]]:
        return {item_id: [self.options[i][1] for i, box in enumerate(boxes) if box.value]
                for item_id, boxes in self.boxes.items()}

    def _fill(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        for item_id, boxes in self.boxes.items():
            chosen = value.get(item_id) if isinstance(value.get(item_id), list) else []
            for (_label, option), box in zip(self.options, boxes, strict=True):
                box.value = option in chosen


# ---------------------------------------------------------------- ordered lists


class _ListForm(Form):
    """A list the trainee builds: rows with (optionally) up/down buttons and a remove button."""

    orderable = True

    def __init__(self, head: list[w.Widget]) -> None:
        self.ids: list[str] = []
        self.rows = w.VBox()
        nothing = _("Nothing in your list yet.")  # outside the f-string, where the extractor finds it
        self.empty = w.HTML(f'<i style="{TEXT}">{esc(nothing)}</i>')
        super().__init__([*head, self.empty, self.rows])

    def label(self, item_id: str) -> str:
        return f'<span style="{BADGE}">{esc(item_id)}</span>'

    def _redraw(self) -> None:
        rows = []
        for i, item_id in enumerate(self.ids):
            buttons = []
            if self.orderable:
                up = w.Button(icon="arrow-up", tooltip=_("Move up"), disabled=i == 0, layout=w.Layout(width="40px"))
                down = w.Button(icon="arrow-down", tooltip=_("Move down"), disabled=i == len(self.ids) - 1,
                                layout=w.Layout(width="40px"))
                up.on_click(lambda _b, i=i: self.move(i, -1))
                down.on_click(lambda _b, i=i: self.move(i, 1))
                buttons += [up, down]
            remove = w.Button(icon="times", tooltip=_("Remove from the list"), layout=w.Layout(width="40px"))
            remove.on_click(lambda _b, item_id=item_id: self.remove(item_id))
            number = f"<b style='{TEXT}'>{i + 1}.</b>&nbsp;" if self.orderable else ""
            rows.append(w.HBox([*buttons, remove, w.HTML(number + self.label(item_id), layout=WIDE)],
                               layout=w.Layout(align_items="center")))
        self.rows.children = tuple(rows)
        self.empty.layout.display = "none" if self.ids else None

    def add(self, item_id: str) -> None:
        if item_id not in self.ids:
            self.ids.append(item_id)
            self._redraw()
            self._changed()

    def remove(self, item_id: str) -> None:
        if item_id in self.ids:
            self.ids.remove(item_id)
            self._redraw()
            self._changed()

    def move(self, index: int, step: int) -> None:
        other = index + step
        if 0 <= index < len(self.ids) and 0 <= other < len(self.ids):
            self.ids[index], self.ids[other] = self.ids[other], self.ids[index]
            self._redraw()
            self._changed()

    @property
    def value(self) -> list[str]:
        return list(self.ids)


class RankingForm(_ListForm):
    """An orderable subset of the items, most important first: ["J4", "J17", ...]."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.items = {item["id"]: item for item in spec["items"]}
        self.choice = w.Dropdown(options=self._choices([]), layout=w.Layout(width="32em"))
        self.add_button = w.Button(description=_("Add to the list"), icon="plus", button_style="success",
                                   layout=WIDE)
        self.add_button.on_click(lambda _b: self.add(self.choice.value) if self.choice.value else None)
        help_text = spec.get("help") or _("Add items in order, most urgent first. Move them with the arrows.")
        super().__init__([w.HTML(f'<div style="{TEXT}">{esc(help_text)}</div>'),
                          w.HBox([self.choice, self.add_button])])

    def _choices(self, taken: list[str]) -> list[tuple[str, str | None]]:
        rest = [(f"{i}  {self.items[i].get('title') or self.items[i].get('text', '')}"[:90], i)
                for i in self.items if i not in taken]
        return [(_("(choose an item)"), None), *rest]

    def label(self, item_id: str) -> str:
        item = self.items.get(item_id, {"id": item_id})
        return item_html({**item, "id": item_id}, short=True)

    def _redraw(self) -> None:
        super()._redraw()
        self.choice.options = self._choices(self.ids)
        self.choice.value = None

    def _fill(self, value: Any) -> None:
        self.ids = [v for v in dict.fromkeys(value) if v in self.items] if isinstance(value, list) else []
        self._redraw()


class PagesForm(_ListForm):
    """Page ids from search results, the reader view or typed in: ["pg-…", ...]."""

    orderable = False

    def __init__(self, spec: dict[str, Any], sandbox: Any = None) -> None:
        self.sandbox = sandbox
        self.entry = w.Text(placeholder=_("page id (pg-...) or address"), continuous_update=False,
                            layout=w.Layout(width="28em"))
        self.add_button = w.Button(description=_("Add"), icon="plus", button_style="success")
        self.status = w.HTML()
        self.add_button.on_click(lambda _b: self.add_typed())
        head: list[w.Widget] = [w.HBox([self.entry, self.add_button]), self.status]
        self.search = None
        if sandbox is not None:
            from sandbox.widgets import SearchWidget

            self.search = SearchWidget(sandbox, per_page=10, on_pick=self.add,
                                       placeholder=spec.get("search_placeholder"))
            self.tail = (w.HTML(f"<b style='{TEXT}'>{esc(_('Search'))}</b>"), self.search)
            help_text = _("Search below and press \"Add to answer\" on each page the task asks for, or type a page id.")
            head = [w.HTML(f'<div style="{TEXT}">{esc(spec.get("help") or help_text)}</div>'), *head]
        super().__init__(head)

    def label(self, item_id: str) -> str:
        page = self.sandbox.case.page_by_id.get(item_id) if self.sandbox is not None else None
        if page is None:
            return f'<span style="{TEXT}"><span style="{BADGE}">{esc(item_id)}</span></span>'
        return (f'<span style="{TEXT}"><span style="{BADGE}">{esc(item_id)}</span>{esc(page.title)} '
                f'<span style="color:#4a4f55">&middot; {esc(page.published[:10])}</span></span>')

    def add_typed(self) -> None:
        ref = self.entry.value.strip()
        try:
            page_id = self._page_id(ref)
        except UserError as exc:
            self.status.value = f'<span style="{ERR_STYLE}">{esc(sentence(exc))}</span>'
            return
        self.status.value = ""
        self.entry.value = ""
        self.add(page_id)

    def _page_id(self, ref: str) -> str:
        if self.sandbox is None:
            if not re.fullmatch(r"pg-[A-Za-z0-9]+", ref):
                raise UserError(_("{ref} is not a page id: page ids start with pg-.").format(ref=repr(ref)))
            return ref
        from sandbox import reader
        from synthetic_data.model import Page

        found = reader.resolve(self.sandbox.case, ref)
        if not isinstance(found, Page) or found.status != "live":
            raise UserError(_("{ref} is not a live page of this case: add a page from the search results.")
                            .format(ref=repr(ref)))
        return found.page_id

    def _fill(self, value: Any) -> None:
        self.ids = [v for v in dict.fromkeys(value) if isinstance(v, str)] if isinstance(value, list) else []
        self._redraw()


# ---------------------------------------------------------------- text and records


class TextForm(Form):
    """One line or a few lines: "site:… visa". With `"search": true` the box is a search box, so the
    trainee sees what the text finds before keeping it."""

    def __init__(self, spec: dict[str, Any], sandbox: Any = None) -> None:
        self.search = None
        if spec.get("search") and sandbox is not None:
            from sandbox.widgets import SearchWidget

            self.search = SearchWidget(sandbox, per_page=10)
            self.box = self.search.query
            self.box.layout.width = "70%"
            box_row, status, *results = self.search.children  # the results come after the Check button
            children: list[w.Widget] = [box_row, status]
            self.tail = (w.VBox(results),)
        else:
            cls = w.Textarea if spec.get("multiline") else w.Text
            self.box = cls(continuous_update=False, layout=w.Layout(width="70%"))
            children = [self.box]
        self.box.placeholder = spec.get("placeholder", "")
        self.box.observe(self._changed, names="value")
        help_text = spec.get("help")
        if help_text:
            children = [w.HTML(f'<div style="{TEXT}">{esc(help_text)}</div>'), *children]
        super().__init__(children)

    @property
    def value(self) -> str:
        return str(self.box.value)

    def _fill(self, value: Any) -> None:
        self.box.value = value if isinstance(value, str) else ""


def _field_widget(field: dict[str, Any]) -> w.Widget:
    kind = field.get("kind", "text")
    if kind == "choice":
        options = _options(field.get("options", []))
        if len(options) <= 4 and sum(len(label) for label, _v in options) <= 48:  # few and short: buttons
            return w.ToggleButtons(options=options, index=None, style={"button_width": "auto"}, layout=WIDE)
        return w.Dropdown(options=[("—", None), *options], value=None, layout=WIDE)
    if kind == "date":
        return w.DatePicker(value=None)
    if kind == "datetime":
        return w.NaiveDatetimePicker(value=None)
    placeholder = _("a number") if kind == "number" else field.get("placeholder", "")
    return w.Text(placeholder=placeholder, continuous_update=False, layout=w.Layout(width="22em"))


def _field_value(field: dict[str, Any], widget: w.Widget) -> Any:
    """The field's plain value, or None when it is empty (or not a number where one is asked)."""
    kind, raw = field.get("kind", "text"), widget.value
    if kind == "date":
        return raw.isoformat() if isinstance(raw, date) else None
    if kind == "datetime":
        return raw.isoformat(timespec="minutes") if isinstance(raw, datetime) else None
    if kind == "number":
        text = str(raw).strip().replace(",", "")
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() and "." not in text else number
    if kind == "choice":
        return raw
    return raw.strip() or None if isinstance(raw, str) else None


def _set_field(field: dict[str, Any], widget: w.Widget, value: Any) -> None:
    kind = field.get("kind", "text")
    try:
        if kind == "date":
            widget.value = date.fromisoformat(value) if isinstance(value, str) else None
        elif kind == "datetime":
            widget.value = datetime.fromisoformat(value).replace(tzinfo=None) if isinstance(value, str) else None
        elif kind == "choice":
            values = [v for _l, v in widget.options]
            widget.index = values.index(value) if value in values else (values.index(None) if None in values else None)
        else:
            widget.value = "" if value is None else str(value)
    except ValueError:  # a date the form cannot show: leave the field empty
        widget.value = None if kind in ("date", "datetime") else ""


class RecordForm(Form):
    """Named fields: {"platform": "...", "from": "2025-03-01", ...} (empty fields left out)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.fields = spec["fields"]
        self.widgets: dict[str, w.Widget] = {}
        rows = []
        for field in self.fields:
            widget = _field_widget(field)
            widget.observe(self._changed, names="value")
            self.widgets[field["name"]] = widget
            label = w.HTML(f'<div style="{TEXT};padding-top:4px"><b>{esc(field.get("label", field["name"]))}</b></div>',
                           layout=w.Layout(width="14em"))
            rows.append(w.HBox([label, widget]))
        super().__init__(rows)

    @property
    def value(self) -> dict[str, Any]:
        out = {}
        for field in self.fields:
            value = _field_value(field, self.widgets[field["name"]])
            if value is not None:
                out[field["name"]] = value
        return out

    def _fill(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        for field in self.fields:
            _set_field(field, self.widgets[field["name"]], value.get(field["name"]))


class RecordsForm(Form):
    """The same fields for each item: {"E1": {"utc": "...", "source": "..."}, ...}."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.records: dict[str, RecordForm] = {}
        cards = []
        for item in spec["items"]:
            record = RecordForm({"fields": spec["fields"]})
            record.on_change(lambda _v: self._changed())
            self.records[item["id"]] = record
            cards.append(w.VBox([w.HTML(item_html(item)), record], layout=CARD))
        super().__init__(cards)

    @property
    def value(self) -> dict[str, dict[str, Any]]:
        return {item_id: record.value for item_id, record in self.records.items() if record.value}

    def _fill(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        for item_id, record in self.records.items():
            record.set_value(value.get(item_id, {}))


class TableForm(Form):
    """Rows of named fields, added and removed by the trainee: [{"from": "...", "to": "..."}, ...]."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.records: list[RecordForm] = []
        self.rows = w.VBox()
        self.add_button = w.Button(description=_("Add a row"), icon="plus", button_style="success", layout=WIDE)
        self.add_button.on_click(lambda _b: self.add_row())
        super().__init__([self.rows, self.add_button])

    def add_row(self, value: dict[str, Any] | None = None, *, quiet: bool = False) -> RecordForm:
        record = RecordForm({"fields": self.spec["fields"]})
        if value:
            record.set_value(value)
        record.on_change(lambda _v: self._changed())
        self.records.append(record)
        self._redraw()
        if not quiet:
            self._changed()
        return record

    def remove_row(self, record: RecordForm) -> None:
        self.records.remove(record)
        self._redraw()
        self._changed()

    def _redraw(self) -> None:
        rows = []
        for i, record in enumerate(self.records, 1):
            remove = w.Button(description=_("Remove row"), icon="times", layout=WIDE)
            remove.on_click(lambda _b, record=record: self.remove_row(record))
            rows.append(w.VBox([w.HTML(f"<b style='{TEXT}'>{esc(_('Row {n}').format(n=i))}</b>"), record, remove],
                               layout=CARD))
        self.rows.children = tuple(rows)

    @property
    def value(self) -> list[dict[str, Any]]:
        return [record.value for record in self.records if record.value]

    def _fill(self, value: Any) -> None:
        self.records = []
        for row in value if isinstance(value, list) else []:
            if isinstance(row, dict):
                self.add_row(row, quiet=True)
        self._redraw()


def build_form(spec: dict[str, Any], sandbox: Any = None) -> Form:
    """The form for one answer_form() description (kinds in KINDS)."""
    kind = spec.get("kind")
    if kind == "choice":
        return ChoiceForm(spec)
    if kind == "multi":
        return MultiForm(spec)
    if kind == "ranking":
        return RankingForm(spec)
    if kind == "pages":
        return PagesForm(spec, sandbox)
    if kind == "text":
        return TextForm(spec, sandbox)
    if kind == "record":
        return RecordForm(spec)
    if kind == "records":
        return RecordsForm(spec)
    if kind == "table":
        return TableForm(spec)
    raise ValueError(f"answer form kind {kind!r} is not one of {', '.join(KINDS)}")


# ---------------------------------------------------------------- a form wired to its answer cell


class AnswerPanel(w.VBox):
    """A part's form, its Check button, and the writing of each change into the answer cell.

    `name` is the variable the answer cell assigns (and the hidden test grades); `grade_id` the
    answer cell's nbgrader id; `check(value)` returns the visible check's text. Each change sets
    `name` in the kernel at once (so the next cells see it) and asks the front-end to write
    `name = <value>` into the answer cell, so the saved notebook holds the answer."""

    def __init__(self, form: Form, *, name: str, grade_id: str, check: Callable[[Any], str],
                 title: str = "", cells: answercells.CellBridge | None = None) -> None:
        self.form, self.name, self.grade_id, self._check = form, name, grade_id, check
        self.cells = cells or answercells.bridge()
        self.status = w.HTML()
        self.feedback = w.HTML()
        self.code = w.HTML()
        self.check_button = w.Button(description=_("Check my answer"), icon="check", button_style="primary",
                                     layout=WIDE)
        self.check_button.on_click(lambda _b: self.check())
        head = [w.HTML(f'<div style="{TEXT};font-size:16px"><b>{esc(title)}</b></div>')] if title else []
        super().__init__([*head, form, w.HBox([self.check_button]), self.feedback, self.status, self.code, *form.tail],
                         layout=w.Layout(border="2px solid #1f4e79", padding="6px 12px", width="auto"))
        self.add_class("osintlab-answer-form")
        self.cells.on_unavailable.append(self._no_extension)
        form.on_change(self.write)

    # --- starting from what the notebook already holds

    def start(self, kernel_value: Any = None) -> None:
        """Fill the form from the kernel's value of `name`, then from the answer cell's text (which
        wins: it is what will be submitted) once the front-end sends it."""
        if kernel_value is not None:
            self.form.set_value(kernel_value)
        self._show_code(self.form.value)
        self.cells.request("read", self.grade_id, self._on_source)

    def _on_source(self, reply: dict[str, Any]) -> None:
        if reply.get("op") == "missing":
            self._missing()
            return
        try:
            value = answercells.read_answer(str(reply.get("source", "")), self.name)
        except answercells.Unreadable:
            self._say(WARN_STYLE, _("The answer cell below holds code the form cannot read. If you change the "
                                    "form, your answer there is replaced."))
            return
        if value is not None:
            self.form.set_value(value)
            self._show_code(self.form.value)

    # --- writing

    def write(self, value: Any) -> None:
        """Put `value` into the kernel and into the answer cell (called on every change)."""
        _set_in_kernel(self.name, value)
        source = answercells.python_source(self.name, value)
        self._show_code(value)
        if self.cells.available is False:
            self._no_extension()
            return
        self._say("color:#4a4f55", _("Writing your answer into the answer cell..."))
        self.cells.request("write", self.grade_id, self._on_written, source)

    def _on_written(self, reply: dict[str, Any]) -> None:
        if reply.get("op") == "written":
            self._say(OK_STYLE, _("Your answer is in the answer cell below. Save the notebook (Ctrl+S) "
                                  "when you finish."))
        else:
            self._missing()

    def _missing(self) -> None:
        self._say(WARN_STYLE, _("This notebook has no answer cell {cell}: copy the Python below into a cell "
                                "and run it.").format(cell=self.grade_id))

    def _no_extension(self) -> None:
        self._say(WARN_STYLE, _("This notebook program cannot write into cells (the osintlab extension is not "
                                "installed): copy the Python below into the answer cell and run it."))

    def _say(self, style: str, text: str) -> None:
        self.status.value = f'<div style="{TEXT};{style}">{esc(text)}</div>'

    def _show_code(self, value: Any) -> None:
        source = answercells.python_source(self.name, value)
        summary = _("Show the Python this form writes")  # outside the f-string, where the extractor finds it
        self.code.value = (f'<details style="{TEXT}"><summary style="cursor:pointer;color:#4a4f55">'
                           f"{esc(summary)}</summary>"
                           f'<pre style="white-space:pre-wrap;font-size:13px">{esc(source)}</pre></details>')

    # --- checking

    def check(self) -> str:
        """Run the lab's visible check on the form's value and show its text under the form."""
        try:
            text = self._check(self.form.value)
        except UserError as exc:
            text = sentence(exc)
        self.feedback.value = (f'<div style="{TEXT};white-space:pre-wrap;background:#f3f6f9;padding:6px 10px;'
                               f'margin:4px 0">{esc(text)}</div>')
        return text


def _set_in_kernel(name: str, value: Any) -> None:
    import sys

    if "IPython" not in sys.modules:
        return
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.user_ns[name] = value
