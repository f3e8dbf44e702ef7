"""Reading in place: pages, archived captures, profiles, images and search results shown inside the
notebook as HTML, never as links out.

The case's web addresses are invented (`.example`), so a link would open a dead site in a new
tab and make the trainee's machine look the name up on the network. Every view here shows the
address as text, and a search result opens its page below itself (an HTML `<details>` element:
no JavaScript, no kernel, so it also works in a saved or printed notebook).

`resolve(case, ref)` finds what an id or a URL names, whatever form a trainee pastes it in:
with or without `https://` or `www.`, a trailing slash, a `#fragment` or `?query`.
"""

from __future__ import annotations

import base64
import html
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osintlab.errors import UserError, defang
from osintlab.i18n import _

if TYPE_CHECKING:
    from synthetic_data.bundle import Case
    from synthetic_data.model import Account, Capture, Image, Page

CARD = ("border:1px solid #c8ccd0;border-radius:6px;padding:0.6em 1em;margin:0.4em 0;max-width:62em;"
        "font-size:15px;line-height:1.5;background:#fff;color:#1a1a1a")
META = "color:#4a4f55;font-size:13px"
BODY = "white-space:pre-wrap;overflow-wrap:break-word;margin:0.3em 0 0"
KIND_NAMES = {"job_ad": "job ad", "post": "post", "comment": "comment", "profile": "profile", "forum_thread": "forum",
              "listing": "listing", "registry": "register entry", "whois": "WHOIS record", "news": "news",
              "web": "web page"}


def esc(text: Any) -> str:
    return html.escape("" if text is None else str(text))


def url_key(url: str) -> str:
    """An address reduced to what identifies a page: no scheme, no www., no #fragment, no
    ?query, no trailing slash, host in lower case."""
    text = url.strip().split("#", 1)[0].split("?", 1)[0]
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text, flags=re.IGNORECASE)
    host, _slash, path = text.partition("/")
    host = host.lower().removeprefix("www.")
    return f"{host}/{path}".rstrip("/")


# ---------------------------------------------------------------- cases open in this kernel

_roots: list[Path] = []


def remember(case_root: Path | str) -> None:
    """Note a case opened in this kernel, so a search result displayed later can open its page."""
    root = Path(case_root).resolve()
    if root not in _roots:
        _roots.append(root)


@cache
def _load(root: Path) -> Case:
    from synthetic_data.bundle import load_case

    return load_case(root)


def page_in_open_cases(page_id: str) -> Page | None:
    for root in _roots:
        page = _load(root).page_by_id.get(page_id)
        if page is not None:
            return page
    return None


# ---------------------------------------------------------------- finding what a reference names


def resolve(case: Case, ref: str) -> Page | Capture | Account | Image:
    """The page, archived capture, account or image that `ref` (an id or an address) names.

    A live page wins over an archived copy of the same address. Raises UserError (one
    sentence) when nothing in the case matches."""
    if not isinstance(ref, str) or not ref.strip():
        raise UserError(_("give a page id (pg-...), an address, an account id or an image id in quotes."))
    ref = ref.strip().strip("\"'<>")
    for table in (case.page_by_id, case.account_by_id, case.image_by_id):
        if ref in table:
            return table[ref]
    capture = next((c for c in case.archive if c.capture_id == ref), None)
    if capture is not None:
        return capture
    key = url_key(ref)
    if "/" in key or "." in key:
        live = [p for p in case.pages if p.status == "live" and url_key(p.url) == key]
        if live:
            return live[0]
        accounts = [a for a in case.accounts if url_key(a.url) == key]
        if accounts:
            return accounts[0]
        # the last readable capture, as archive.recover gives it (else the last one: a 404 notice)
        archived = sorted((c for c in case.archive if url_key(c.url) == key),
                          key=lambda c: (c.http_status == 200, c.captured))
        if archived:
            return archived[-1]
    raise UserError(_("nothing in this case has the id or address {ref}: copy it from a search result "
                      "or a table above.").format(ref=repr(defang(ref))))


# ---------------------------------------------------------------- views


def _meta(*parts: str) -> str:
    return f'<div style="{META}">' + " &middot; ".join(p for p in parts if p) + "</div>"


def page_html(page: Page, *, heading: bool = True) -> str:
    """One page as a reader card: id, kind, date, address (as text), title and full text."""
    kind = KIND_NAMES.get(page.kind, page.kind)
    meta = _meta(f"<b>{esc(page.page_id)}</b>", esc(kind), _("published {date}").format(date=esc(page.published[:10])),
                 f"<span>{esc(page.url)}</span>",
                 _("deleted: only in the archive") if page.status != "live" else "")
    title = f'<div style="font-weight:bold;font-size:16px;margin-top:0.2em">{esc(page.title)}</div>' if heading else ""
    return f'<div class="osintlab-reader" style="{CARD}">{meta}{title}<div style="{BODY}">{esc(page.text)}</div></div>'


def capture_html(capture: Capture) -> str:
    meta = _meta(f"<b>{esc(capture.capture_id)}</b>", _("archived copy"),
                 _("captured {date}").format(date=esc(capture.captured[:16].replace("T", " "))),
                 f"HTTP {capture.http_status}", f"<span>{esc(capture.url)}</span>")
    return (f'<div class="osintlab-reader" style="{CARD}">{meta}'
            f'<div style="font-weight:bold;font-size:16px;margin-top:0.2em">{esc(capture.title)}</div>'
            f'<div style="{BODY}">{esc(capture.text)}</div></div>')


def account_html(account: Account, posts: list[Page] | None = None, platform_name: str = "") -> str:
    """A profile: its public fields (empty ones left out) and its posts, each opening in place."""
    fields = [(_("name"), account.display_name), (_("platform"), platform_name or account.platform_id),
              (_("address"), account.url), (_("created"), account.created[:10]), (_("bio"), account.bio),
              (_("location"), account.location), (_("phone"), account.phone), (_("e-mail"), account.email),
              (_("website"), account.website), (_("followers"), str(len(account.followers))),
              (_("following"), str(len(account.following))),
              (_("status"), account.status if account.status != "active" else "")]
    rows = "".join(f'<tr><th style="text-align:left;padding-right:1em">{esc(k)}</th>'
                   f'<td style="text-align:left">{esc(v)}</td></tr>' for k, v in fields if v)
    meta = _meta(f"<b>{esc(account.account_id)}</b>", f"@{esc(account.username)}")
    out = f'<div class="osintlab-reader" style="{CARD}">{meta}<table>{rows}</table>'
    if posts:
        out += f"<div style='margin-top:0.5em;font-weight:bold'>{esc(_('Posts'))} ({len(posts)})</div>"
        out += "".join(details_html(p) for p in posts)
    return out + "</div>"


def image_html(image: Image, data: bytes | None) -> str:
    meta = _meta(f"<b>{esc(image.image_id)}</b>", f"{image.width} x {image.height} px", esc(image.file))
    picture = ""
    if data:
        encoded = base64.b64encode(data).decode("ascii")  # inline: the picture is never fetched
        picture = (f'<img alt="{esc(image.image_id)}" style="max-width:420px;display:block;margin-top:0.4em" '
                   f'src="data:image/jpeg;base64,{encoded}">')
    return f'<div class="osintlab-reader" style="{CARD}">{meta}{picture}</div>'


def item_html(case: Case, item: Any) -> str:
    """The reader card of whatever `resolve` returned."""
    from synthetic_data.model import Account, Capture, Image, Page

    if isinstance(item, Page):
        return page_html(item)
    if isinstance(item, Capture):
        return capture_html(item)
    if isinstance(item, Account):
        posts = sorted((p for p in case.pages if p.author == item.account_id and p.status == "live"),
                       key=lambda p: p.published)
        platform = next((p.name for p in case.platforms if p.platform_id == item.platform_id), "")
        return account_html(item, posts, platform)
    if isinstance(item, Image):
        return image_html(item, case.read_image(item.image_id))
    raise TypeError(f"no reader view for {type(item).__name__}")


def details_html(page: Page, summary: str | None = None) -> str:
    """A page that opens below its title when clicked."""
    head = summary or (f"<b>{esc(page.title)}</b> <span style='{META}'>{esc(page.page_id)} &middot; "
                       f"{esc(page.published[:10])}</span>")
    return (f'<details style="margin:0.25em 0"><summary style="cursor:pointer">{head}</summary>'
            f"{page_html(page, heading=False)}</details>")


def results_html(results: Any) -> str:
    """Search results: each hit shows its id, date and address as text, and opens its page in
    place when clicked."""
    rows = []
    for hit in results.hits:
        head = (f'<b style="font-size:15px">{esc(hit.title)}</b><br>'
                f'<span style="{META}"><b>{esc(hit.page_id)}</b> &middot; {esc(hit.published[:10])} &middot; '
                f"<span>{esc(hit.url)}</span></span><br>"
                f'<span style="font-size:14px">{hit.snippet_html}</span>')
        page = page_in_open_cases(hit.page_id)
        if page is None:
            rows.append(f'<li value="{hit.rank}" style="margin:0.4em 0">{head}</li>')
        else:
            rows.append(f'<li value="{hit.rank}" style="margin:0.4em 0"><details><summary style="cursor:pointer">'
                        f"{head}</summary>{page_html(page)}</details></li>")
    hint = _("Click a result to read the page here.") if results.hits else ""
    return (f'<div class="osintlab-search"><p><b>{esc(results.query)}</b>: {esc(results.summary())} '
            f'<span style="{META}">{esc(hint)}</span></p>{notes_html(results)}<ol>{"".join(rows)}</ol></div>')


def notes_html(results: Any) -> str:
    """What the engine repaired or ignored in the query ("did you mean ..."), one line each."""
    return "".join(f'<p class="osintlab-note" style="color:#8a5300;margin:0.2em 0">{esc(_("Note:"))} {esc(n)}</p>'
                   for n in getattr(results, "notes", []))


def results_text(results: Any) -> str:
    """The same results as plain text (addresses without their scheme: consoles link them)."""
    lines = [f"{results.query}: {results.summary()}"]
    lines += [f"Note: {defang(n)}" for n in getattr(results, "notes", [])]
    for hit in results.hits:
        lines += [f"{hit.rank:>3}. {hit.page_id}  {hit.published[:10]}  {defang(hit.title)}",
                  f"     {defang(hit.url)}", f"     {defang(hit.snippet)}"]
    return "\n".join(lines)


class Reader:
    """What `lab.page(...)` and `sb.open(...)` return: shows the item's reader card in a notebook."""

    def __init__(self, case: Case, item: Any) -> None:
        self.case, self.item = case, item

    def _repr_html_(self) -> str:
        return item_html(self.case, self.item)

    def __repr__(self) -> str:
        item = self.item
        ident = getattr(item, "page_id", None) or getattr(item, "capture_id", None) or \
            getattr(item, "account_id", None) or getattr(item, "image_id", "")
        text = getattr(item, "text", None) or getattr(item, "bio", "") or ""
        url = defang(getattr(item, "url", "") or "")
        title = getattr(item, "title", None) or getattr(item, "display_name", "") or ""
        return defang("\n".join(x for x in (f"{ident}  {url}", title, text) if x))
