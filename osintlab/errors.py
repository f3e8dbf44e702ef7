"""The one exception type for mistakes a user can make (bad input, missing files), and how a
notebook shows it: one sentence, no traceback."""

from __future__ import annotations

import re
import sys
from typing import Any


class UserError(Exception):
    """A problem the user can fix. The CLI prints the message as one sentence and exits 2; a
    notebook shows the sentence alone (see `install_notebook_handler`).

    The message must name the file, field or value at fault and say what to do.
    """

    exit_code = 2

    def __init__(self, *args: object) -> None:
        from osintlab import i18n

        super().__init__(*args)
        # The language the message was written in: a command may give back the language it spoke
        # before the CLI prints the error, whose "error:" prefix must match the message.
        self.language = i18n.language()


_SCHEME = re.compile(r"\b(?:https?|ftp)://", re.IGNORECASE)


def defang(text: str) -> str:
    """`text` with URL schemes removed ("https://jobs.example/a" -> "jobs.example/a"), so that
    JupyterLab, which turns text that starts with a scheme into a link, shows no link out."""
    return _SCHEME.sub("", text)


def sentence(exc: BaseException) -> str:
    """The message of a user error as a trainee reads it: one sentence, capital first letter."""
    text = defang(" ".join(str(exc).split())) or type(exc).__name__
    return text[0].upper() + text[1:]


def _cell_files(shell: Any) -> set[str]:
    """File names IPython gives the code of notebook cells."""
    return set(getattr(shell.compile, "_filename_map", {}) or ())


def _in_cell(shell: Any, value: BaseException, tb: Any) -> bool:
    """Did the error happen in the trainee's own cell (not inside a library)?"""
    if isinstance(value, SyntaxError):
        return value.filename in _cell_files(shell) or str(value.filename).startswith("<")
    last = None
    while tb is not None:
        last, tb = tb, tb.tb_next
    return last is not None and last.tb_frame.f_code.co_filename in _cell_files(shell)


def cell_sentence(value: BaseException) -> str:
    """One sentence for the mistakes trainees make in a cell, with what to do (translated)."""
    from osintlab.i18n import _

    if isinstance(value, UserError):
        return sentence(value)
    if isinstance(value, NameError):
        name = getattr(value, "name", None) or str(value)
        return _("The name {name} has no value yet: check the spelling, or run the cell that sets it first "
                 "(for an answer: use the form above or run the answer cell), then run this cell again."
                 ).format(name=name)
    if isinstance(value, NotImplementedError):
        return _("This answer is not written yet: answer with the form above, or replace the line "
                 "raise NotImplementedError() with your answer, then run the cell again.")
    if isinstance(value, SyntaxError):
        problem = (value.msg or "invalid syntax").rstrip(".")
        return _("Line {line} of this cell is not valid Python ({problem}): check the quotes, commas and "
                 "brackets, then run the cell again.").format(line=value.lineno, problem=problem)
    return sentence(value)


def _show_user_error(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> None:
    """IPython custom exception handler: the error output holds one sentence, nothing else.

    It stays an *error* output (not printed text): the cell still fails, "Run All" stops there,
    and nbgrader still gives a test cell that raised no points. A NameError, SyntaxError or
    NotImplementedError raised inside a library (not by the cell) keeps its full traceback."""
    if not isinstance(value, UserError) and not _in_cell(shell, value, tb):
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return
    shell._showtraceback(etype, value, [f"\x1b[1;31m{defang(cell_sentence(value))}\x1b[0m"])


# What a trainee's own cell raises by mistake (a name not set yet, the unanswered stub, a typo)
NOTEBOOK_ERRORS = (UserError, NameError, NotImplementedError, SyntaxError)


def install_notebook_handler() -> bool:
    """Show user errors in this IPython kernel as one sentence instead of a traceback: every
    `UserError`, and a NameError, NotImplementedError or SyntaxError of the cell itself.

    Called when `labs`, `coursekit` or `sandbox` is imported; does nothing outside IPython.
    Returns True when the handler is (now) installed."""
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    if tuple(getattr(shell, "custom_exceptions", ())) != NOTEBOOK_ERRORS:
        shell.set_custom_exc(NOTEBOOK_ERRORS, _show_user_error)
    return True
