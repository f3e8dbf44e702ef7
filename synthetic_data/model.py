"""The records of a case world.

`case/` holds what a trainee may see (platforms, accounts, pages, archive, messages,
images, financial records, places); `key/` holds the truth (people, organisations,
labels, planted indicators, typologies, the network). Field names here are the bundle
format documented in docs/case-bundle.md; change both together.

All times are UTC, ISO 8601 with a trailing "Z". Ids are opaque: they are drawn from the
world's RNG and never encode a role or a label.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, ClassVar

FORMAT_VERSION = 1


@cache
def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


class _Defaults(dict[type, dict[str, Any]]):
    def __missing__(self, cls: type) -> dict[str, Any]:
        self[cls] = {f.name: f.default for f in fields(cls)}
        return self[cls]


_DEFAULTS = _Defaults()


class Record:
    """Plain-dict conversion that keeps field order (so JSON output is stable).

    Fields named in a record type's OMIT_DEFAULT are left out while they hold their default,
    so optional fields added later do not change the bytes of records that do not use them.
    """

    OMIT_DEFAULT: ClassVar[frozenset[str]] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in field_names(type(self))}
        for name in self.OMIT_DEFAULT:
            if out[name] == _DEFAULTS[type(self)][name]:
                del out[name]
        if "cues" in out:  # the one nested record type
            out["cues"] = [c.to_dict() for c in out["cues"]]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        names = field_names(cls)
        values = {k: v for k, v in data.items() if k in names}
        if "cues" in values:  # the one nested record type
            values["cues"] = [Cue(**c) if isinstance(c, dict) else c for c in values["cues"]]
        return cls(**values)


# ---------------------------------------------------------------- what a trainee may see


@dataclass(slots=True)
class Platform(Record):
    platform_id: str  # slug, e.g. "tsahim"
    name: str  # invented brand, e.g. "Tsahim"
    kind: str  # social | jobs | messenger | classifieds | photos | forum | market | ...
    domain: str  # reserved domain, e.g. "tsahim.example"
    profile_url: str  # pattern with {username}
    description: str = ""


@dataclass(slots=True)
class Account(Record):
    account_id: str
    platform_id: str
    username: str
    display_name: str
    url: str
    created: str
    bio: str = ""
    location: str = ""
    phone: str | None = None  # E.164, only where the profile lists it publicly
    email: str | None = None
    website: str | None = None
    avatar: str | None = None  # image_id
    followers: list[str] = field(default_factory=list)  # account_ids
    following: list[str] = field(default_factory=list)
    status: str = "active"  # active | deleted | suspended


@dataclass(slots=True)
class Page(Record):
    page_id: str
    url: str
    domain: str
    kind: str  # job_ad | post | comment | profile | forum_thread | listing | registry | whois | news | web
    title: str
    text: str
    published: str
    filetype: str = "html"  # html | pdf | doc
    lang: str = "en"
    author: str | None = None  # account_id
    images: list[str] = field(default_factory=list)  # image_ids
    reply_to: str | None = None  # page_id of the post a comment answers
    status: str = "live"  # live | deleted (a deleted page is only in the archive)
    data: dict[str, Any] = field(default_factory=dict)  # structured fields (registry, whois)


@dataclass(slots=True)
class Capture(Record):
    """One archived version of a URL, as a web archive would hold it."""

    capture_id: str
    url: str
    captured: str
    http_status: int  # 200, or 404 once the page is gone
    title: str
    text: str


@dataclass(slots=True)
class Message(Record):
    message_id: str
    thread_id: str
    platform_id: str
    sender: str  # account_id
    recipients: list[str]
    sent: str
    text: str
    attachments: list[str] = field(default_factory=list)  # image_ids


@dataclass(slots=True)
class Image(Record):
    image_id: str
    file: str  # path relative to case/, e.g. "images/ab12cd34.jpg"
    width: int
    height: int


@dataclass(slots=True)
class FinancialAccount(Record):
    """A bank account, mobile-money wallet or crypto address, as records show it."""

    fin_id: str
    rail: str  # bank | mobile | crypto
    provider: str  # invented bank or wallet name, or the chain
    number: str  # account number, wallet phone (E.164) or address
    holder: str  # name on the account as the provider knows it ("" for crypto)
    country: str


@dataclass(slots=True)
class Transaction(Record):
    """A transfer as a statement shows it. `amount` is what the receiver is credited, in
    `currency`; `fee` is charged to the sender on top (so the sender's debit is amount + fee).
    A cross-currency transfer also gives the rate of the day (`fx_rate`: 1 unit of `currency`
    = fx_rate units of `received_currency`) and the credited amount (`received`)."""

    OMIT_DEFAULT: ClassVar[frozenset[str]] = frozenset({"fee", "channel", "fx_rate", "received", "received_currency"})

    tx_id: str
    rail: str
    time: str
    sender: str  # fin_id
    receiver: str  # fin_id
    amount: float
    currency: str
    reference: str = ""
    fee: float = 0.0
    channel: str = ""  # transfer | cash_in | cash_out | atm | international | exchange_deposit ("" = transfer)
    fx_rate: float | None = None
    received: float | None = None
    received_currency: str | None = None


@dataclass(slots=True)
class Place(Record):
    """A public place (terminal, airport, border post, market), never a home."""

    place_id: str
    name: str
    kind: str
    city: str
    country: str
    lat: float
    lon: float


@dataclass(slots=True)
class FxRate(Record):
    """A reference exchange rate of one day: 1 `base` = `rate` `quote`."""

    date: str  # YYYY-MM-DD
    base: str
    quote: str
    rate: float
    source: str


@dataclass(slots=True)
class LedgerTx(Record):
    """One transaction of the testnet-style UTXO ledger, as a block explorer shows it.

    inputs: [{"txid", "vout", "address", "value"}] (the outputs they spend); outputs:
    [{"n", "address", "value"}]. Values are in tBTC with 8 decimals; fee = inputs - outputs.
    """

    txid: str  # 64 hex digits
    time: str
    height: int
    inputs: list[dict[str, Any]]
    outputs: list[dict[str, Any]]
    fee: float


@dataclass(slots=True)
class CryptoTag(Record):
    """A public attribution of an address (TagPack style): a service's own published address,
    or a seized wallet's own records (which output of its transactions was change)."""

    address: str
    label: str
    category: str  # exchange | service | seized_wallet
    source: str


@dataclass(slots=True)
class HiddenPage(Record):
    """A saved copy of a dark-web page, made by a specialist unit: trainees read the copy and
    never visit the address (awareness level, officer safety)."""

    page_id: str
    url: str  # http://<onion v3 address>/...
    kind: str  # market_home | mirrors | listing | vendor | forum_thread | canary
    title: str
    text: str
    snapshot: str  # when the specialist unit saved the copy (UTC)
    data: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- Workshop 2 (digital footprint): case side


@dataclass(slots=True)
class Site(Record):
    """One entry of the username-check registry, in WhatsMyName's fields (wmn-data.json).

    A check of `uri_check` (with `{account}` filled in) means "exists" when the answer has
    HTTP status `e_code` and contains `e_string`, "missing" when it has `m_code` and
    contains `m_string`, and "unknown" otherwise (a bot wall, a changed site).
    """

    site_id: str
    name: str
    cat: str  # WhatsMyName category: social, dating, video, gaming, business, ...
    uri_check: str  # URL the checker requests, with {account}
    uri_pretty: str  # the human profile URL, with {account}
    e_code: int
    e_string: str
    m_code: int
    m_string: str
    known: list[str]  # usernames known to exist there (the registry's self-test)
    platform_id: str  # the case platform this entry checks
    protection: list[str] = field(default_factory=list)  # cloudflare, captcha, ...
    valid: bool = True


@dataclass(slots=True)
class Server(Record):
    """How a site's web server answers, which the registry entry may not know: normal; bot_wall
    (a challenge page for automated checks: unknown); search_page (the entry checks a search
    endpoint that answers for any name: a false positive); redesigned (its "missing" page
    changed, so the entry's m_string no longer matches: unknown)."""

    site_id: str
    answer: str


@dataclass(slots=True)
class Restricted(Record):
    """Content a platform shows only to some viewers: logged-in users, followers or group members."""

    restricted_id: str
    target: str  # account_id (contact details, followers-only posts) or page_id (a closed group)
    audience: str  # logged_in | followers | members
    kind: str  # contact | post
    posted: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)  # contact: {"phone": ..., "email": ...}


@dataclass(slots=True)
class Export(Record):
    """A file handed to the investigation (chat export, SMS export, e-ticket, hotline note)."""

    export_id: str
    kind: str  # chat | sms | ticket | note
    title: str
    file: str  # path relative to case/, e.g. "exports/ab12cd34.txt"
    provided_by: str  # who gave it, from which device and where (the context a zone comes from)
    received: str  # UTC


@dataclass(slots=True)
class NumberBlock(Record):
    """A mobile prefix of the (synthetic) national numbering plan and the operator it was given to."""

    country: str
    prefix: str  # national significant number prefix, e.g. "15"
    operator: str  # invented operator name


@dataclass(slots=True)
class PortRecord(Record):
    """A number moved to another operator, as the national portability database answers a request."""

    number: str  # E.164
    from_operator: str
    to_operator: str
    ported: str  # date, YYYY-MM-DD


@dataclass(slots=True)
class ImageText(Record):
    """The text painted in a picture (signs, posters), as an OCR or lens tool reads it."""

    image_id: str
    lines: list[str]


# ---------------------------------------------------------------- the key (ground truth)


@dataclass(slots=True)
class Person(Record):
    person_id: str
    name: str  # as written locally (e.g. Cyrillic)
    name_latin: str  # transliterated, as on a passport and in usernames
    gender: str
    birth_year: int  # adults only: every storyline person is 18 or over
    country: str
    city: str
    roles: list[str]  # recruiter, broker, driver, forger, mule, financier, victim, ...
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)  # account_ids
    fin_accounts: list[str] = field(default_factory=list)
    namesake_of: str | None = None  # person_id of the suspect this bystander shares a name with


@dataclass(slots=True)
class Organisation(Record):
    org_id: str
    name: str
    kind: str  # employer | agency | travel_agent | ...
    legitimate: bool
    country: str
    domain: str | None = None
    registration: str | None = None
    licence: str | None = None
    people: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Cue(Record):
    """One planted indicator: `text` is exactly `page.text[start:end]`."""

    indicator: str
    start: int
    end: int
    text: str
    field: str = "text"  # "text" (page.text[start:end]) or "title" (page.title[start:end])


@dataclass(slots=True)
class PageTruth(Record):
    page_id: str
    label: str  # exploitative | smuggling | legitimate | near_miss | background
    cues: list[Cue] = field(default_factory=list)
    history: str | None = None  # edited | deleted (what the archive can recover)
    org_id: str | None = None
    url: str = ""  # kept here too: a deleted page is no longer in case/pages.jsonl
    changes: list[str] = field(default_factory=list)  # text an edit removed (found in the archive)
    template: str = ""  # the text bank the page was written from (lure_ad, legit_ad, ...)


@dataclass(slots=True)
class MessageTruth(Record):
    message_id: str
    thread_id: str
    script: str  # the scenario script the thread follows
    cues: list[Cue] = field(default_factory=list)


@dataclass(slots=True)
class ImageTruth(Record):
    image_id: str
    source: str | None = None  # image_id of the original this one reposts
    transform: str | None = None  # recompress | crop | mirror | overlay
    exif: str = "full"  # full | stripped | partial
    place_id: str | None = None  # where the GPS tag (if any) really points
    taken: str | None = None  # true capture time, UTC
    device: str | None = None
    scene_place: str | None = None  # place_id the picture shows (visible clues), GPS or not
    clues: list[str] = field(default_factory=list)  # what in the picture points to the place


@dataclass(slots=True)
class TypologyAttempt(Record):
    attempt_id: str
    typology: str  # fan_in | fan_out | cycle | scatter_gather | gather_scatter | crypto_cashout
    tx_ids: list[str]
    accounts: dict[str, str]  # fin_id -> role in the pattern (source, mule, sink, otc, ...)
    cash_out: str | None = None  # fin_id where the money leaves the traceable system
    purpose: str = ""  # what the payers were told the money is for (the memo itself stays neutral)


@dataclass(slots=True)
class NetworkRole(Record):
    """A person's role in the network, in the five-role vocabulary of Workshop 3 (recruiter,
    broker, transporter, financier, enabler), or "none" for a busy innocent account (decoy)."""

    person_id: str
    role: str
    decoy: bool = False
    note: str = ""


@dataclass(slots=True)
class FlowTruth(Record):
    """One victim's family's payment followed to the cash-out: the transactions in order, where
    the money left the traceable system, how much arrived there, and the typology."""

    flow_id: str
    typology: str
    family: str  # person_id of the payer
    tx_ids: list[str]
    cash_out: str  # fin_id where the money leaves the traceable system
    amount_out: float  # credited at the cash-out point, in `currency`
    currency: str
    indicator: str  # the published indicator the pattern follows (FATF/APG/UNODC/BFIU)


@dataclass(slots=True)
class AddressTruth(Record):
    """Who controls a ledger address; `attributable` when sound methods (co-spending outside
    CoinJoins, change on a peel chain) link it to its owner's other addresses."""

    address: str
    owner: str  # person_id, or an entity id such as "svc-harbor-exchange" / "user-0042"
    entity_kind: str  # person | exchange | service | user | coinjoin
    attributable: bool = False


@dataclass(slots=True)
class TxTruth(Record):
    """What a ledger transaction really was; `change` is the output index returned to the payer."""

    txid: str
    kind: str  # payment | consolidation | peel | coinjoin | withdrawal | deposit | funding
    change: int | None = None
    trail: str | None = None  # e.g. "peel" for the traced chain
    step: int | None = None  # position in the trail, from 1


@dataclass(slots=True)
class HiddenPageTruth(Record):
    page_id: str
    label: str  # genuine | typo | phishing (mirrors), or the page kind
    actor: str | None = None  # vendor actor id behind the page
    person_id: str | None = None  # the case person behind the vendor, if any
    details: dict[str, Any] = field(default_factory=dict)  # e.g. each listed mirror's label


@dataclass(slots=True)
class Journey(Record):
    """One victim's path through the storyline, in time order: the ad they answered, their first
    reply, their departure; what was written before and after it. The consistency checker
    (synthetic_data/consistency.py) holds every record it names to this order."""

    victim: str  # person_id
    recruiter: str  # person_id
    family: str | None  # person_id of the relative who writes home and pays, if any
    ad: str | None  # page_id of the ad or post answered
    ad_published: str  # kept here: the ad may be deleted later
    answered: str  # the victim's first message to the recruiter
    departed: str
    job: str  # the job the ad offered, as the chats and posts name it
    before: list[str] = field(default_factory=list)  # page_ids and thread_ids between answer and departure
    after: list[str] = field(default_factory=list)  # page_ids and thread_ids after departure
    payments: list[str] = field(default_factory=list)  # tx_ids paid on the recruiters' instructions
    collector: str | None = None  # fin_id the chats tell the victim or family to pay
# ---------------------------------------------------------------- Workshop 2 (digital footprint): key side


@dataclass(slots=True)
class FootprintTruth(Record):
    """A person's family of accounts behind one handle, and the decoys around it.

    `accounts` maps each account of the family (the seed included) to the traces that link it
    to the others (phone, email, photo, bio, link); `decoys` maps accounts that look related
    but belong to someone else to why they look related (namesake, lookalike, stock_photo).
    """

    person_id: str
    seed_account: str
    seed_handle: str
    accounts: dict[str, list[str]]
    decoys: dict[str, str]
    phone: str
    email: str
    avatar: str  # image_id of the family's profile photo (the original)


@dataclass(slots=True)
class PhoneTruth(Record):
    """A number of interest: whose it is, the operator its prefix names and the one that holds it now."""

    number: str  # E.164
    person_id: str | None
    prefix_operator: str
    operator: str  # current operator (differs from prefix_operator when ported)
    near_of: str | None = None  # the number this one imitates (a near-identical decoy)
    raw: list[str] = field(default_factory=list)  # how it was written where it was copied


@dataclass(slots=True)
class TimelineEvent(Record):
    """One event of a victim's journey, as a source shows it and as it really happened."""

    event_id: str
    person_id: str
    what: str
    stage: str  # recruitment | payment | departure | arrival | exploitation
    source_kind: str  # post | comment | chat | sms | ticket | photo | capture
    source_ref: str  # page_id, export_id (+ line), image_id or capture_id
    shown: str  # the time exactly as the source shows it
    zone: str  # IANA zone or "UTC" of the shown time
    zone_source: str  # stated | platform | device | gps | place
    utc: str
    contradicts: bool = False
    note: str = ""


@dataclass(slots=True)
class EditTruth(Record):
    """What changed on a page between archive captures (or that nothing material did)."""

    url: str
    page_id: str
    change: str  # phone | salary | destination | deleted | none
    before: str
    after: str
    last_before: str  # capture_id of the last capture with the old text ("" for none)
    first_after: str  # capture_id of the first capture with the new text (or the 404)
