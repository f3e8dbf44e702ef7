"""Web pages: the storyline, profiles, registry and whois records, news, and background."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from synthetic_data.generator import images, journeys
from synthetic_data.generator.cast import add_account
from synthetic_data.generator.context import Gen, iso, slugify
from synthetic_data.generator.slots import Ctx, later, make_slots
from synthetic_data.model import Account, Capture, Cue, Organisation, Page, PageTruth, Person
from synthetic_data.safety import test_ipv4
from synthetic_data.textgen import TextBuilder, compile_template

URL_SHAPES = {
    "job_ad": "https://{domain}/jobs/{slug}-{num}",
    "post": "https://{domain}/{user}/posts/{num}",
    "forum_thread": "https://{domain}/t/{slug}-{num}",
    "listing": "https://{domain}/item/{slug}-{num}",
}
LABELS_WITH_HISTORY = ("exploitative", "smuggling")


def render(g: Gen, spec: dict[str, Any], ctx: Ctx) -> tuple[str, str, list[Cue], list[str]]:
    """Title, text and planted cues of one text built from a text-bank spec.

    Cues in the title are recorded with field "title" (spans in the title). Also returns cue
    sentences the spec could have used but did not (for edit history). The slots the text used
    stay on `ctx.used` (a lure ad's job, for the journeys that answer it).
    """
    slots = make_slots(g, ctx)
    title, title_cues = compile_template(g.pick(spec["title"])).render(slots)
    body = TextBuilder()
    body.add(*compile_template(g.pick(spec["opener"])).render(slots))
    if "middle" in spec and g.chance(0.7):
        body.add(*compile_template(g.pick(spec["middle"])).render(slots))
    cues: dict[str, list[str]] = spec.get("cues", {})
    low, high = spec.get("pick", [0, 0])
    chosen = g.rng.sample(sorted(cues), min(len(cues), g.rng.randint(low, high))) if cues else []
    for indicator in chosen:
        body.add(*compile_template(g.pick(cues[indicator])).render(slots))
    for detail in spec.get("details", []):
        if g.chance(0.8):
            body.add(*compile_template(detail).render(slots))
    closer = g.pick(spec.get("closer", [""]))
    if closer:
        body.add(*compile_template(closer).render(slots), sep="\n\n")
    text, planted = body.build()
    unused = [compile_template(g.pick(cues[i])).render(slots)[0] for i in sorted(cues) if i not in chosen]
    ctx.used = dict(slots)
    return title, text, [replace(c, field="title") for c in title_cues] + planted, unused


# Share of pages of a kind published as a document rather than a web page (filetype: works on them).
DOCUMENT_SHARE = {"job_ad": (0.2, "pdf"), "listing": (0.12, "doc"), "registry": (0.5, "pdf"), "news": (0.05, "pdf")}


def as_document(g: Gen, page: Page) -> None:
    """Some pages are files: a job description PDF, a price list DOC, a registry extract PDF."""
    share, filetype = DOCUMENT_SHARE.get(page.kind, (0.0, "html"))
    if share and g.chance(share):
        page.filetype = filetype
        page.url = f"{page.url.split('#')[0].rstrip('/')}.{filetype}"


def page_url(g: Gen, kind: str, domain: str, title: str, user: str) -> str:
    return URL_SHAPES.get(kind, "https://{domain}/p/{num}").format(
        domain=domain, slug=slugify(title), num=g.rng.randint(10000, 999999), user=user
    )


def add_page(
    g: Gen,
    kind: str,
    title: str,
    text: str,
    published: datetime,
    *,
    account: Account | None = None,
    domain: str | None = None,
    url: str | None = None,
    **extra: Any,
) -> Page:
    if domain is None:
        assert account is not None, "a page needs a domain or an account"
        domain = g.platform_by_id[account.platform_id].domain
    page = Page(
        page_id=g.new_id("pg"),
        url=url or page_url(g, kind, domain, title, account.username if account else "site"),
        domain=domain,
        kind=kind,
        title=title,
        text=text,
        published=iso(published),
        author=account.account_id if account else None,
        **extra,
    )
    if url is None:
        as_document(g, page)
    g.case.pages.append(page)
    return page


# ------------------------------------------------------------------ storyline


def _authors(g: Gen, by: str, spec: dict[str, Any]) -> list[tuple[Person | None, Organisation | None]]:
    if by == "legit_org":
        kinds = spec.get("authors")  # the kinds of organisation that write this text
        orgs = [o for group, members in g.orgs_by_group.items() if group != "front" for o in members]
        return [(None, o) for o in orgs if not kinds or o.kind in kinds]
    people = g.people(by)
    return [(p, None) for p in people]


def _author_account(g: Gen, person: Person | None, org: Organisation | None, kind: str) -> Account:
    if org is not None:
        account = g.org_accounts.get(org.org_id)
        if account is not None and g.platform_by_id[account.platform_id].kind == kind:
            return account
        return _org_account_on(g, org, kind, owner=person)
    assert person is not None
    return g.account(person, kind) or add_account(g, person, kind)


def _org_account_on(g: Gen, org: Organisation, kind: str, owner: Person | None = None) -> Account:
    """An organisation's page on a platform. A front company's page is run by its recruiter,
    and the key says so (who controls which account is a question labs ask)."""
    key = f"{org.org_id}:{kind}"
    if key not in g.org_accounts:
        account = add_account(g, None, kind, username=slugify(org.name, 24).replace("-", "_"), display_name=org.name)
        account.website = f"https://{org.domain}"
        if owner is not None and not org.legitimate:
            owner.accounts.append(account.account_id)
        g.org_accounts[key] = account
    return g.org_accounts[key]


def _front_of(g: Gen, recruiter: Person | None) -> Organisation | None:
    fronts = [o for o in g.orgs_by_group.get("front", []) if recruiter and recruiter.person_id in o.people]
    return fronts[0] if fronts else None


def _legit_binding(g: Gen, org: Organisation) -> tuple[Organisation, Organisation | None]:
    """(employer, licensed agency) a legitimate text names: the author itself where it is one,
    so every registration and licence number it quotes is the named organisation's own."""
    legit = [o for group, members in g.orgs_by_group.items() if group != "front" for o in members]
    if org.kind == "licensed_agency":
        employers = [o for o in legit if o.kind == "employer"]
        return (g.pick(employers) if employers else org), org
    if org.kind == "travel_agent":
        return org, org  # its own tourism licence
    agencies = [o for o in legit if o.kind == "licensed_agency"]
    return org, (g.pick(agencies) if agencies else None)


def _context(g: Gen, person: Person | None, org: Organisation | None, i: int) -> Ctx | None:
    """Who a storyline text is by and about; None when it needs a journey the world lacks."""
    if org is not None:
        employer, agency = _legit_binding(g, org)
        return Ctx(org=org, employer=employer, agency=agency)
    assert person is not None
    if "recruiter" in person.roles:
        victims = [v for v, r in g.assigned_recruiter.items() if r is person]
        victim = g.person_by_id[g.pick(victims)] if victims else None
        return Ctx(author=person, org=_front_of(g, person), victim=victim, recruiter=person)
    if "victim" in person.roles or "family" in person.roles:
        victims = [person] if "victim" in person.roles else journeys.victims_of_family(g, person)
        if not victims:
            return None
        victim = victims[i % len(victims)]
        journey = g.journeys.get(victim.person_id)
        recruiter = g.assigned_recruiter.get(victim.person_id)
        ctx = Ctx(author=person, org=_front_of(g, recruiter), victim=victim, recruiter=recruiter, journey=journey)
        if journey is not None:
            ctx.fixed = journeys.fixed_slots(g, journey)
        return ctx
    victims = g.people("victim")
    return Ctx(author=person, victim=g.pick(victims) if victims else None)


def _moment(g: Gen, phase: str | None, ctx: Ctx) -> datetime:
    if phase == "lure":
        return journeys.lure_moment(g)
    if phase == "before_departure" and ctx.journey is not None:
        return journeys.before_moment(g, ctx.journey)
    if phase == "after_departure" and ctx.journey is not None:
        return journeys.after_moment(g, ctx.journey)
    return g.moment()


def make_storyline(g: Gen) -> None:
    """Lure pages first, then each victim's journey from them, then what victims, families and
    others write (each in its place on the journey's timeline)."""
    journeys.choose_collector(g)
    items = g.scenario.data["storyline"]
    for item in items:
        if item.get("phase") == "lure":
            _storyline_item(g, item)
    journeys.make_journeys(g)
    for item in items:
        if item.get("phase") != "lure":
            _storyline_item(g, item)
    _lure_comments(g)


def _storyline_item(g: Gen, item: dict[str, Any]) -> None:
    spec = g.scenario.texts[item["text"]]
    authors = _authors(g, item["by"], spec)
    if not authors:
        return
    phase = item.get("phase")
    for i in range(g.count(item["count"])):
        person, org = authors[i % len(authors)]
        ctx = _context(g, person, org, i)
        if ctx is None:
            continue
        account = _author_account(g, person, org, item["platform"])
        ctx.display, ctx.account = account.display_name, account
        published = _moment(g, phase, ctx)
        ctx.when = published
        title, text, cues, unused = render(g, spec, ctx)
        kind = "post" if item["make"] == "post" else item["make"]
        page = add_page(g, kind, title, text, published, account=account)
        if item.get("image"):
            page.images.append(
                images.make_image(
                    g, item["image"], person, account, posted=published, job=ctx.used.get("job"),
                    at_home=phase == "before_departure",
                )
            )
        truth = PageTruth(
            page_id=page.page_id,
            label=item["label"],
            cues=cues,
            org_id=(ctx.employer or org).org_id if org else (ctx.org.org_id if ctx.org else None),
            url=page.url,
            template=item["text"],
        )
        g.key.pages.append(truth)
        g.text_source[page.page_id] = (item["text"], ctx)
        if phase == "lure" and person is not None:
            job = ctx.used.get("job") or g.pick(g.scenario.data["jobs"])
            g.lures.setdefault(person.person_id, []).append((page, job))
        if ctx.journey is not None and phase in ("before_departure", "after_departure"):
            (ctx.journey.before if phase == "before_departure" else ctx.journey.after).append(page.page_id)
        if item.get("history") and item["label"] in LABELS_WITH_HISTORY and g.chance(0.45):
            _history(g, page, truth, g.pick(item["history"]), unused)


def _history(g: Gen, page: Page, truth: PageTruth, event: str, unused: list[str]) -> None:
    """Edit or delete a page later; the archive keeps what was there before."""
    published = datetime.fromisoformat(page.published.replace("Z", "+00:00"))
    first = later(g, published, 2, 96)
    if event == "edited":
        removed = unused[0] if unused else f"Call {g.account_by_id[page.author].phone or ''}".strip()
        original = f"{page.text}\n\n{removed}"
        _capture(g, page.url, first, 200, page.title, original)
        _capture(g, page.url, later(g, first, 72, 600), 200, page.title, page.text)
        truth.history, truth.changes = "edited", [removed]
    else:
        _capture(g, page.url, first, 200, page.title, page.text)
        _capture(g, page.url, later(g, first, 72, 900), 404, "Not Found", "")
        page.status = "deleted"
        truth.history = "deleted"


def _capture(g: Gen, url: str, moment: datetime, status: int, title: str, text: str) -> None:
    g.case.archive.append(
        Capture(g.new_id("cap"), url, iso(min(moment, g.end + timedelta(days=30))), status, title, text)
    )


def _lure_comments(g: Gen) -> None:
    """Would-be applicants comment under lure pages: the recruiter's victims, before they leave."""
    spec = g.scenario.texts.get("applicant_comment")
    if spec is None:
        return
    for recruiter_id, lures in g.lures.items():
        victims = [g.person_by_id[v] for v, r in g.assigned_recruiter.items() if r.person_id == recruiter_id]
        for page, _job in lures:
            if page.kind not in ("job_ad", "post", "listing"):
                continue
            published = datetime.fromisoformat(page.published.replace("Z", "+00:00"))
            for victim in g.rng.sample(victims, min(len(victims), g.rng.randint(0, 3))):
                moment = later(g, published, 1, 120)
                departed = journeys.parse(g.journeys[victim.person_id].departed)
                if moment >= departed - timedelta(hours=1):
                    continue  # already gone: they do not ask how to apply
                _comment(g, spec, page, victim, moment)


def _comment(g: Gen, spec: dict[str, Any], page: Page, victim: Person, moment: datetime) -> None:
    platform_kind = g.platform_by_id[g.account_by_id[page.author].platform_id].kind
    account = g.account(victim, platform_kind) or add_account(g, victim, platform_kind)
    ctx = Ctx(author=victim, when=moment)
    _, text, _, _ = render(g, spec, ctx)
    comment = add_page(
        g,
        "comment",
        f"Re: {page.title}",
        text,
        moment,
        account=account,
        url=f"{page.url}#c{g.rng.randint(1000, 99999)}",
        reply_to=page.page_id,
    )
    g.key.pages.append(
        PageTruth(page_id=comment.page_id, label="background", url=comment.url, template="applicant_comment")
    )
    g.text_source[comment.page_id] = ("applicant_comment", ctx)


# ------------------------------------------------------------------ profiles, registry, whois


def make_profiles(g: Gen) -> None:
    """Every account on a web platform has a public profile page (messenger ones do not)."""
    for account in list(g.case.accounts):
        platform = g.platform_by_id[account.platform_id]
        if platform.kind == "messenger":
            continue
        lines = [
            line
            for line in (
                account.bio,
                f"Lives in {account.location}" if account.location else "",
                f"Phone: {account.phone}" if account.phone else "",
                f"E-mail: {account.email}" if account.email else "",
                f"Website: {account.website}" if account.website else "",
                f"Joined {account.created[:7]}",
            )
            if line
        ]
        add_page(
            g,
            "profile",
            f"{account.display_name} (@{account.username}) - {platform.name}",
            "\n".join(lines),
            datetime.fromisoformat(account.created.replace("Z", "+00:00")),
            account=account,
            url=account.url,
        )


def make_registry_and_whois(g: Gen) -> None:
    for org in g.key.orgs:
        _registry_entry(g, org)
        if org.domain:
            _whois(g, org)


def _registry_entry(g: Gen, org: Organisation) -> None:
    pack = g.dest if org.country == g.dest.code else g.origin
    if org.legitimate:
        registered = g.start - timedelta(days=g.rng.randint(800, 6000))
        directors = [pack.person_name(g.rng).latin for _ in range(g.rng.randint(1, 2))]
    else:
        registered = g.start - timedelta(days=g.rng.randint(20, 120))
        runner = g.person_by_id.get(org.people[0]) if org.people else None
        mules = g.people("mule")
        nominee = g.pick(mules) if mules and g.chance(0.6) else runner
        directors = [nominee.name_latin if nominee else pack.person_name(g.rng).latin]
        if nominee is not None and nominee.person_id not in org.people:
            org.people.append(nominee.person_id)
    city = g.pick(pack.cities).name
    data = {
        "company": org.name,
        "registration": org.registration,
        "registered": registered.date().isoformat(),
        "status": "Active",
        "address": f"{city}, {pack.name}",
        "directors": directors,
        "activity": {
            "employer": "Employer",
            "agency": "Employment services",
            "licensed_agency": "Employment services",
            "travel_agent": "Travel agency",
        }[org.kind],
        "licence": org.licence or "",
    }
    text = "\n".join(f"{k.title()}: {', '.join(v) if isinstance(v, list) else v}" for k, v in data.items() if v)
    domain = g.content["platforms"]["services"]["registry"]["domain_pattern"].format(cc=pack.code.lower())
    entry = add_page(
        g,
        "registry",
        f"{org.name} - {pack.name} Business Registry",
        text,
        registered,
        domain=domain,
        url=f"https://{domain}/company/{org.registration}",
        data=data,
    )
    as_document(g, entry)  # some registries publish extracts as PDF


WHOIS_LABELS = {
    "domain": "Domain Name",
    "registrar": "Registrar",
    "created": "Creation Date",
    "expires": "Expiry Date",
    "registrant_name": "Registrant Name",
    "registrant_email": "Registrant Email",
    "registrant_phone": "Registrant Phone",
    "name_servers": "Name Server",
    "ip": "IP Address",
}


def _expiry(g: Gen, created: datetime) -> datetime:
    """Registrations are renewed a year at a time, so every domain is live during the storyline."""
    years = 1
    while created + timedelta(days=365 * years) < g.end:
        years += 1
    return created + timedelta(days=365 * (years + g.rng.randint(0, 1)))


def _whois(g: Gen, org: Organisation) -> None:
    assert org.domain is not None
    services = g.content["platforms"]["services"]
    created = g.start - timedelta(days=g.rng.randint(30, 90) if not org.legitimate else g.rng.randint(900, 5000))
    runner = g.person_by_id.get(org.people[0]) if org.people else None
    private = org.legitimate or not runner or g.chance(0.4)
    data = {
        "domain": org.domain,
        "registrar": g.pick(services["registrars"]),
        "created": created.date().isoformat(),
        "expires": _expiry(g, created).date().isoformat(),
        "registrant_name": "Privacy Protected"
        if private and not org.legitimate
        else (org.name if org.legitimate else runner.name_latin),  # type: ignore[union-attr]
        "registrant_email": f"admin@{org.domain}"
        if org.legitimate
        else ("privacy@proxy.example" if private else runner.emails[0]),  # type: ignore[union-attr]
        "registrant_phone": "" if private or not runner else runner.phones[0],
        "name_servers": [f"ns1.{org.domain}", f"ns2.{org.domain}"],
        "ip": test_ipv4(g.rng),
    }
    text = "\n".join(f"{WHOIS_LABELS[k]}: {', '.join(v) if isinstance(v, list) else v}" for k, v in data.items() if v)
    domain = services["whois"]["domain"]
    add_page(
        g, "whois", f"WHOIS {org.domain}", text, created, domain=domain, url=f"https://{domain}/{org.domain}", data=data
    )


# ------------------------------------------------------------------ background


BACKGROUND_MIX = (
    ("everyday_post", "social", 0.40),
    ("comment", "social", 0.22),
    ("classified", "classifieds", 0.12),
    ("forum_thread", "forum", 0.08),
    ("news", "news", 0.05),
    ("local_job", "jobs", 0.08),
    ("everyday_post", "photos", 0.05),
)
KIND_OF_BANK = {
    "everyday_post": "post",
    "comment": "comment",
    "classified": "listing",
    "forum_thread": "forum_thread",
    "news": "news",
    "local_job": "job_ad",
}


def make_background(g: Gen) -> None:
    target = g.size.pages - len(g.case.pages)
    if target <= 0:
        return
    banks = g.content["background"]["texts"]
    by_kind: dict[str, list[Account]] = {}
    for account in g.case.accounts:
        by_kind.setdefault(g.platform_by_id[account.platform_id].kind, []).append(account)
    owner = {a: p.person_id for p in g.key.people for a in p.accounts}
    weights = [w for _, _, w in BACKGROUND_MIX]
    news_domain = g.content["platforms"]["services"]["news"]["domain_pattern"].format(cc=g.origin.code.lower())
    posts: list[Page] = []
    # Own stream (not g.rng): choosing a commenter on the parent's platform shifts no other step.
    commenters = random.Random(f"osintlab-world:{g.seed}:comment-authors")
    for _ in range(target):
        bank, platform_kind, _w = g.rng.choices(BACKGROUND_MIX, weights)[0]
        spec = banks[bank]
        if platform_kind == "news":
            moment = g.moment(g.start - timedelta(days=365), g.end)
            ctx = Ctx(when=moment)
            title, text, _, _ = render(g, spec, ctx)
            news = add_page(g, "news", title, text, moment, domain=news_domain)
            g.text_source[news.page_id] = (bank, ctx)
            continue
        accounts = by_kind.get(platform_kind) or by_kind["social"]
        account = g.pick(accounts)
        person = g.person_by_id.get(owner.get(account.account_id, ""))
        moment = g.moment(g.start - timedelta(days=365), g.end)
        ctx = Ctx(author=person, display=None if person else account.display_name, account=account, when=moment)
        title, text, _, _ = render(g, spec, ctx)
        if bank == "comment" and posts:
            parent = g.pick(posts)
            if g.account_by_id[parent.author].platform_id != account.platform_id:  # type: ignore[index]
                # A comment lives on its post's platform, written by an account there.
                parent_kind = g.platform_by_id[g.account_by_id[parent.author].platform_id].kind  # type: ignore[index]
                account = commenters.choice(by_kind[parent_kind])
            moment = later(g, datetime.fromisoformat(parent.published.replace("Z", "+00:00")), 1, 240)
            reply = add_page(
                g,
                "comment",
                f"Re: {parent.title}",
                text,
                moment,
                account=account,
                url=f"{parent.url}#c{g.rng.randint(1000, 99999)}",
                reply_to=parent.page_id,
            )
            g.text_source[reply.page_id] = (bank, ctx)
            continue
        page = add_page(g, KIND_OF_BANK[bank], title, text, moment, account=account)
        g.text_source[page.page_id] = (bank, ctx)
        if page.kind == "post":
            posts.append(page)
    images.attach_background_photos(g, posts)


def make_archive_captures(g: Gen, share: float = 0.08) -> None:
    """The web archive also holds plain snapshots of many live pages, not only the storyline's."""
    for page in g.rng.sample(g.case.pages, int(len(g.case.pages) * share)):
        if page.status != "live" or page.kind == "comment":
            continue
        published = datetime.fromisoformat(page.published.replace("Z", "+00:00"))
        for _ in range(g.rng.randint(1, 2)):
            _capture(g, page.url, later(g, published, 1, 24 * 60), 200, page.title, page.text)


def make_repost_pages(g: Gen) -> None:
    """Each repost of an image appears on another account: a recruiter's alias, or a stranger."""
    social_accounts = [a for a in g.case.accounts if g.platform_by_id[a.platform_id].kind == "social"]
    shown = {image: p.published for p in g.case.pages for image in p.images}  # when each image first appeared
    for image_id, source, person in g.pending_reposts:
        account = None
        if person is not None and "recruiter" in person.roles:
            aliases = [
                g.account_by_id[a]
                for a in person.accounts
                if a in g.account_by_id and g.account_by_id[a].platform_id == g.platforms["social"].platform_id
            ]
            account = aliases[-1] if aliases else None
        account = account or g.pick(social_accounts)
        text = g.pick(
            [
                "Sharing for friends who need work.",
                "Look at this!",
                "Repost.",
                "Is this real?",
                "Found this today.",
                "Good luck to everyone.",
            ]
        )
        first = datetime.fromisoformat(shown[source].replace("Z", "+00:00")) if source in shown else g.start
        moment = g.moment(first + timedelta(hours=1), g.end + timedelta(days=1))  # after the original appeared
        page = add_page(g, "post", account.display_name, text, moment, account=account)
        page.images.append(image_id)
        g.key.pages.append(PageTruth(page_id=page.page_id, label="background", url=page.url))
    g.pending_reposts.clear()
