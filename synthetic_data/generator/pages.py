"""Web pages: the storyline, profiles, registry and whois records, news, and background."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from synthetic_data.generator import images
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

    Also returns cue sentences the spec could have used but did not (for edit history).
    """
    slots = make_slots(g, ctx)
    title, _ = compile_template(g.pick(spec["title"])).render(slots)
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
    return title, text, planted, unused


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


def _authors(g: Gen, by: str) -> list[tuple[Person | None, Organisation | None]]:
    if by == "legit_org":
        orgs = g.orgs_by_group.get("legitimate", []) + g.orgs_by_group.get("agencies", [])
        return [(None, o) for o in orgs]
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


def make_storyline(g: Gen) -> None:
    for item in g.scenario.data["storyline"]:
        spec = g.scenario.texts[item["text"]]
        authors = _authors(g, item["by"])
        if not authors:
            continue
        for i in range(g.count(item["count"])):
            person, org = authors[i % len(authors)]
            if person is not None and "recruiter" in person.roles:
                fronts = [o for o in g.orgs_by_group.get("front", []) if person.person_id in o.people]
                org = fronts[0] if fronts else None
            victims = [v for v, r in g.assigned_recruiter.items() if person and r is person]
            victim = (
                g.person_by_id[g.pick(victims)]
                if victims
                else (g.pick(g.people("victim")) if g.people("victim") else None)
            )
            ctx = Ctx(
                author=person,
                org=org,
                victim=victim,
                recruiter=g.assigned_recruiter.get(victim.person_id) if victim else None,
            )
            if person is not None and "victim" in person.roles:
                ctx.victim, ctx.recruiter = person, g.assigned_recruiter.get(person.person_id)
            account = _author_account(g, person, org, item["platform"])
            ctx.display = account.display_name
            title, text, cues, unused = render(g, spec, ctx)
            published = g.moment()
            kind = "post" if item["make"] == "post" else item["make"]
            page = add_page(g, kind, title, text, published, account=account)
            if item.get("image"):
                page.images.append(images.make_image(g, item["image"], person, account))
            truth = PageTruth(
                page_id=page.page_id, label=item["label"], cues=cues, org_id=org.org_id if org else None, url=page.url
            )
            g.key.pages.append(truth)
            g.text_source[page.page_id] = (item["text"], ctx)
            if item.get("history") and item["label"] in LABELS_WITH_HISTORY and g.chance(0.45):
                _history(g, page, truth, g.pick(item["history"]), unused)
            if item["label"] in LABELS_WITH_HISTORY and kind in ("job_ad", "post", "listing"):
                _applicant_comments(g, page, person)


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


def _applicant_comments(g: Gen, page: Page, recruiter: Person | None) -> None:
    spec = g.scenario.texts.get("applicant_comment")
    if spec is None:
        return
    victims = [g.person_by_id[v] for v, r in g.assigned_recruiter.items() if r is recruiter] or g.people("victim")
    platform_kind = g.platform_by_id[g.account_by_id[page.author].platform_id].kind
    for victim in g.rng.sample(victims, min(len(victims), g.rng.randint(0, 3))):
        account = g.account(victim, platform_kind) or add_account(g, victim, platform_kind)
        ctx = Ctx(author=victim)
        _, text, _, _ = render(g, spec, ctx)
        published = later(g, datetime.fromisoformat(page.published.replace("Z", "+00:00")), 1, 120)
        comment = add_page(
            g,
            "comment",
            f"Re: {page.title}",
            text,
            published,
            account=account,
            url=f"{page.url}#c{g.rng.randint(1000, 99999)}",
            reply_to=page.page_id,
        )
        g.key.pages.append(PageTruth(page_id=comment.page_id, label="background", url=comment.url))
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
            title, text, _, _ = render(g, spec, Ctx())
            news = add_page(g, "news", title, text, g.moment(g.start - timedelta(days=365), g.end), domain=news_domain)
            g.text_source[news.page_id] = (bank, Ctx())
            continue
        accounts = by_kind.get(platform_kind) or by_kind["social"]
        account = g.pick(accounts)
        person = g.person_by_id.get(owner.get(account.account_id, ""))
        ctx = Ctx(author=person, display=None if person else account.display_name)
        title, text, _, _ = render(g, spec, ctx)
        moment = g.moment(g.start - timedelta(days=365), g.end)
        if bank == "comment" and posts:
            parent = g.pick(posts)
            if g.account_by_id[parent.author].platform_id != account.platform_id:  # type: ignore[index]
                # A comment lives on its post's platform, written by an account there.
                parent_kind = g.platform_by_id[g.account_by_id[parent.author].platform_id].kind  # type: ignore[index]
                account = commenters.choice(by_kind[parent_kind])
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
    for image_id, _source, person in g.pending_reposts:
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
        page = add_page(g, "post", account.display_name, text, g.moment(), account=account)
        page.images.append(image_id)
        g.key.pages.append(PageTruth(page_id=page.page_id, label="background", url=page.url))
    g.pending_reposts.clear()
