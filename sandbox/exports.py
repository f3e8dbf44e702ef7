"""Files handed to an investigation: chat exports, SMS exports, e-tickets, hotline notes.

They are read as they were received. A chat or SMS export shows times in the exporting phone's
local time with no zone: which zone that is comes from who exported it, where (`provided_by`).
`lines()` splits an export into its time, sender and text, and keeps the time exactly as shown.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from osintlab.errors import UserError
from osintlab.i18n import _

if TYPE_CHECKING:
    import pandas

    from synthetic_data.bundle import Case

LIST_COLUMNS = ["export_id", "kind", "title", "provided_by", "received"]
LINE_COLUMNS = ["line", "shown", "sender", "text"]
_CHAT = re.compile(r"^\[(?P<shown>\d{2}/\d{2}/\d{4}, \d{2}:\d{2}:\d{2})\] (?P<sender>[^:]+): (?P<text>.*)$")
_SMS = re.compile(r"^(?P<shown>\d{2}-\d{2}-\d{4} \d{2}:\d{2})  From: (?P<sender>\S+)  (?P<text>.*)$")


@dataclass
class ExportText:
    """An export's text, shown with line numbers (a source is cited as export_id:line)."""

    export_id: str
    title: str
    provided_by: str
    text: str

    def __str__(self) -> str:
        numbered = "\n".join(f"{i:>3}  {line}" for i, line in enumerate(self.text.splitlines(), 1))
        return f"{self.title}\n{_('Provided by')}: {self.provided_by}\n\n{numbered}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td style='color:#777'>{i}</td><td style='text-align:left'>{html.escape(line)}</td></tr>"
                       for i, line in enumerate(self.text.splitlines(), 1))
        return (f"<p><b>{html.escape(self.title)}</b> ({html.escape(self.export_id)})<br>"
                f"{html.escape(_('Provided by'))}: {html.escape(self.provided_by)}</p><table>{rows}</table>")


class Exports:
    """The case's exported files."""

    def __init__(self, case: Case) -> None:
        self.case = case

    def list(self) -> pandas.DataFrame:
        import pandas

        rows = [{k: getattr(e, k) for k in LIST_COLUMNS} for e in self.case.exports]
        return pandas.DataFrame(rows, columns=LIST_COLUMNS)

    def read(self, export_id: str) -> ExportText:
        export = self.case.export_by_id.get(export_id.strip())
        if export is None:
            raise UserError(_("{export_id!r} is not an export of this case: take an id from exports.list().")
                            .format(export_id=export_id))
        return ExportText(export.export_id, export.title, export.provided_by, self.case.read_export(export.export_id))

    def lines(self, export_id: str) -> pandas.DataFrame:
        """One row per line of a chat or SMS export: line number, the time as shown, sender, text."""
        import pandas

        rows = []
        for number, line in enumerate(self.read(export_id).text.splitlines(), 1):
            match = _CHAT.match(line) or _SMS.match(line)
            if match:
                rows.append({"line": number, **match.groupdict()})
            else:
                rows.append({"line": number, "shown": None, "sender": None, "text": line})
        return pandas.DataFrame(rows, columns=LINE_COLUMNS)
