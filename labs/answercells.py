"""The kernel's side of writing answers into answer cells.

A lab's answer form (labs/forms.py) runs in the kernel; the notebook's cells live in the
browser. The JupyterLab extension `osintlab-answers` (labs/labextension/) listens on the comm
target "osintlab.answers" and, for {"op": "write", "grade_id", "source"}, replaces the source of
the cell whose nbgrader grade_id matches; {"op": "read"} sends the cell's source back. This
module opens a comm for each request, sends it, calls back when the reply comes, and closes that
comm. A comm per request, not one per kernel: after the trainee reloads the page (the kernel keeps
running), the new page knows none of the old page's comms and would drop every message sent on
them, so the forms would stop writing; a new comm is announced to whichever page is open now.
Why a comm and an extension: docs/decisions/0002-answer-forms-write-answer-cells.md.

Replies arrive when the kernel is idle (after the running cell), so callers never wait for one.
Without a browser (nbclient, nbgrader's autograde) nobody answers, and nothing breaks. In a
front-end without the extension, the comm is closed at once and `available` becomes False.

The answer is written as plain Python (`python_source`) and read back from a cell with
`read_answer`, which only evaluates literals (ast.literal_eval), never code.
"""

from __future__ import annotations

import ast
import itertools
import json
from collections.abc import Callable
from typing import Any

from osintlab.i18n import N_, _

TARGET = "osintlab.answers"
HEADER = N_("# Your answer, written by the form above. You can also type it here.")

Callback = Callable[[dict[str, Any]], None]


class CellBridge:
    """Requests to the front-end's osintlab-answers plugin, each on its own comm."""

    MAX_OPEN = 64  # comms nobody answers (no browser: nbclient, autograde) are closed beyond this

    def __init__(self) -> None:
        self._open: dict[str, Any] = {}  # request id -> its comm, until the reply comes
        self._pending: dict[str, Callback] = {}
        self._ids = itertools.count(1)
        self.available: bool | None = None  # None: not known yet; False: no extension in this front-end
        self.on_unavailable: list[Callable[[], None]] = []

    def request(self, op: str, grade_id: str, callback: Callback | None = None, source: str | None = None) -> None:
        """Send {"op", "grade_id"[, "source"]} on a new comm; `callback` gets the reply (op "source",
        "written" or "missing") when the kernel is next idle."""
        if self.available is False:
            return
        from comm import create_comm

        request = f"r{next(self._ids)}"
        if callback is not None:
            self._pending[request] = callback
        message: dict[str, Any] = {"op": op, "grade_id": grade_id, "request": request}
        if source is not None:
            message["source"] = source
        channel = create_comm(target_name=TARGET, data={})
        channel.on_msg(self._receive)
        channel.on_close(self._closed)
        self._open[request] = channel
        self._forget_oldest()
        channel.send(message)

    def _forget_oldest(self) -> None:
        while len(self._open) > self.MAX_OPEN:
            oldest = next(iter(self._open))
            self._pending.pop(oldest, None)
            self._open.pop(oldest).close()

    def _receive(self, msg: dict[str, Any]) -> None:
        data = msg.get("content", {}).get("data", {}) or {}
        self.available = True
        request = str(data.get("request"))
        callback = self._pending.pop(request, None)
        channel = self._open.pop(request, None)
        if channel is not None:
            channel.close()
        if callback is not None:
            callback(data)

    def _closed(self, msg: dict[str, Any]) -> None:
        """The front-end closed a comm: it has no osintlab-answers plugin (our own closes never
        come here)."""
        if self.available:
            return  # a page with the plugin answered before; a second, plugin-less page closed its copy
        self.available = False
        for channel in self._open.values():
            channel.close()
        self._open.clear()
        self._pending.clear()
        for hook in self.on_unavailable:
            hook()


_bridge: CellBridge | None = None


def bridge() -> CellBridge:
    """The kernel's one bridge (made on first use)."""
    global _bridge
    if _bridge is None:
        _bridge = CellBridge()
    return _bridge


# ---------------------------------------------------------------- answers as Python


def literal(value: Any) -> str:
    """`value` (a plain answer: str, int, float, bool, None, list, dict) as a Python literal with
    double-quoted strings, the way the lab notebooks' examples are written."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"{type(value).__name__} is not a plain answer value")


def python_source(name: str, value: Any) -> str:
    """The answer cell's code: `name = value`, one line per item of a dict or list that does
    not fit on one line, so a trainee can read and edit it."""
    one_line = f"{name} = {literal(value)}"
    if len(one_line) <= 100 or not isinstance(value, dict | list) or not value:
        return f"{_(HEADER)}\n{one_line}\n"
    if isinstance(value, dict):
        body = "".join(f"    {literal(k)}: {literal(v)},\n" for k, v in value.items())
        return f"{_(HEADER)}\n{name} = {{\n{body}}}\n"
    body = "".join(f"    {literal(v)},\n" for v in value)
    return f"{_(HEADER)}\n{name} = [\n{body}]\n"


class Unreadable(ValueError):
    """The cell assigns the answer with code that is not a plain literal."""


def read_answer(source: str, name: str) -> Any:
    """The value the cell's last top-level `name = <literal>` assigns; None if the cell does not
    assign `name` (an empty answer cell). Raises Unreadable for code that is not a literal, or a
    cell that is not valid Python."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        raise Unreadable("the cell is not valid Python") from None
    found: ast.expr | None = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            found = node.value
    if found is None:
        return None
    try:
        return ast.literal_eval(found)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise Unreadable(f"{name} is computed by code, not written as a value") from None
