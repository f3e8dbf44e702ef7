"""Check that every local link, anchor and asset in a built HTML tree resolves, offline."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ASSET_TAGS = {"link": "href", "script": "src", "img": "src"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        for key in ("id", "name") if tag == "a" else ("id",):
            if key in values:
                self.ids.add(values[key])
        attr = "href" if tag == "a" else ASSET_TAGS.get(tag)
        if attr and attr in values:
            self.links.append((tag, values[attr]))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def check_tree(root: Path, pattern: str = "*.html") -> list[str]:
    """Problems as 'file: message' lines for the pages matching `pattern`; empty when all resolve."""
    root = root.resolve()
    pages = {path: _parse(path) for path in sorted(root.rglob(pattern))}
    problems = []
    for path, page in pages.items():
        for tag, url in page.links:
            problem = _check(root, path, tag, url, pages)
            if problem:
                problems.append(f"{path.relative_to(root)}: {problem}")
    return problems


def _check(root: Path, path: Path, tag: str, url: str, pages: dict[Path, _Page]) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel", "data"):
        return None
    if parts.scheme or parts.netloc:
        # A link out is fine; an asset from the network would break an offline classroom.
        return None if tag == "a" else f"loads {url} from the network"
    target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
    if target.is_dir():
        target = target / "index.html"
    if not target.exists():
        return f"broken link {url} (no file {target})"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html":
        target_page = pages.get(target) or _parse(target)
        if fragment not in target_page.ids:
            return f"broken anchor {url} (no id {fragment!r})"
    return None
