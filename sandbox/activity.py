"""The activity log: every footprint action on a case, and which of them were loud.

Passive collection looks at what is public and leaves no trace the subject can see. A **loud**
action is one the subject can notice: following, liking, commenting, messaging, calling, adding
a number to your contacts, joining a closed group, asking a site to reset a password, or
visiting a profile while logged in on a site that tells its owner who looked. The log keeps
both kinds (like a research log), so a lab can count the loud ones.

One log per case (by the case's folder), shared by every Sandbox opened on it in this kernel.

`Persona` is what a research persona can do while logged in. Each method does what the platform
would (and shows what it reveals), and writes a loud entry in the log.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osintlab.errors import UserError
from osintlab.i18n import N_, _

if TYPE_CHECKING:
    import pandas

    from synthetic_data.bundle import Case
    from synthetic_data.model import Account

COLUMNS = ["time", "action", "target", "platform", "loud", "why"]
# Actions a subject can notice, with why (shown in the log and in the lesson, translated when recorded).
LOUD = {
    "follow": N_("the owner is told that your account follows them"),
    "like": N_("the author sees your like"),
    "comment": N_("the author and everyone else see your comment"),
    "message": N_("the subject reads your message and knows someone is asking"),
    "call": N_("the phone rings and shows your number"),
    "add_contact": N_("the owner may see you among 'people you may know'"),
    "join_group": N_("the admin approves your request and members see you joined"),
    "reset_password": N_("the owner receives a password-reset e-mail or SMS"),
    "view_logged_in": N_("this site shows the owner who viewed their profile"),
}


@dataclass(frozen=True)
class Entry:
    time: str  # UTC, when the action was taken
    action: str
    target: str
    platform: str
    loud: bool
    why: str


class ActivityLog:
    """Append-only list of actions on one case."""

    def __init__(self) -> None:
        self._entries: list[Entry] = []

    def record(self, action: str, target: str, platform: str = "", *, loud: bool = False, why: str = "") -> Entry:
        entry = Entry(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), action, target, platform, loud, why)
        self._entries.append(entry)
        return entry

    def entries(self) -> list[dict[str, Any]]:
        """Every entry as plain dicts (what a lab's OPSEC check reads)."""
        return [asdict(e) for e in self._entries]

    def loud(self) -> list[dict[str, Any]]:
        """The loud entries only: what the subject could have noticed."""
        return [asdict(e) for e in self._entries if e.loud]

    def frame(self) -> pandas.DataFrame:
        import pandas

        return pandas.DataFrame(self.entries(), columns=COLUMNS)

    def __len__(self) -> int:
        return len(self._entries)

    def _repr_html_(self) -> str:
        loud = sum(e.loud for e in self._entries)
        head = _("{n} actions, {loud} of them loud").format(n=len(self._entries), loud=loud)
        return f"<p><b>{html.escape(head)}</b></p>" + self.frame().to_html(index=False)


_LOGS: dict[str, ActivityLog] = {}


def log_for(case_root: Path | str | None) -> ActivityLog:
    """The shared log of the case at `case_root` (one per folder and kernel)."""
    key = str(Path(case_root).resolve()) if case_root is not None else "(in memory)"
    return _LOGS.setdefault(key, ActivityLog())


@dataclass
class LoggedInView:
    """A profile as a logged-in persona sees it: the public fields plus members-only contact details."""

    account: Account
    hidden: dict[str, str]
    notified: bool

    def _repr_html_(self) -> str:
        rows = [(k, v) for k, v in self.account.to_dict().items() if v not in (None, "", [])]
        rows += [(_("{field} (members only)").format(field=k), v) for k, v in self.hidden.items()]
        body = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>" for k, v in rows)
        note = _("The owner was told that you looked.") if self.notified else ""
        return f"<p><b>{html.escape(self.account.url)}</b> {html.escape(note)}</p><table>{body}</table>"


class Persona:
    """What a logged-in research persona can do on the case's platforms. Every action is logged."""

    def __init__(self, case: Case, log: ActivityLog) -> None:
        self.case = case
        self.log = log

    def _account(self, ref: str) -> Account:
        from sandbox.lookup import Lookup

        return Lookup(self.case).account(ref)

    def _loud(self, action: str, target: str, platform: str = "") -> None:
        self.log.record(action, target, platform, loud=True, why=_(LOUD[action]))

    def view(self, ref: str) -> LoggedInView:
        """Open a profile while logged in: contact details for members appear, and on some sites
        (see the registry's notifies_viewers) the owner is told who looked."""
        from synthetic_data.footprint_data import site_options

        account = self._account(ref)
        hidden: dict[str, str] = {}
        for item in self.case.restricted:
            if item.target == account.account_id and item.kind == "contact":
                hidden.update({k: str(v) for k, v in item.data.items()})
        notified = bool(site_options(account.platform_id).get("notifies_viewers"))
        if notified:
            self._loud("view_logged_in", account.url, account.platform_id)
        else:
            self.log.record("view_logged_in", account.url, account.platform_id)
        return LoggedInView(account, hidden, notified)

    def follow(self, ref: str) -> str:
        account = self._account(ref)
        self._loud("follow", account.url, account.platform_id)
        return _("You now follow {name}. They were notified.").format(name=account.display_name)

    def like(self, url: str) -> str:
        self._loud("like", url)
        return _("You liked {url}. The author can see it.").format(url=url)

    def comment(self, url: str, text: str) -> str:
        self._loud("comment", url)
        return _("Your comment is posted under {url} for everyone to see.").format(url=url)

    def message(self, ref: str, text: str) -> str:
        account = self._account(ref)
        self._loud("message", account.url, account.platform_id)
        return _("Message sent to {name}. No reply yet.").format(name=account.display_name)

    def call(self, number: str) -> str:
        self._loud("call", number.strip())
        return _("The phone rang. Nobody answered, but your number is now in their call list.")

    def add_contact(self, number: str) -> str:
        self._loud("add_contact", number.strip())
        return _("{number} is now in the persona's contacts.").format(number=number.strip())

    def join_group(self, url: str) -> list[dict[str, Any]]:
        """Ask to join a closed group; once the admin accepts, its members-only posts appear."""
        page = next((p for p in self.case.pages if p.url.rstrip("/") == url.strip().rstrip("/")), None)
        if page is None or page.kind != "group":
            raise UserError(_("{url} is not a group of this case: copy a group's address from a search result.")
                            .format(url=url))
        self._loud("join_group", page.url)
        return [{"posted": r.posted, "text": r.text} for r in self.case.restricted
                if r.target == page.page_id and r.kind == "post"]

    def reset_password(self, email: str, platform: str) -> bool:
        """Ask a site's password-reset form whether an account uses this e-mail (as Holehe does).
        True when one does. The owner gets the reset e-mail."""
        from sandbox.footprint import canonical_email

        wanted = canonical_email(email)
        self._loud("reset_password", email.strip(), platform)
        for account in self.case.accounts:
            if account.platform_id != platform:
                continue
            emails = [account.email or ""] + [str(r.data.get("email", "")) for r in self.case.restricted
                                              if r.target == account.account_id]
            if any(e and canonical_email(e) == wanted for e in emails):
                return True
        return False
