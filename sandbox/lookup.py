"""Platform and identifier lookups over a case world, as real platforms and registries allow.

Username sweep (like WhatsMyName / Sherlock), profiles, followers, an account's posts,
reverse phone and e-mail lookups (only what profiles and WHOIS records list publicly),
WHOIS by domain and the company registry. Every call returns a pandas DataFrame with
stable columns, empty (never an error) when nothing matches.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from osintlab.errors import UserError
from osintlab.i18n import _
from synthetic_data.model import Account, Page, Platform

if TYPE_CHECKING:
    import pandas

    from synthetic_data.bundle import Case

SWEEP_COLUMNS = ["platform", "platform_name", "username", "match", "found", "url", "account_id", "display_name",
                 "status"]
ACCOUNT_COLUMNS = ["platform", "username", "display_name", "url", "account_id", "status", "created", "location"]
POST_COLUMNS = ["published", "kind", "title", "text", "url", "page_id", "images", "reply_to"]
REVERSE_COLUMNS = ["source", "platform", "username", "display_name", "url", "account_id", "field", "value"]
WHOIS_COLUMNS = ["domain", "registrar", "created", "expires", "registrant_name", "registrant_email",
                 "registrant_phone", "name_servers", "ip", "url", "page_id"]
REGISTRY_COLUMNS = ["company", "registration", "registered", "status", "address", "directors", "activity",
                    "licence", "url", "page_id"]

# Look-alike characters people swap into handles (l33t, $ for s).
_SUBSTITUTIONS = str.maketrans({"0": "o", "1": "l", "!": "l", "|": "l", "3": "e", "4": "a", "@": "a", "5": "s",
                                "$": "s", "7": "t", "8": "b", "9": "g", "i": "l"})
_SEPARATORS = re.compile(r"[._\-\s]+")
_TRAILING_DIGITS = re.compile(r"\d+$")
_USERNAME = re.compile(r"^[\w.\-@$!|]{1,64}$")


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pandas.DataFrame:
    import pandas

    return pandas.DataFrame(rows, columns=columns)


def fold(text: str) -> str:
    """Lower case without accents, so "Enkhjin" and "énkhjin" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# ---------------------------------------------------------------- username variants


def _edit_distance_one(a: str, b: str) -> bool:
    """True when one insertion, deletion or substitution turns a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :] if len(a) < len(b) else a[i + 1 :] == b[i + 1 :]


# Rules in the order they are reported: the first that relates two names names the match.
_RULES: list[tuple[str, Callable[[str], str]]] = [
    ("case", lambda s: s.casefold()),
    ("separators", lambda s: _SEPARATORS.sub("", s.casefold())),
    ("trailing digits", lambda s: _TRAILING_DIGITS.sub("", _SEPARATORS.sub("", s.casefold())) or s.casefold()),
    ("substitution", lambda s: _SEPARATORS.sub("", s.casefold()).translate(_SUBSTITUTIONS)),
]


def variant_rule(query: str, candidate: str) -> str | None:
    """How `candidate` is a near-variant of `query` ("exact", a rule name), or None."""
    if query == candidate:
        return "exact"
    for name, key in _RULES:
        if key(query) == key(candidate):
            return name
    if _edit_distance_one(query.casefold(), candidate.casefold()):
        return "edit distance 1"
    return None


# ---------------------------------------------------------------- profiles


@dataclass
class Profile:
    """One account as its profile page shows it, with its live posts."""

    account: Account
    platform: Platform
    posts: pandas.DataFrame

    def frame(self) -> pandas.DataFrame:
        """The profile as field / value rows (lists joined for reading)."""
        rows = [{"field": k, "value": ", ".join(v) if isinstance(v, list) else v}
                for k, v in self.account.to_dict().items()]
        rows.insert(1, {"field": "platform_name", "value": self.platform.name})
        return _frame(rows, ["field", "value"])

    def to_json(self) -> bytes:
        """The exact bytes the evidence log stores for a captured profile."""
        return json.dumps(self.account.to_dict(), ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")

    def _repr_html_(self) -> str:
        head = f"<h4>{self.account.display_name} (@{self.account.username} on {self.platform.name})</h4>"
        return head + self.frame().to_html(index=False) + f"<p>{len(self.posts)} posts</p>"


class Lookup:
    """Lookups over one case world's platforms, accounts and registry/WHOIS pages."""

    def __init__(self, case: Case) -> None:
        self.case = case

    # ------------------------------------------------------------ indexes

    @cached_property
    def _regions(self) -> list[str]:
        """The case's countries (origin first): where a local-format number is tried."""
        countries = self.case.manifest.get("countries") or ["MN"]
        values = countries.values() if isinstance(countries, dict) else countries
        return list(dict.fromkeys(str(c).upper() for c in values))

    @cached_property
    def _posts_by_author(self) -> dict[str, list[Page]]:
        out: dict[str, list[Page]] = {}
        for page in self.case.pages:
            if page.author and page.status == "live" and page.kind != "profile":
                out.setdefault(page.author, []).append(page)
        return out

    def _pages_of_kind(self, kind: str) -> list[Page]:
        return [p for p in self.case.pages if p.kind == kind and p.status == "live"]

    def _platform(self, platform: str) -> Platform:
        wanted = fold(platform)
        for p in self.case.platforms:
            if wanted in (fold(p.platform_id), fold(p.name), fold(p.domain)):
                return p
        names = ", ".join(p.platform_id for p in self.case.platforms)
        raise UserError(_("platform {platform} is not in this case: use one of {names}.").format(
            platform=repr(platform), names=names))

    # ------------------------------------------------------------ username sweep

    def username(self, name: str, *, variants: bool = True) -> pandas.DataFrame:
        """Check `name` on every platform: one found / not-found row each, then near-variants."""
        name = name.strip().lstrip("@")
        if not _USERNAME.match(name):
            raise UserError(_("username {name} is not a handle: use letters, digits and . _ - only, no spaces.").format(
                name=repr(name)))
        rows: list[dict[str, Any]] = []
        for platform in self.case.platforms:
            hit = next((a for a in self.case.accounts if a.platform_id == platform.platform_id and a.username == name),
                       None)
            rows.append(self._sweep_row(platform, name, "exact", hit))
        if variants:
            for account in self.case.accounts:
                rule = variant_rule(name, account.username)
                if rule and rule != "exact":
                    rows.append(self._sweep_row(self.case.platform_by_id[account.platform_id], account.username,
                                                rule, account))
        return _frame(rows, SWEEP_COLUMNS)

    @staticmethod
    def _sweep_row(platform: Platform, username: str, match: str, account: Account | None) -> dict[str, Any]:
        return {
            "platform": platform.platform_id, "platform_name": platform.name, "username": username,
            "match": match, "found": account is not None,
            "url": account.url if account else platform.profile_url.format(username=username),
            "account_id": account.account_id if account else None,
            "display_name": account.display_name if account else None,
            "status": account.status if account else "not found",
        }

    # ------------------------------------------------------------ profiles and networks

    def account(self, ref: str, platform: str | None = None) -> Account:
        """An account by id, profile URL, or username (with `platform` if the name is on several)."""
        ref = ref.strip().lstrip("@")
        if ref in self.case.account_by_id:
            return self.case.account_by_id[ref]
        by_url = [a for a in self.case.accounts if a.url.rstrip("/") == ref.rstrip("/")]
        if by_url:
            return by_url[0]
        matches = [a for a in self.case.accounts if a.username == ref]
        if platform is not None:
            pid = self._platform(platform).platform_id
            matches = [a for a in matches if a.platform_id == pid]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            if platform:
                raise UserError(_("no account {ref} on {platform}: check the spelling or run lookup.username() to "
                                  "sweep all platforms.").format(ref=repr(ref), platform=platform))
            raise UserError(_("no account {ref}: check the spelling or run lookup.username() to sweep all "
                              "platforms.").format(ref=repr(ref)))
        where = ", ".join(a.platform_id for a in matches)
        raise UserError(_("username {ref} exists on several platforms ({where}): pass platform=... "
                          "to choose one.").format(
            ref=repr(ref), where=where))

    def profile(self, ref: str, platform: str | None = None) -> Profile:
        account = self.account(ref, platform)
        return Profile(account, self.case.platform_by_id[account.platform_id], self.posts(account.account_id))

    def posts(self, ref: str, platform: str | None = None) -> pandas.DataFrame:
        """The account's live posts, comments and ads, oldest first."""
        account = self.account(ref, platform)
        pages = sorted(self._posts_by_author.get(account.account_id, []), key=lambda p: p.published)
        rows = [{"published": p.published, "kind": p.kind, "title": p.title, "text": p.text, "url": p.url,
                 "page_id": p.page_id, "images": list(p.images), "reply_to": p.reply_to} for p in pages]
        return _frame(rows, POST_COLUMNS)

    def _accounts_frame(self, ids: list[str]) -> pandas.DataFrame:
        rows = []
        for account_id in ids:
            a = self.case.account_by_id.get(account_id)
            if a is not None:
                rows.append({"platform": a.platform_id, "username": a.username, "display_name": a.display_name,
                             "url": a.url, "account_id": a.account_id, "status": a.status, "created": a.created,
                             "location": a.location})
        return _frame(rows, ACCOUNT_COLUMNS)

    def followers(self, ref: str, platform: str | None = None) -> pandas.DataFrame:
        return self._accounts_frame(self.account(ref, platform).followers)

    def following(self, ref: str, platform: str | None = None) -> pandas.DataFrame:
        return self._accounts_frame(self.account(ref, platform).following)

    def friends(self, ref: str, platform: str | None = None) -> pandas.DataFrame:
        """Mutual connections: accounts that both follow and are followed by this one."""
        account = self.account(ref, platform)
        followed = set(account.following)
        return self._accounts_frame([a for a in account.followers if a in followed])

    # ------------------------------------------------------------ reverse lookups

    def normalise_phone(self, number: str, region: str | None = None) -> str:
        """E.164 form of a phone in international or local format (local: tried in `region` or the case's countries)."""
        import phonenumbers

        regions = [region.upper()] if region else self._regions
        for code in regions:
            try:
                parsed = phonenumbers.parse(number, code)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_possible_number(parsed):
                return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        raise UserError(_("phone {number} is not a possible number for {names}: write it as +<country code><number>"
                          " or in the local format.").format(
            number=repr(number), names='/'.join(regions)))

    def by_phone(self, number: str, region: str | None = None) -> pandas.DataFrame:
        """Accounts and WHOIS records that list this phone publicly."""
        e164 = self.normalise_phone(number, region)
        rows = [self._reverse_account_row(a, "phone", a.phone) for a in self.case.accounts if a.phone == e164]
        for page in self._pages_of_kind("whois"):
            listed = str(page.data.get("registrant_phone") or "")
            if listed and self._same_phone(listed, e164):
                rows.append(self._reverse_page_row(page, "registrant_phone", listed))
        return _frame(rows, REVERSE_COLUMNS)

    def _same_phone(self, listed: str, e164: str) -> bool:
        try:
            return self.normalise_phone(listed) == e164
        except UserError:
            return False

    def by_email(self, email: str) -> pandas.DataFrame:
        """Accounts and WHOIS records that list this e-mail address publicly."""
        wanted = email.strip().casefold()
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", wanted):
            raise UserError(_("e-mail {email} is not an address: write it as name@domain.example.").format(
                email=repr(email)))
        rows = [self._reverse_account_row(a, "email", a.email) for a in self.case.accounts
                if a.email and a.email.casefold() == wanted]
        for page in self._pages_of_kind("whois"):
            listed = str(page.data.get("registrant_email") or "")
            if listed.casefold() == wanted:
                rows.append(self._reverse_page_row(page, "registrant_email", listed))
        return _frame(rows, REVERSE_COLUMNS)

    @staticmethod
    def _reverse_account_row(a: Account, field: str, value: str | None) -> dict[str, Any]:
        return {"source": "account", "platform": a.platform_id, "username": a.username,
                "display_name": a.display_name, "url": a.url, "account_id": a.account_id,
                "field": field, "value": value}

    @staticmethod
    def _reverse_page_row(page: Page, field: str, value: str) -> dict[str, Any]:
        return {"source": "whois", "platform": page.domain, "username": None,
                "display_name": page.data.get("registrant_name"), "url": page.url, "account_id": None,
                "field": field, "value": value}

    # ------------------------------------------------------------ WHOIS and registry

    def whois(self, domain: str) -> pandas.DataFrame:
        """The WHOIS record of a domain (a URL or subdomain is reduced to the registered domain)."""
        host = re.sub(r"^[a-z]+://", "", domain.strip().casefold()).split("/")[0].split(":")[0]
        if not re.fullmatch(r"[\w\-]+(\.[\w\-]+)+", host):
            raise UserError(_("domain {domain} is not a domain name: write it like agency.example.").format(
                domain=repr(domain)))
        rows = []
        for page in self._pages_of_kind("whois"):
            registered = str(page.data.get("domain", "")).casefold()
            if registered and (host == registered or host.endswith("." + registered)):
                row = {c: page.data.get(c) for c in WHOIS_COLUMNS}
                row["name_servers"] = ", ".join(page.data.get("name_servers") or [])
                row.update(url=page.url, page_id=page.page_id)
                rows.append(row)
        return _frame(rows, WHOIS_COLUMNS)

    def registry(self, name: str | None = None, *, number: str | None = None,
                 person: str | None = None) -> pandas.DataFrame:
        """Company registry search by (part of) company name, registration number or director."""
        if not any(x and x.strip() for x in (name, number, person)):
            raise UserError(_("registry search needs a company name, number=... or person=...: give at least one."))
        rows = []
        for page in self._pages_of_kind("registry"):
            d = page.data
            if name and fold(name.strip()) not in fold(str(d.get("company", ""))):
                continue
            if number and fold(number.strip()) != fold(str(d.get("registration", ""))):
                continue
            if person and not any(fold(person.strip()) in fold(x) for x in d.get("directors") or []):
                continue
            row = {c: d.get(c) for c in REGISTRY_COLUMNS}
            row.update(directors="; ".join(d.get("directors") or []), url=page.url, page_id=page.page_id)
            rows.append(row)
        return _frame(rows, REGISTRY_COLUMNS)
