"""Footprint tools: a username sweep driven by a WhatsMyName-style registry, the registry's
self-check, profiles as a logged-out visitor sees them, and phone and e-mail pivots.

The sweep does what WhatsMyName's checkers do: request each site's `uri_check` and read the
answer by the entry's contract (e_code + e_string: found; m_code + m_string: not found;
anything else: unknown). So it shares their weaknesses, on purpose: a search endpoint that
answers for any name gives a false "found", and a bot wall or a redesigned page gives
"unknown" (which is not "not found"). `self_check()` tests every entry with names known to
exist and with random names, as Maigret's --self-check does.

Phones: `phone()` parses and formats with libphonenumber and names the operator the prefix
was given to in the case's numbering plan; `mnp()` asks the portability database who holds
the number now. Nothing here touches the network: the "web" is the case.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from osintlab.errors import UserError
from osintlab.i18n import _
from sandbox.activity import ActivityLog

if TYPE_CHECKING:
    import pandas

    from synthetic_data.bundle import Case
    from synthetic_data.model import Account, Site

SWEEP_COLUMNS = ["site", "name", "cat", "username", "verdict", "http_status", "url"]
SELF_CHECK_COLUMNS = ["site", "name", "known_found", "random_found", "unknown", "verdict"]
FOUND, MISSING, UNKNOWN = "found", "not found", "unknown"
_HANDLE = re.compile(r"^[\w.\-]{1,64}$")


@dataclass(frozen=True)
class Response:
    """What a site answered: status, headers and body (read together, as `curl -i` shows them)."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    @property
    def text(self) -> str:
        head = "".join(f"{k}: {v}\n" for k, v in self.headers.items())
        return f"HTTP {self.status}\n{head}\n{self.body}"


def verdict(site: Site, response: Response) -> str:
    """WhatsMyName's contract: found, not found, or unknown (the answer fits neither)."""
    text = response.text
    if response.status == site.e_code and site.e_string in text:
        return FOUND
    if response.status == site.m_code and site.m_string in text:
        return MISSING
    return UNKNOWN


def _walls() -> dict[str, Any]:
    from synthetic_data.footprint_data import sites_bank

    return dict(sites_bank()["walls"])


def canonical_email(address: str) -> str:
    """The mailbox an address reaches: lower case, and without what its provider ignores (dots or a
    +tag in the user name, for providers that say so in content/footprint/banks.yml `mail_rules`)."""
    from synthetic_data.footprint_data import footprint_bank

    text = address.strip().strip("<>").casefold()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise UserError(_("e-mail {address!r} is not an address: write it as name@domain.example.")
                        .format(address=address))
    local, _at, domain = text.rpartition("@")
    rules = footprint_bank()["mail_rules"].get(domain, {})
    if rules.get("plus_tags"):
        local = local.split("+", 1)[0]
    if rules.get("ignore_dots"):
        local = local.replace(".", "")
    return f"{local}@{domain}"


@dataclass
class PhoneReport:
    """One number, parsed: E.164, the usual written forms, country, the operator its prefix names."""

    raw: str
    e164: str
    region: str
    international: str
    national: str
    prefix_operator: str
    valid: bool  # libphonenumber's verdict (course numbers are deliberately unallocated: False)
    portable_per_libphonenumber: bool
    portability: str  # what the case's country knowledge says ("" when numbers cannot be ported)

    def frame(self) -> pandas.DataFrame:
        import pandas

        rows = [{"field": k, "value": v} for k, v in self.__dict__.items()]
        return pandas.DataFrame(rows, columns=["field", "value"])

    def _repr_html_(self) -> str:
        note = _("The prefix names the operator the number was first given to. Where numbers can be "
                 "ported, ask the portability database (mnp) who holds it now.")
        return self.frame().to_html(index=False) + f"<p>{html.escape(note)}</p>"


class Footprint:
    """Username sweep, registry self-check, logged-out profiles, phone and e-mail pivots over a case."""

    def __init__(self, case: Case, log: ActivityLog) -> None:
        self.case = case
        self.log = log

    # ------------------------------------------------------------ the registry and its web

    @cached_property
    def _sites(self) -> dict[str, Site]:
        return {s.site_id: s for s in self.case.sites}

    @cached_property
    def _servers(self) -> dict[str, str]:
        return {s.site_id: s.answer for s in self.case.servers}

    @cached_property
    def _accounts(self) -> dict[tuple[str, str], Account]:
        return {(a.platform_id, a.username.casefold()): a for a in self.case.accounts}

    @cached_property
    def _by_url(self) -> dict[str, Account]:
        return {_bare(a.url): a for a in self.case.accounts}

    @cached_property
    def _patterns(self) -> list[tuple[re.Pattern[str], Site, bool]]:
        """(regex with one group for the account, site, is it the checker's URL) for every site."""
        out = []
        for site in self.case.sites:
            for template, check in ((site.uri_check, True), (site.uri_pretty, False)):
                regex = re.escape(_bare(template)).replace(re.escape("{account}"), r"([^/?#&]+)")
                out.append((re.compile(f"^{regex}$", re.IGNORECASE), site, check))
        return out

    def sites(self) -> pandas.DataFrame:
        """The registry, one row per site (WhatsMyName's fields), with what each site shows visitors who
        are not logged in (`logged_out`) and whether it tells owners who viewed them (`notifies_viewers`)."""
        import pandas

        from synthetic_data.footprint_data import site_options

        rows = []
        for site in self.case.sites:
            options = site_options(site.site_id)
            row = {k: v for k, v in site.to_dict().items() if k != "platform_id"}
            row["logged_out"] = options.get("logged_out", "full")
            row["notifies_viewers"] = bool(options.get("notifies_viewers"))
            rows.append(row)
        return pandas.DataFrame(rows)

    def _site(self, ref: str) -> Site:
        site = self._sites.get(ref.strip().casefold())
        if site is None:
            for candidate in self.case.sites:
                if ref.strip().casefold() in (candidate.name.casefold(), candidate.platform_id):
                    return candidate
            raise UserError(_("site {ref!r} is not in the registry: use a site id from footprint.sites().")
                            .format(ref=ref))
        return site

    def _serve(self, site: Site, username: str, *, checker: bool) -> Response:
        """What the site's server answers for `username` (a checker meets bot walls; a browser does not)."""
        answer = self._servers.get(site.site_id, "normal")
        url = site.uri_check.replace("{account}", quote(username, safe=""))
        walls = _walls()
        if checker and answer == "bot_wall":
            return Response(url, walls["bot_wall"]["status"], {"Server": "cloudflare"}, walls["bot_wall"]["body"])
        if checker and answer == "search_page":
            hits = [a for (pid, name), a in self._accounts.items() if pid == site.platform_id
                    and username.casefold() in name]
            cards = "".join(f"<li>{html.escape(a.display_name)}</li>" for a in hits)
            template = f'<template id="card">{site.e_string}</template>'  # the entry's string, in every page
            body = walls["search_page"]["body"].format(count=len(hits), cards=cards + template)
            return Response(url, walls["search_page"]["status"], {}, body)
        account = self._accounts.get((site.platform_id, username.casefold()))
        if account is not None:
            return Response(url, site.e_code, {}, f"{site.e_string} data-name=\"{html.escape(account.display_name)}\">")
        if answer == "redesigned":
            return Response(url, walls["redesigned"]["status"], {}, walls["redesigned"]["body"])
        headers = {"Location": site.m_string.split("Location:", 1)[1].strip()} if "Location:" in site.m_string else {}
        return Response(url, site.m_code, headers, "" if headers else site.m_string)

    def check(self, site: str, username: str) -> dict[str, Any]:
        """Check one username on one site (the raw answer is in `response`)."""
        entry = self._site(site)
        name = _handle(username)
        response = self._serve(entry, name, checker=True)
        return {"site": entry.site_id, "username": name, "verdict": verdict(entry, response),
                "http_status": response.status, "response": response.text}

    def permute(self, handle: str) -> list[str]:
        """The handle with its separators swapped (a_b, a.b, a-b, ab), as Maigret's --permute does."""
        from synthetic_data.footprint_data import handle_variants

        return handle_variants(_handle(handle))

    def sweep(self, handle: str, *, permute: bool = False) -> pandas.DataFrame:
        """Check `handle` (and its permutations) on every site of the registry: one row per site and name.

        `verdict` is what the contract says; it is not proof: "found" can be a search page, and
        "unknown" (a bot wall, a changed page) means you must look by hand."""
        import pandas

        names = self.permute(handle) if permute else [_handle(handle)]
        rows = []
        for name in names:
            for site in self.case.sites:
                response = self._serve(site, name, checker=True)
                rows.append({"site": site.site_id, "name": site.name, "cat": site.cat, "username": name,
                             "verdict": verdict(site, response), "http_status": response.status,
                             "url": site.uri_pretty.replace("{account}", name)})
        self.log.record("sweep", ", ".join(names))
        return pandas.DataFrame(rows, columns=SWEEP_COLUMNS)

    def self_check(self, samples: int = 5) -> pandas.DataFrame:
        """Test every entry: its `known` names must be found and random names not found.

        verdict: ok; "false positives" (random names are found: a search page or a too-general
        e_string); "blocked" (a bot wall answers: results are unknown); "out of date" (random
        names give an unexpected page: the site changed)."""
        import pandas

        rows = []
        randoms = [hashlib.sha256(f"unclaimed-{i}".encode()).hexdigest()[:12] for i in range(samples)]
        for site in self.case.sites:
            known = [verdict(site, self._serve(site, n, checker=True)) for n in site.known]
            random = [verdict(site, self._serve(site, n, checker=True)) for n in randoms]
            if all(v == UNKNOWN for v in known + random):
                result = "blocked"
            elif any(v == FOUND for v in random):
                result = "false positives"
            elif any(v == UNKNOWN for v in known + random):
                result = "out of date"
            else:
                result = "ok"
            rows.append({"site": site.site_id, "name": site.name, "known_found": known.count(FOUND),
                         "random_found": random.count(FOUND), "unknown": (known + random).count(UNKNOWN),
                         "verdict": result})
        self.log.record("self_check", "registry")
        return pandas.DataFrame(rows, columns=SELF_CHECK_COLUMNS)

    # ------------------------------------------------------------ profiles (logged out)

    def open(self, url: str) -> Response:
        """Open a URL in the browser as a logged-out visitor (no bot wall for a person)."""
        bare = _bare(url)
        for regex, site, is_check in self._patterns:
            match = regex.match(bare)
            if match:
                name = unquote(match.group(1))
                self.log.record("open", url.strip(), site.platform_id)
                search = is_check and self._servers.get(site.site_id) == "search_page"
                return self._serve(site, name, checker=search)  # a person passes bot walls
        raise UserError(_("{url} is not an address of a site in the registry: copy a URL from the sweep or a "
                          "search result.").format(url=url))

    def profile(self, url: str) -> Any:
        """The account at a profile URL as a visitor who is not logged in sees it (sandbox.lookup.Profile).

        One sentence, no profile, when there is no account there (a search page, a missing name)."""
        from sandbox.lookup import Lookup

        account = self._by_url.get(_bare(url))
        if account is None:
            response = self.open(url)
            raise UserError(_("there is no profile at {url}: the site answers HTTP {status} without an account "
                              "(a missing name, or a search page).").format(url=url.strip(), status=response.status))
        self.log.record("view_logged_out", account.url, account.platform_id)
        return Lookup(self.case).profile(account.account_id)

    def members_only(self, url: str) -> bool:
        """True when the site shows more contact details to logged-in members than to you."""
        account = self._by_url.get(_bare(url))
        return account is not None and any(r.target == account.account_id and r.kind == "contact"
                                           for r in self.case.restricted)

    # ------------------------------------------------------------ phones

    @cached_property
    def _regions(self) -> list[str]:
        countries = self.case.manifest.get("countries") or {}
        values = countries.values() if isinstance(countries, dict) else countries
        return list(dict.fromkeys(str(c).upper() for c in values)) or ["MN"]

    def normalise_phone(self, raw: str, region: str | None = None) -> str:
        """E.164 of a number as written anywhere: spaces, dashes, brackets, 00 prefix, Bengali or
        full-width digits, invisible direction marks. A local number needs `region` (e.g. "BD")."""
        import phonenumbers

        text = raw.strip()
        if not text:
            raise UserError(_("the phone number is empty: paste the number as you found it."))
        try:
            parsed = phonenumbers.parse(text, region.upper() if region else None)
        except phonenumbers.NumberParseException as exc:
            if region is None and exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
                raise UserError(_("{raw!r} has no country code (+...): say where it was written, e.g. "
                                  "region=\"MN\".").format(raw=raw)) from None
            raise UserError(_("{raw!r} is not a phone number ({why}).").format(raw=raw, why=str(exc))) from None
        if not phonenumbers.is_possible_number(parsed):
            raise UserError(_("{raw!r} has the wrong number of digits for {region}: check that you copied all of it.")
                            .format(raw=raw, region=phonenumbers.region_code_for_number(parsed) or region))
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

    def phone(self, raw: str, region: str | None = None) -> PhoneReport:
        """Parse and describe one number (like PhoneInfoga's local scan)."""
        import phonenumbers

        from synthetic_data.footprint_data import footprint_bank

        e164 = self.normalise_phone(raw, region)
        parsed = phonenumbers.parse(e164)
        code = phonenumbers.region_code_for_number(parsed) or phonenumbers.region_code_for_country_code(
            parsed.country_code)
        nsn = str(parsed.national_number)
        operator = next((b.operator for b in self.case.numbering if b.country == code and nsn.startswith(b.prefix)), "")
        rule = footprint_bank()["portability"].get(code)
        self.log.record("phone_info", e164)
        return PhoneReport(
            raw=raw, e164=e164, region=code,
            international=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
            national=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
            prefix_operator=operator, valid=phonenumbers.is_valid_number(parsed),
            portable_per_libphonenumber=phonenumbers.is_mobile_number_portable_region(code),
            portability=(_("numbers can be ported since {since} ({database})")
                         .format(since=rule["since"], database=rule["database"]) if rule else ""))

    def mnp(self, raw: str, region: str | None = None) -> dict[str, Any]:
        """Ask the national portability database who holds a number now (a records request, not loud)."""
        e164 = self.normalise_phone(raw, region)
        self.log.record("mnp_request", e164)
        record = next((r for r in self.case.ported if r.number == e164), None)
        if record is None:
            return {"number": e164, "ported": False, "operator": self.phone(e164).prefix_operator, "since": ""}
        return {"number": e164, "ported": True, "operator": record.to_operator, "from": record.from_operator,
                "since": record.ported}

    def dorks(self, raw: str, region: str | None = None) -> list[str]:
        """Search queries for the ways people write a number (PhoneInfoga's idea): run each one."""
        import phonenumbers

        e164 = self.normalise_phone(raw, region)
        parsed = phonenumbers.parse(e164)
        nsn = str(parsed.national_number)
        forms = [e164, e164[1:], nsn, phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
                 phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)]
        from synthetic_data.country import list_countries

        for pack in list_countries():
            if pack.phone_country_code == parsed.country_code and pack.local_format:
                with contextlib.suppress(ValueError):
                    forms.append(pack.format_local(e164))
        return [f'"{f}"' for f in dict.fromkeys(forms)]

    def wallets(self, raw: str, region: str | None = None) -> pandas.DataFrame:
        """Mobile-money wallets registered to a number (from the financial records of the case)."""
        import pandas

        e164 = self.normalise_phone(raw, region)
        self.log.record("wallet_records", e164)
        rows = [f.to_dict() for f in self.case.fin_accounts if f.rail == "mobile" and f.number == e164]
        return pandas.DataFrame(rows, columns=["fin_id", "rail", "provider", "number", "holder", "country"])

    def by_phone(self, raw: str, region: str | None = None) -> pandas.DataFrame:
        """Accounts and WHOIS records that show this number publicly (lookup.by_phone, logged)."""
        from sandbox.lookup import Lookup

        e164 = self.normalise_phone(raw, region)
        self.log.record("reverse_phone", e164)
        return Lookup(self.case).by_phone(e164)

    # ------------------------------------------------------------ e-mail

    def email(self, address: str) -> dict[str, str]:
        """An address and the mailbox it reaches (see canonical_email)."""
        return {"address": address.strip(), "canonical": canonical_email(address)}

    def by_email(self, address: str) -> pandas.DataFrame:
        """Accounts and WHOIS records that show an address reaching the same mailbox, publicly."""
        import pandas

        from sandbox.lookup import REVERSE_COLUMNS, Lookup

        wanted = canonical_email(address)
        self.log.record("reverse_email", wanted)
        lookup = Lookup(self.case)
        rows = [lookup._reverse_account_row(a, "email", a.email) for a in self.case.accounts
                if a.email and canonical_email(a.email) == wanted]
        for page in self.case.pages:
            listed = str(page.data.get("registrant_email") or "") if page.kind == "whois" else ""
            if listed and "@" in listed and canonical_email(listed) == wanted:
                rows.append(lookup._reverse_page_row(page, "registrant_email", listed))
        return pandas.DataFrame(rows, columns=REVERSE_COLUMNS)


def _bare(url: str) -> str:
    """A URL without scheme, trailing slash or case in the host, for matching."""
    rest = re.sub(r"^[a-zA-Z]+://", "", url.strip()).rstrip("/")
    host, _sep, path = rest.partition("/")
    return host.casefold().removeprefix("www.") + ("/" + path if path else "")


def _handle(name: str) -> str:
    name = name.strip().lstrip("@")
    if not _HANDLE.match(name):
        raise UserError(_("username {name!r} is not a handle: use letters, digits and . _ - only, no spaces.")
                        .format(name=name))
    return name
