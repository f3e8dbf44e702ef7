"""Notebook widgets (ipywidgets): search box, profile viewer, image viewer with EXIF, capture button.

Each widget keeps its last result on a Python attribute (`results`, `profile`, `report`,
`entry`) and shows user mistakes in its `status` label instead of raising, so a trainee
clicking never sees a traceback. Handlers are plain methods, so tests drive them directly.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from osintlab.errors import UserError

if TYPE_CHECKING:
    from sandbox.toolkit import Sandbox


def _error(status: w.HTML, exc: Exception) -> None:
    status.value = f'<span style="color:#b00">{html.escape(str(exc))}</span>'


class SearchWidget(w.VBox):
    """A query box, Search button, paging, and the result list with highlighted terms."""

    def __init__(self, sb: Sandbox, per_page: int = 10) -> None:
        self.sb = sb
        self.per_page = per_page
        self.query = w.Text(placeholder='e.g. "work * visa" site:jobs.example', layout=w.Layout(width="60%"))
        self.button = w.Button(description="Search", button_style="primary")
        self.prev = w.Button(description="< Previous", disabled=True)
        self.next = w.Button(description="Next >", disabled=True)
        self.status = w.HTML()
        self.output = w.HTML()
        self.results: Any = None
        self.page = 1
        self.button.on_click(lambda _: self.run(1))
        self.prev.on_click(lambda _: self.run(self.page - 1))
        self.next.on_click(lambda _: self.run(self.page + 1))
        super().__init__([w.HBox([self.query, self.button]), self.status, self.output, w.HBox([self.prev, self.next])])

    def run(self, page: int = 1) -> None:
        try:
            results = self.sb.search(self.query.value, page=page, per_page=self.per_page)
        except UserError as exc:  # QueryError is a UserError: show it, keep the old results
            _error(self.status, exc)
            return
        self.results, self.page = results, page
        self.status.value = ""  # the results' own HTML starts with the count and timing
        self.output.value = results._repr_html_()
        self.prev.disabled = page <= 1
        self.next.disabled = page >= results.pages


class ProfileViewer(w.VBox):
    """Pick a platform and type a username: the profile, its posts and its connections."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        ids = [p.platform_id for p in sb.case.platforms]
        self.platform = w.Dropdown(options=["(any)", *ids], value="(any)", description="Platform")
        self.username = w.Text(placeholder="username or profile URL", description="Account")
        self.button = w.Button(description="Open profile", button_style="primary")
        self.status = w.HTML()
        self.output = w.HTML()
        self.profile: Any = None
        self.capture = CaptureButton(sb)  # its target follows the profile on show
        self.button.on_click(lambda _: self.show())
        super().__init__([w.HBox([self.platform, self.username, self.button]), self.status, self.output,
                          self.capture])

    def show(self) -> None:
        platform = None if self.platform.value == "(any)" else self.platform.value
        try:
            profile = self.sb.lookup.profile(self.username.value, platform)
        except UserError as exc:
            _error(self.status, exc)
            return
        self.profile = profile
        self.capture.target.value = profile.account.account_id
        followers = self.sb.lookup.followers(profile.account.account_id)
        following = self.sb.lookup.following(profile.account.account_id)
        self.status.value = html.escape(f"{profile.account.url}: {len(profile.posts)} posts, "
                                        f"{len(followers)} followers, following {len(following)}")
        posts = profile.posts[["published", "kind", "title", "url"]].to_html(index=False)
        self.output.value = profile._repr_html_() + "<h5>Posts</h5>" + posts


class ImageViewer(w.VBox):
    """Choose an image: see it, its EXIF (or 'metadata stripped'), and similar images."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        ids = [i.image_id for i in sb.case.images]
        self.choice = w.Dropdown(options=ids, value=ids[0] if ids else None, description="Image")
        self.button = w.Button(description="Show", button_style="primary")
        self.similar = w.Button(description="Reverse search")
        self.picture = w.Image(format="jpeg", layout=w.Layout(max_width="420px"))
        self.status = w.HTML()
        self.output = w.HTML()
        self.report: Any = None
        self.matches: Any = None
        self.capture = CaptureButton(sb)  # its target follows the image on show
        self.button.on_click(lambda _: self.show())
        self.similar.on_click(lambda _: self.reverse())
        super().__init__([w.HBox([self.choice, self.button, self.similar]), self.picture, self.status, self.output,
                          self.capture])

    def show(self) -> None:
        try:
            self.report = self.sb.images.exif(self.choice.value)
            self.picture.value = self.sb.case.read_image(self.choice.value)
        except UserError as exc:
            _error(self.status, exc)
            return
        self.capture.target.value = self.choice.value
        self.status.value = html.escape(self.report.summary)
        self.output.value = self.report.frame().to_html(index=False)

    def reverse(self) -> None:
        try:
            self.matches = self.sb.images.reverse_search(self.choice.value)
        except UserError as exc:
            _error(self.status, exc)
            return
        self.status.value = html.escape(f"{len(self.matches)} similar images")
        self.output.value = self.matches.to_html(index=False)


class CaptureButton(w.VBox):
    """Capture a URL, page, profile or image into the evidence log with analyst and note."""

    def __init__(self, sb: Sandbox, target: str = "") -> None:
        self.sb = sb
        self.target = w.Text(value=target, placeholder="URL, page_id, account_id or image_id", description="Capture")
        self.analyst = w.Text(value=sb.analyst or "", description="Analyst")
        self.note = w.Textarea(placeholder="why this matters", description="Note")
        self.button = w.Button(description="Capture", button_style="danger", icon="camera")
        self.status = w.HTML()
        self.entry: dict[str, Any] | None = None
        self.button.on_click(lambda _: self.capture())
        super().__init__([self.target, self.analyst, self.note, self.button, self.status])

    def capture(self) -> None:
        try:
            entry = self.sb.capture(self.target.value.strip(), self.note.value, analyst=self.analyst.value)
        except UserError as exc:
            _error(self.status, exc)
            return
        self.entry = entry
        self.status.value = html.escape(f"Captured {entry['item_id']} at {entry['time']}, SHA-256 {entry['sha256']}")


class Widgets:
    """Factory of widgets bound to one sandbox: `sb.widgets.search()` etc."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb

    def search(self, per_page: int = 10) -> SearchWidget:
        return SearchWidget(self.sb, per_page)

    def profile(self) -> ProfileViewer:
        return ProfileViewer(self.sb)

    def image(self) -> ImageViewer:
        return ImageViewer(self.sb)

    def capture(self, target: str = "") -> CaptureButton:
        return CaptureButton(self.sb, target)

    def dashboard(self) -> w.Tab:
        """All four tools in tabs, for working by clicking."""
        tab = w.Tab(children=[self.search(), self.profile(), self.image(), self.capture()])
        tab.titles = ("Search", "Profiles", "Images", "Capture")
        return tab
