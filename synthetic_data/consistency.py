"""Does a world hold together? The checks a careful trainer would make of a generated case.

    problems = violations(world)     # [] for a consistent world; else one sentence each

Labs grade a trainee against the key of a world, so the world must not contradict itself:
a legitimate ad that quotes another company's registration number looks fake to an officer
who checks the register (as the labs teach); a victim who complains about the compound before
answering the ad breaks every timeline exercise. The checks:

- **references**: every id a record points to exists (authors, replies, images, accounts,
  transactions, orgs, journeys);
- **identifiers in text**: every @handle, registration or licence number, web address,
  e-mail and phone number a page or message gives belongs to someone in the world;
- **the register**: a registration or licence number is quoted next to the name of the
  organisation that holds it, so checking the register confirms a legitimate ad;
- **what others say**: complaints and family posts never name a legitimate organisation;
- **timelines**: each victim's journey (key/journeys.jsonl) runs ad, answer, departure, news
  from abroad, in that order, and every record it names sits in its place; dates a text
  announces ("the group leaves on 14 March") fall after the text; comments follow their post;
  photos are taken before they are posted; a copy is posted after its photo was taken, and a
  copy of a copy after the copy it was made from;
- **memos**: payment memos are neutral (no "ransom", "debt", "fee" ...: they would give the
  ledger exercise away).

`synthetic_data.generator.generate_world` runs these checks and refuses a world that fails
them; `osintlab world validate DIR` runs them on a written world.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from synthetic_data.bundle import World
from synthetic_data.model import Page

MONTHS = ("January February March April May June July August September October November December").split()
_DAY_MONTH = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r")\b")
# A handle may hold dots and hyphens inside it (WhatsMyName-style variants: a.b, a-b, bat-erdene_1930),
# never at its end (a sentence's full stop, a suffix: "@name-ийн").
_HANDLE = re.compile(r"(?<![\w.@/])@([A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_]|[A-Za-z0-9_])")
_REGISTRATION = re.compile(r"\b[A-Z]{2}-\d{7}\b")
_LICENCE = re.compile(r"\bLIC-[A-Z]{2}-\d{5}\b")
_URL = re.compile(r"https?://([A-Za-z0-9.-]+)[^\s)\"]*")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_E164 = re.compile(r"\+\d{8,15}\b")
# Words a real payment memo would not carry, and that would give a ledger exercise away.
TELLING_MEMO_WORDS = ("ransom", "debt", "relative", "fee", "trip", "smuggl", "traffick", "passport", "release",
                      "compound", "agency", "visa", "broker")
ANNOUNCE_DAYS = 90  # a date a text announces lies at most this far after it
MAX_PROBLEMS = 200  # a broken generator can produce thousands: the first ones say enough


def violations(world: World) -> list[str]:
    """Every inconsistency in `world`, one sentence each (at most MAX_PROBLEMS); [] when none."""
    out: list[str] = []
    for check in (_references, _identifiers, _register, _accusations, _journeys, _announced_dates,
                  _comments_and_photos, _memos):
        for problem in check(world):
            out.append(problem)
            if len(out) >= MAX_PROBLEMS:
                return out
    return out


def _t(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def _texts(world: World) -> Iterator[tuple[str, str, str, Page | None]]:
    """(what, title, text, page) for every live page and every message."""
    for page in world.case.pages:
        yield f"page {page.page_id}", page.title, page.text, page
    for message in world.case.messages:
        yield f"message {message.message_id}", "", message.text, None


# ---------------------------------------------------------------- references


def _references(world: World) -> Iterator[str]:
    case, key = world.case, world.key
    accounts, pages, images = case.account_by_id, case.page_by_id, case.image_by_id
    fins = {f.fin_id for f in case.fin_accounts}
    txs = {t.tx_id for t in case.transactions}
    truths = {t.page_id for t in key.pages}
    captured = {c.url for c in case.archive}
    for page in case.pages:
        if page.author is not None and page.author not in accounts:
            yield f"page {page.page_id} names author {page.author}, which is no account of the world."
        if page.reply_to is not None and page.reply_to not in pages and page.reply_to not in truths:
            yield f"page {page.page_id} answers {page.reply_to}, which is no page of the world."
        for image in page.images:
            if image not in images:
                yield f"page {page.page_id} shows image {image}, which is not in the case."
    for account in case.accounts:
        if account.platform_id not in case.platform_by_id:
            yield f"account {account.account_id} is on platform {account.platform_id}, which does not exist."
        for other in (*account.followers, *account.following):
            if other not in accounts:
                yield f"account {account.account_id} follows or is followed by {other}, which does not exist."
    for message in case.messages:
        for who in (message.sender, *message.recipients):
            if who not in accounts:
                yield f"message {message.message_id} is from or to {who}, which is no account of the world."
    for tx in case.transactions:
        for end in (tx.sender, tx.receiver):
            if end not in fins:
                yield f"transaction {tx.tx_id} moves money from or to {end}, which is no financial account."
    orgs = {o.org_id for o in key.orgs}
    for truth in key.pages:
        if truth.page_id not in pages and truth.url not in captured:
            yield f"the key's page {truth.page_id} is neither live nor in the archive."
        if truth.org_id is not None and truth.org_id not in orgs:
            yield f"the key's page {truth.page_id} belongs to organisation {truth.org_id}, which does not exist."
    for person in key.people:
        for account_id in person.accounts:
            if account_id not in accounts:
                yield f"person {person.person_id} holds account {account_id}, which is not in the case."
        for fin_id in person.fin_accounts:
            if fin_id not in fins:
                yield f"person {person.person_id} holds financial account {fin_id}, which is not in the case."
    for attempt in key.typologies:
        for tx_id in attempt.tx_ids:
            if tx_id not in txs:
                yield f"typology {attempt.attempt_id} lists transaction {tx_id}, which is not in the case."
    sources = {i.image_id for i in key.images}
    for image in key.images:
        if image.source is not None and image.source not in sources:
            yield f"image {image.image_id} reposts {image.source}, which does not exist."


# ---------------------------------------------------------------- identifiers in text


def _known_identifiers(world: World) -> dict[str, set[str]]:
    case, key = world.case, world.key
    handles = {a.username.lower() for a in case.accounts}
    domains = {p.domain.lower() for p in case.platforms} | {p.domain.lower() for p in case.pages}
    domains |= {o.domain.lower() for o in key.orgs if o.domain}
    emails = {e.lower() for p in key.people for e in p.emails} | {a.email.lower() for a in case.accounts if a.email}
    whois = [p.data for p in case.pages if p.kind == "whois"]
    emails |= {str(d["registrant_email"]).lower() for d in whois if d.get("registrant_email")}
    phones = {n for p in key.people for n in p.phones} | {a.phone for a in case.accounts if a.phone}
    phones |= {f.number for f in case.fin_accounts if f.rail == "mobile"}
    org_domains = {o.domain.lower() for o in key.orgs if o.domain}
    digits = {re.sub(r"\D", "", n) for n in phones}
    return {"handles": handles, "domains": domains, "emails": emails, "phones": digits, "org_domains": org_domains}


def _identifiers(world: World) -> Iterator[str]:
    known = _known_identifiers(world)
    registrations = {o.registration for o in world.key.orgs if o.registration}
    licences = {o.licence for o in world.key.orgs if o.licence}
    for what, title, text, _page in _texts(world):
        both = f"{title}\n{text}"
        for handle in _HANDLE.findall(both):
            if handle.lower().rstrip(".") not in known["handles"]:
                yield f"{what} mentions @{handle}, which is no account of the world."
        for number in _REGISTRATION.findall(both):
            if number not in registrations:
                yield f"{what} quotes registration {number}, which is in no register of the world."
        for number in _LICENCE.findall(both):
            if number not in licences:
                yield f"{what} quotes licence {number}, which no organisation of the world holds."
        for host in _URL.findall(both):
            if host.lower().rstrip(".") not in known["domains"]:
                yield f"{what} links to {host}, which is no site of the world."
        for match in _EMAIL.finditer(both):
            address, domain = match.group(0).lower(), match.group(1).lower()
            if address not in known["emails"] and domain not in known["org_domains"]:
                yield f"{what} gives the e-mail {match.group(0)}, which belongs to nobody in the world."
        for number in _E164.findall(both):
            if number[1:] not in known["phones"]:
                yield f"{what} gives the phone number {number}, which belongs to nobody in the world."


# ---------------------------------------------------------------- the register


def _register(world: World) -> Iterator[str]:
    """A registration or licence number follows the name of the organisation holding it: the
    nearest organisation named before the number is its holder (registry and profile pages name
    it in their title)."""
    orgs = world.key.orgs
    holder = {o.registration: o for o in orgs if o.registration} | {o.licence: o for o in orgs if o.licence}
    names = re.compile("|".join(re.escape(o.name) for o in sorted(orgs, key=lambda o: -len(o.name)))) if orgs else None
    for page in world.case.pages:
        whole_page = page.kind in ("registry", "profile", "whois")
        for field in (page.title, page.text):
            for match in re.finditer(f"{_REGISTRATION.pattern}|{_LICENCE.pattern}", field):
                org = holder.get(match.group(0))
                if org is None or names is None:
                    continue  # an unknown number is reported by _identifiers
                before = [m.group(0) for m in names.finditer(field, 0, match.start())]
                if whole_page:
                    named = org.name in f"{page.title}\n{page.text}"
                else:
                    named = bool(before) and before[-1] == org.name
                if not named:
                    yield (f"page {page.page_id} quotes {match.group(0)}, which belongs to {org.name}, "
                           f"next to {before[-1] if before else 'no organisation name'}.")


# ---------------------------------------------------------------- what others say


def _accusations(world: World) -> Iterator[str]:
    """Complaints and families' posts never name an organisation the key calls legitimate."""
    legit = [o.name for o in world.key.orgs if o.legitimate]
    truth = world.key.page_truth
    about = {item for j in world.key.journeys for item in j.after}
    for page in world.case.pages:
        t = truth.get(page.page_id)
        complaint = page.page_id in about or (t is not None and any(c.indicator.startswith("ILO-") for c in t.cues))
        if not complaint:
            continue
        both = f"{page.title}\n{page.text}"
        for name in legit:
            if name in both:
                yield f"page {page.page_id} complains about {name}, which the key calls legitimate."


# ---------------------------------------------------------------- timelines


def _journeys(world: World) -> Iterator[str]:
    case, key = world.case, world.key
    pages = case.page_by_id
    people = key.person_by_id
    truths = key.page_truth
    threads: dict[str, list[Any]] = {}
    for message in case.messages:
        threads.setdefault(message.thread_id, []).append(message)
    txs = {t.tx_id: t for t in case.transactions}
    fins = {f.fin_id: f for f in case.fin_accounts}
    for j in key.journeys:
        who = f"journey of victim {j.victim}"
        for person in (j.victim, j.recruiter, j.family):
            if person is not None and person not in people:
                yield f"{who} names person {person}, who does not exist."
        seen, answered, departed = _t(j.ad_published), _t(j.answered), _t(j.departed)
        if not seen < answered < departed:
            yield f"{who} is out of order: ad {j.ad_published}, answer {j.answered}, departure {j.departed}."
        if j.ad is not None:
            ad = pages.get(j.ad)
            if ad is None and j.ad not in truths:
                yield f"{who} answers ad {j.ad}, which does not exist."
            elif ad is not None and ad.published != j.ad_published:
                yield f"{who} dates ad {j.ad} {j.ad_published}, but it was published {ad.published}."
        for item, lo, hi, when in _placed(j, pages, threads):
            if when is None:
                yield f"{who} names {item}, which is no page or thread of the world."
            elif not lo <= when < hi:
                phase = "before departure" if hi == departed else "after departure"
                yield f"{who}: {item} is dated {when:%Y-%m-%d %H:%M}, not {phase} ({j.departed})."
        yield from _payments(j, who, threads, txs, fins, answered)
        yield from _victim_comments(world, j, who, departed)
    yield from _trails(world, txs)


def _trails(world: World, txs: dict[str, Any]) -> Iterator[str]:
    """A family's money trail (key/flows.jsonl) starts after its relative left; a victim's after
    they answered the ad."""
    for flow in getattr(world.key, "flows", []):
        first = txs.get(flow.tx_ids[0]) if flow.tx_ids else None
        if first is None:
            continue
        for j in world.key.journeys:
            if flow.family == j.family and _t(first.time) <= _t(j.departed):
                yield (f"money trail {flow.flow_id}: the family {flow.family} pays on {first.time[:10]}, before "
                       f"their relative left ({j.departed[:10]}).")
            elif flow.family == j.victim and _t(first.time) < _t(j.answered):
                yield f"money trail {flow.flow_id}: the victim {j.victim} pays before answering the ad."


Placed = tuple[str, datetime, datetime, datetime | None]  # (what, from, until, when it is dated)


def _placed(j: Any, pages: dict[str, Page], threads: dict[str, list[Any]]) -> Iterator[Placed]:
    answered, departed = _t(j.answered), _t(j.departed)
    end = datetime.max.replace(tzinfo=departed.tzinfo)
    for items, lo, hi in ((j.before, answered, departed), (j.after, departed + timedelta(seconds=1), end)):
        for item in items:
            if item in pages:
                yield f"page {item}", lo, hi, _t(pages[item].published)
            elif item in threads:
                for message in threads[item]:
                    yield f"message {message.message_id}", lo, hi, _t(message.sent)
            elif item.startswith("pg-"):
                continue  # a page deleted later: only the archive keeps it
            else:
                yield item, lo, hi, None


def _payments(j: Any, who: str, threads: dict[str, list[Any]], txs: dict[str, Any], fins: dict[str, Any],
              answered: datetime) -> Iterator[str]:
    if not j.payments:
        return
    collector = fins.get(j.collector) if j.collector else None
    if collector is None:
        yield f"{who} has payments but no collecting account."
        return
    asked = [_t(m.sent) for t in (*j.before, *j.after) for m in threads.get(t, []) if collector.number in m.text]
    for tx_id in j.payments:
        tx = txs.get(tx_id)
        if tx is None:
            yield f"{who} lists payment {tx_id}, which is not in the case."
        elif tx.receiver != collector.fin_id:
            yield f"{who}: payment {tx_id} goes to {tx.receiver}, not to the account the chats name."
        elif not asked or _t(tx.time) < min(asked):
            yield f"{who}: payment {tx_id} is made before any message gives the number {collector.number}."
        elif _t(tx.time) < answered:
            yield f"{who}: payment {tx_id} is made before the victim answered the ad."


def _victim_comments(world: World, j: Any, who: str, departed: datetime) -> Iterator[str]:
    """A victim asks how to apply only before leaving; complaints come only after."""
    victim = world.key.person_by_id.get(j.victim)
    if victim is None:
        return
    mine = set(victim.accounts)
    truth = world.key.page_truth
    for page in world.case.pages:
        if page.author not in mine:
            continue
        t = truth.get(page.page_id)
        when = _t(page.published)
        if page.reply_to is not None and t is not None and t.template == "applicant_comment" and when >= departed:
            yield f"{who}: comment {page.page_id} asks about the job after the victim left ({j.departed})."
        if t is not None and any(c.indicator.startswith("ILO-") for c in t.cues) and when <= departed:
            yield f"{who}: page {page.page_id} complains about the work before the victim left ({j.departed})."


def _announced(text: str, published: datetime) -> Iterator[tuple[str, int]]:
    """('14 March', days after `published`) for each day-and-month date in `text`."""
    for match in _DAY_MONTH.finditer(text):
        day, month = int(match.group(1)), MONTHS.index(match.group(2)) + 1
        try:
            on = date(published.year, month, day)
            if on < published.date():
                on = date(published.year + 1, month, day)
        except ValueError:
            continue  # not a calendar date (30 February): not ours to judge
        yield match.group(0), (on - published.date()).days


def _announced_dates(world: World) -> Iterator[str]:
    """Dates a text announces fall after it (a departure, a meeting); a news dateline is its day."""
    items: list[tuple[str, str, str, str]] = [
        (f"page {p.page_id}", p.kind, f"{p.title}\n{p.text}", p.published) for p in world.case.pages
    ] + [(f"message {m.message_id}", "message", m.text, m.sent) for m in world.case.messages]
    for what, kind, text, when in items:
        published = _t(when)
        for written, days in _announced(text, published):
            if kind == "news" and days != 0:
                yield f"{what} carries the dateline {written} but was published {published:%d %B %Y}."
            elif days > ANNOUNCE_DAYS:
                yield f"{what} announces {written}, which is before it was written ({published:%d %B %Y})."


def _comments_and_photos(world: World) -> Iterator[str]:
    pages = world.case.page_by_id
    for page in world.case.pages:
        parent = pages.get(page.reply_to) if page.reply_to else None
        if parent is not None and _t(page.published) < _t(parent.published):
            yield f"comment {page.page_id} is published before the page {parent.page_id} it answers."
    first_shown: dict[str, datetime] = {}
    for page in sorted(world.case.pages, key=lambda p: p.published):
        for image in page.images:
            first_shown.setdefault(image, _t(page.published))
    truths = {t.image_id: t for t in world.key.images}
    for truth in world.key.images:
        shown = first_shown.get(truth.image_id)
        if shown is None:
            continue
        if truth.taken and truth.source is None and _t(truth.taken) > shown:
            yield f"image {truth.image_id} was taken {truth.taken}, after the page showing it was published."
        source = truths.get(truth.source) if truth.source else None
        if source is None:
            continue
        if source.source is None and source.taken:
            # A copy of an original photo: the author may share a smaller copy before posting the file
            # itself (Workshop 2 teaches that the first appearance is not always the original), but
            # nobody can post a copy of a photo not yet taken.
            if shown < _t(source.taken):
                yield f"image {truth.image_id} is posted before its original {source.image_id} was taken."
            continue
        source_shown = first_shown.get(source.image_id)
        if source_shown is not None and shown < source_shown:
            yield f"image {truth.image_id} is reposted before its original {truth.source} was posted."


def _memos(world: World) -> Iterator[str]:
    for tx in world.case.transactions:
        memo = tx.reference.lower()
        word = next((w for w in TELLING_MEMO_WORDS if w in memo), None)
        if word:
            yield f"transaction {tx.tx_id} carries the memo {tx.reference!r}, which gives its purpose away."


def format_violations(problems: Iterable[str], limit: int = 20) -> str:
    problems = list(problems)
    lines = [f"- {p}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"- ... and {len(problems) - limit} more")
    return "\n".join(lines)
