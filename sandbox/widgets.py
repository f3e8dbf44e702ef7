"""Notebook widgets (ipywidgets): search box, profile viewer, image viewer with EXIF, capture button.

Each widget keeps its last result on a Python attribute (`results`, `profile`, `report`,
`entry`) and shows user mistakes in its `status` label instead of raising, so a trainee
clicking never sees a traceback; an error also clears the old results, so nothing on screen
belongs to a query that failed. Nothing links out: a result opens its page in place
(sandbox.reader). Handlers are plain methods, so tests drive them directly.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from osintlab.errors import UserError, sentence
from osintlab.i18n import _
from sandbox import reader

if TYPE_CHECKING:
    from sandbox.toolkit import Sandbox

ERROR_STYLE = "color:#a00;font-weight:bold;font-size:15px"


def error_html(exc: Exception) -> str:
    return f'<span style="{ERROR_STYLE}">{html.escape(sentence(exc))}</span>'


def _error(status: w.HTML, exc: Exception, *clear: w.HTML) -> None:
    """Show one sentence in `status` and empty the result areas `clear`."""
    status.value = error_html(exc)
    for widget in clear:
        widget.value = ""


class ResultRow(w.VBox):
    """One search hit: title, id, date and address as text, the snippet; "Read" opens the page
    below it, and "Add to answer" (when the widget picks pages for an answer) adds its id."""

    def __init__(self, sb: Sandbox, hit: Any, on_pick: Callable[[str], None] | None, pick_label: str) -> None:
        self.sb, self.hit = sb, hit
        esc = html.escape
        head = (f'<div style="line-height:1.45"><b style="font-size:15px">{hit.rank}. {esc(hit.title)}</b><br>'
                f'<span style="{reader.META}"><b>{esc(hit.page_id)}</b> &middot; {esc(hit.published[:10])}'
                f" &middot; {esc(hit.url)}</span><br>"
                f'<span style="font-size:14px">{hit.snippet_html}</span></div>')
        self.read = w.Button(description=_("Read"), icon="book-open", tooltip=_("Read this page here"),
                             layout=w.Layout(width="auto"))
        self.page = w.HTML()
        self.read.on_click(lambda _b: self.toggle())
        buttons: list[w.Widget] = [self.read]
        if on_pick is not None:
            self.pick = w.Button(description=pick_label, icon="plus", button_style="success",
                                 layout=w.Layout(width="auto"))
            self.pick.on_click(lambda _b: on_pick(hit.page_id))
            buttons.append(self.pick)
        super().__init__([w.HTML(head), w.HBox(buttons), self.page],
                         layout=w.Layout(margin="0 0 10px 0", border_bottom="1px solid #e3e5e8", padding="0 0 6px 0"))
        self.add_class("osintlab-result")

    def toggle(self) -> None:
        if self.page.value:
            self.page.value = ""
            self.read.description = _("Read")
            return
        page = self.sb.case.page_by_id.get(self.hit.page_id)
        self.page.value = reader.page_html(page) if page is not None else ""
        self.read.description = _("Close")


class SearchWidget(w.VBox):
    """A query box, Search button, paging, and the result list with highlighted terms, page ids
    and a Read button per result. With `on_pick`, each result also gets an "Add to answer" button."""

    def __init__(self, sb: Sandbox, per_page: int = 10, *, on_pick: Callable[[str], None] | None = None,
                 pick_label: str | None = None, placeholder: str | None = None) -> None:
        self.sb = sb
        self.per_page = per_page
        self.on_pick = on_pick
        self.pick_label = pick_label or _("Add to answer")
        self.query = w.Text(placeholder=placeholder or _('e.g. "work * visa" site:jobs.example'),
                            continuous_update=False, layout=w.Layout(width="60%"))
        self.button = w.Button(description=_("Search"), button_style="primary", icon="search")
        self.prev = w.Button(description=_("< Previous"), disabled=True)
        self.next = w.Button(description=_("Next >"), disabled=True)
        self.status = w.HTML()
        self.summary = w.HTML()
        self.rows = w.VBox()
        self.results: Any = None
        self.page = 1
        self._last_run = (0.0, "")
        self.query.observe(lambda c: self.run(1) if c["new"].strip() else None, names="value")  # Enter searches
        self.button.on_click(lambda _b: self._clicked())
        self.prev.on_click(lambda _b: self.run(self.page - 1))
        self.next.on_click(lambda _b: self.run(self.page + 1))
        super().__init__([w.HBox([self.query, self.button]), self.status, self.summary, self.rows,
                          w.HBox([self.prev, self.next])])

    def _clicked(self) -> None:
        at, query = self._last_run
        if query == self.query.value and time.monotonic() - at < 1.0:
            return  # leaving the box already ran this query
        self.run(1)

    def run(self, page: int = 1) -> None:
        self._last_run = (time.monotonic(), self.query.value)
        try:
            results = self.sb.search(self.query.value, page=page, per_page=self.per_page)
        except UserError as exc:  # QueryError is a UserError: one sentence, old results cleared
            self.results = None
            _error(self.status, exc, self.summary)
            self.rows.children = ()
            self.prev.disabled = self.next.disabled = True
            return
        self.results, self.page = results, page
        self.status.value = ""
        hint = _("Press Read to open a page here.") if results.hits else ""
        self.summary.value = (f"<p><b>{html.escape(results.query)}</b>: {html.escape(results.summary())} "
                              f'<span style="{reader.META}">{html.escape(hint)}</span></p>{reader.notes_html(results)}')
        self.rows.children = tuple(ResultRow(self.sb, hit, self.on_pick, self.pick_label) for hit in results.hits)
        self.prev.disabled = page <= 1
        self.next.disabled = page >= results.pages


class ProfileViewer(w.VBox):
    """Pick a platform and type a username: the profile, its posts (each opens in place) and its
    connections."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        ids = [p.platform_id for p in sb.case.platforms]
        self.platform = w.Dropdown(options=[(_("(any)"), "(any)"), *[(i, i) for i in ids]], value="(any)",
                                   description=_("Platform"))
        self.username = w.Text(placeholder=_("username or profile address"), description=_("Account"))
        self.button = w.Button(description=_("Open profile"), button_style="primary")
        self.status = w.HTML()
        self.output = w.HTML()
        self.profile: Any = None
        self.capture = CaptureButton(sb)  # its target follows the profile on show
        self.button.on_click(lambda _b: self.show())
        super().__init__([w.HBox([self.platform, self.username, self.button]), self.status, self.output,
                          self.capture])

    def show(self) -> None:
        platform = None if self.platform.value == "(any)" else self.platform.value
        try:
            profile = self.sb.lookup.profile(self.username.value, platform)
        except UserError as exc:
            self.profile = None
            _error(self.status, exc, self.output)
            return
        self.profile = profile
        account = profile.account
        self.capture.target.value = account.account_id
        followers = self.sb.lookup.followers(account.account_id)
        following = self.sb.lookup.following(account.account_id)
        self.status.value = html.escape(_("{url}: {posts} posts, {followers} followers, following {following}").format(
            url=account.url, posts=len(profile.posts), followers=len(followers), following=len(following)))
        posts = sorted((p for p in self.sb.case.pages if p.author == account.account_id and p.status == "live"),
                       key=lambda p: p.published)
        self.output.value = reader.account_html(account, posts, profile.platform.name)


class ImageViewer(w.VBox):
    """Choose an image: see it, its EXIF (or 'metadata stripped'), and similar images."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        ids = [i.image_id for i in sb.case.images]
        self.choice = w.Dropdown(options=ids, value=ids[0] if ids else None, description=_("Image"))
        self.button = w.Button(description=_("Show"), button_style="primary")
        self.similar = w.Button(description=_("Reverse search"))
        self.picture = w.Image(format="jpeg", layout=w.Layout(max_width="420px"))
        self.status = w.HTML()
        self.output = w.HTML()
        self.report: Any = None
        self.matches: Any = None
        self.capture = CaptureButton(sb)  # its target follows the image on show
        self.button.on_click(lambda _b: self.show())
        self.similar.on_click(lambda _b: self.reverse())
        super().__init__([w.HBox([self.choice, self.button, self.similar]), self.picture, self.status, self.output,
                          self.capture])

    def show(self) -> None:
        try:
            self.report = self.sb.images.exif(self.choice.value)
            self.picture.value = self.sb.case.read_image(self.choice.value)
        except UserError as exc:
            self.report = None
            self.picture.value = b""
            _error(self.status, exc, self.output)
            return
        self.capture.target.value = self.choice.value
        self.status.value = html.escape(self.report.summary)
        self.output.value = self.report.frame().to_html(index=False, na_rep="")

    def reverse(self) -> None:
        try:
            self.matches = self.sb.images.reverse_search(self.choice.value)
        except UserError as exc:
            self.matches = None
            _error(self.status, exc, self.output)
            return
        self.status.value = html.escape(_("{n} similar images").format(n=len(self.matches)))
        self.output.value = self.matches.to_html(index=False, na_rep="")


class CaptureButton(w.VBox):
    """Capture an address, page, profile or image into the evidence log with analyst and note."""

    def __init__(self, sb: Sandbox, target: str = "") -> None:
        self.sb = sb
        self.target = w.Text(value=target, placeholder=_("address, page id, account id or image id"),
                             description=_("Capture"))
        self.analyst = w.Text(value=sb.analyst or "", description=_("Analyst"))
        self.note = w.Textarea(placeholder=_("why this matters"), description=_("Note"))
        self.button = w.Button(description=_("Capture"), button_style="danger", icon="camera")
        self.status = w.HTML()
        self.entry: dict[str, Any] | None = None
        self.button.on_click(lambda _b: self.capture())
        super().__init__([self.target, self.analyst, self.note, self.button, self.status])

    def capture(self) -> None:
        try:
            entry = self.sb.capture(self.target.value.strip(), self.note.value, analyst=self.analyst.value)
        except UserError as exc:
            self.entry = None
            _error(self.status, exc)
            return
        self.entry = entry
        self.status.value = html.escape(_("Captured {item} at {time}, SHA-256 {sha}").format(
            item=entry["item_id"], time=entry["time"], sha=entry["sha256"]))


class Widgets:
    """Factory of widgets bound to one sandbox: `sb.widgets.search()` etc."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb

    def search(self, per_page: int = 10, *, on_pick: Callable[[str], None] | None = None) -> SearchWidget:
        return SearchWidget(self.sb, per_page, on_pick=on_pick)

    def profile(self) -> ProfileViewer:
        return ProfileViewer(self.sb)

    def image(self) -> ImageViewer:
        return ImageViewer(self.sb)

    def capture(self, target: str = "") -> CaptureButton:
        return CaptureButton(self.sb, target)

    def dashboard(self) -> w.Tab:
        """All four tools in tabs, for working by clicking."""
        tab = w.Tab(children=[self.search(), self.profile(), self.image(), self.capture()])
        tab.titles = (_("Search"), _("Profiles"), _("Images"), _("Capture"))
        return tab
