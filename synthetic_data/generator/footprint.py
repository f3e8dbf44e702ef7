"""Digital-footprint material of a world (Workshop 2): a username-check registry and the small
platforms it covers, a recruiter's family of accounts behind one handle with the traces that
link them, innocent namesakes and look-alike handles around it, and a closed group.

`make_footprint(g)` runs after the original steps. Each part draws from its own RNG stream
(steprng.Step), so adding or changing it never shifts the rest of the world.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

from synthetic_data.footprint_data import (
    BANKS_DIR,
    footprint_bank,
    handle_variants,
    sentences,
    site_options,
    sites_bank,
)
from synthetic_data.generator import edits, journey, phones, scenes
from synthetic_data.generator.context import Gen, iso, slugify
from synthetic_data.generator.steprng import Step, free, new_account, new_page, profile_page
from synthetic_data.model import Account, FootprintTruth, Person, Platform, Restricted, Server, Site
from synthetic_data.scenario import validate_against

TRACES = ("phone", "email", "photo", "bio", "link")
# How many of the registry's small sites misbehave in a world, by kind of answer (case/servers.jsonl).
BEHAVIOURS = (("search_page", 2), ("bot_wall", 2), ("redesigned", 1))
AVATAR_STYLES = ("mountain", "flower", "ball", "cup")


__all__ = ["footprint_bank", "handle_variants", "linking_traces", "make_footprint", "site_options", "sites_bank"]


@cache
def check_banks() -> None:
    """Validate the Workshop 2 banks against their schemas (once per process)."""
    validate_against("sites", sites_bank(), BANKS_DIR / "sites.yml")
    validate_against("footprint", footprint_bank(), BANKS_DIR / "banks.yml")


def make_footprint(g: Gen) -> None:
    """Every Workshop 2 part of the world, each on its own random stream."""
    check_banks()
    make_registry(g, Step(g, "sites"))
    make_family(g, Step(g, "footprint"))
    make_groups(g, Step(g, "groups"))
    phones.make_numbers(g, Step(g, "phones"))
    scenes_and_reposts(g, Step(g, "scenes"))
    journey.make_journey(g, Step(g, "journey"))
    edits.make_edits(g, Step(g, "edits"))
    # Order reveals nothing (as _finish does for the original records).
    g.case.restricted.sort(key=lambda r: r.restricted_id)
    g.case.exports.sort(key=lambda e: e.export_id)
    g.case.image_text.sort(key=lambda t: t.image_id)


# ------------------------------------------------------------------ the registry


def make_registry(g: Gen, step: Step) -> None:
    bank = sites_bank()
    minor: list[Site] = []
    for spec in bank["sites"]:
        core = spec.get("platform")
        if core:
            platform = g.platform_by_id[core]
        else:
            pretty = spec.get("uri_pretty", spec["uri_check"])
            platform = Platform(spec["site_id"], spec["name"], spec["cat"], spec["domain"],
                                pretty.replace("{account}", "{username}"),
                                f"{spec['name']}: {spec['cat']} site.")
            g.platform_by_id[platform.platform_id] = platform
            g.usernames.setdefault(platform.platform_id, set())
            g.case.platforms.append(platform)
        site = Site(site_id=spec["site_id"], name=spec["name"], cat=spec["cat"], uri_check=spec["uri_check"],
                    uri_pretty=spec.get("uri_pretty", spec["uri_check"]), e_code=spec["e_code"],
                    e_string=spec["e_string"], m_code=spec["m_code"], m_string=spec["m_string"], known=[],
                    platform_id=platform.platform_id)
        g.case.sites.append(site)
        g.case.servers.append(Server(site.site_id, "normal"))
        if not core:
            minor.append(site)
    servers = {s.site_id: s for s in g.case.servers}
    shuffled = step.sample(minor, len(minor))
    for behaviour, count in BEHAVIOURS:
        for site in shuffled[:count]:
            servers[site.site_id].answer = behaviour
            platform = g.platform_by_id[site.platform_id]
            if behaviour == "search_page":  # the entry checks a search endpoint: any name "exists"
                site.uri_check = f"https://{platform.domain}/search?q={{account}}"
            elif behaviour == "bot_wall":
                site.protection = ["cloudflare"]
        shuffled = shuffled[count:]
    _known_accounts(g, step)


def _known_accounts(g: Gen, step: Step) -> None:
    """Two accounts per site that a registry's self-test can rely on (WhatsMyName's `known`)."""
    by_platform: dict[str, list[Account]] = {}
    for account in g.case.accounts:
        by_platform.setdefault(account.platform_id, []).append(account)
    created = g.start - timedelta(days=4 * 365)
    for site in g.case.sites:
        existing = sorted(a.username for a in by_platform.get(site.platform_id, []))
        if len(existing) >= 2:
            site.known = existing[:2]
            continue
        platform = g.platform_by_id[site.platform_id]
        for username in (site.site_id, f"{site.site_id}_help"):
            account = new_account(step, None, platform, username, f"{site.name} team", created,
                                  bio=f"Official account of {site.name}.")
            profile_page(step, account)
            site.known.append(username)


# ------------------------------------------------------------------ a handle family


def _fresh_handle(g: Gen, step: Step, bank: dict[str, Any]) -> str:
    for _ in range(200):
        handle = f"{step.pick(bank['handle_words'])}_{step.pick(bank['handle_jobs'])}"
        variants = handle_variants(handle)
        if all(v not in taken for v in variants for taken in g.usernames.values()):
            return handle
    raise RuntimeError("no free recruiter handle left in content/footprint/banks.yml handle_words")


def _lookalike(step: Step, handle: str) -> str:
    """A handle one small change away: a digit added, a letter doubled or swapped for a digit."""
    kind = step.pick(["digit", "double", "leet"])
    if kind == "digit":
        return f"{handle}{step.rng.randint(1, 9)}"
    letters = [i for i, c in enumerate(handle) if c.isalpha()]
    i = step.pick(letters)
    if kind == "double":
        return handle[: i + 1] + handle[i] + handle[i + 1:]
    leet = {"o": "0", "i": "1", "e": "3", "a": "4", "s": "5", "l": "1"}
    spots = [j for j in letters if handle[j] in leet] or [i]
    j = step.pick(spots)
    return handle[:j] + leet.get(handle[j], handle[j].upper()) + handle[j + 1:]


def _sweepable(g: Gen) -> list[Platform]:
    return [g.platform_by_id[s.platform_id] for s in g.case.sites]


def _contact_hidden(platform: Platform) -> bool:
    return site_options(platform.platform_id).get("logged_out") == "limited"


def _unique_phone(g: Gen, step: Step) -> str:
    taken = {p for person in g.key.people for p in person.phones}
    taken |= {a.phone for a in g.case.accounts if a.phone}
    while True:
        number = g.origin.mobile_number(step.rng)
        if number not in taken:
            return number


def make_family(g: Gen, step: Step) -> None:
    """A recruiter's work accounts behind one handle, each linked to the others by at least two
    traces, and accounts of innocent people that share or imitate the handle."""
    bank = footprint_bank()
    recruiters = g.people("recruiter")
    if not recruiters:
        return
    subject = step.pick(recruiters)
    handle = _fresh_handle(g, step, bank)
    word, job = handle.split("_")
    phone = _unique_phone(g, step)
    subject.phones.append(phone)
    domain = step.pick(g.content["platforms"]["services"]["mail_domains"])
    email = f"{word}.{job}@{domain}"
    subject.emails.append(email)
    tagline = step.pick(bank["taglines"]).format(dest_country=g.dest.name, demonym=g.origin.demonym)
    brand = f"{word.title()} {job.upper() if len(job) <= 2 else job.title()}"
    created = g.start - timedelta(days=step.rng.randint(40, 120))
    logo = scenes.avatar(step, "logo")
    original = scenes.store(step, logo, scenes.picture_truth(step, None))

    def photo_copy() -> str:
        transform = step.pick(["recompress", "crop", "mirror"])
        picture, quality = scenes.transformed(step, logo, transform)
        return scenes.store(step, picture, scenes.copy_truth(step, original, transform), quality=quality)

    social = g.platforms["social"]
    seed = new_account(step, subject, social, handle, brand, created, bio=f"{tagline} Contact us any time.",
                       phone=phone, email=email, avatar=original, location=subject.city)
    family: list[Account] = [seed]
    # Where the family has accounts: a handle kind per site, on sites other than the seed's.
    sites = [p for p in _sweepable(g) if p.platform_id != social.platform_id]
    answer = {s.site_id: s.answer for s in g.case.servers}
    walled = [p for p in sites if answer[p.platform_id] == "bot_wall"]
    plain = [p for p in sites if answer[p.platform_id] != "bot_wall"]
    kinds = ["exact"] * step.rng.randint(1, 2) + ["sep"] * step.rng.randint(1, 2)
    kinds += ["digits"] * step.rng.randint(0, 1) + ["renamed"] * step.rng.randint(0, 1)
    chosen = step.sample(plain, len(kinds))
    limited = [p for p in plain if _contact_hidden(p) and p not in chosen]
    if limited and not any(_contact_hidden(p) for p in chosen):  # one site shows contact details to members only
        chosen[-1] = step.pick(limited)
    if walled and step.chance(0.6):
        kinds.append("exact")
        chosen.append(step.pick(walled))
    variants = [v for v in handle_variants(handle) if v != handle]
    for kind, platform in zip(kinds, chosen, strict=False):
        username = {"exact": handle, "sep": step.pick(variants),
                    "digits": f"{handle}{step.rng.randint(10, 99)}",
                    "renamed": f"{subject.name_latin.split()[0].lower()}.{step.rng.randint(100, 999)}"}[kind]
        if not free(g, platform, username):
            continue
        traces = _draw_traces(step, platform)
        fields: dict[str, Any] = {"location": subject.city if step.chance(0.5) else ""}
        if "bio" in traces:
            fields["bio"] = f"{tagline} {step.pick(['DM open.', 'Write to us.', 'Since 2019.'])}"
        else:
            fields["bio"] = step.pick(["Jobs abroad.", "Recruitment.", "Hiring now.", ""])
        if "photo" in traces:
            fields["avatar"] = photo_copy()
        if "link" in traces:
            fields["website"] = step.pick(family).url
        hidden: dict[str, str] = {}
        for trace, value in (("phone", phone), ("email", email)):
            if trace in traces:
                if _contact_hidden(platform):
                    hidden[trace] = value
                else:
                    fields[trace] = value
        display = brand if step.chance(0.6) else subject.name_latin
        account = new_account(step, subject, platform, username, display,
                              created + timedelta(days=step.rng.randint(1, 30)), **fields)
        if hidden:
            g.case.restricted.append(Restricted(step.new_id("rs"), account.account_id, "logged_in", "contact",
                                                account.created, "Contact details (visible to logged-in members)",
                                                hidden))
        family.append(account)
    # The seed links out to one family account (a link-in-bio), as such profiles do.
    if len(family) > 1:
        seed.website = step.pick(family[1:]).url
    decoys = _decoys(g, step, family, handle, brand, logo, original)
    for account in family + [g.account_by_id[a] for a in decoys]:
        profile_page(step, account)
    truth = FootprintTruth(person_id=subject.person_id, seed_account=seed.account_id, seed_handle=handle,
                           accounts={}, decoys=decoys, phone=phone, email=email, avatar=original)
    truth.accounts = linking_traces(g, truth, [a.account_id for a in family])
    g.key.footprints.append(truth)


def _draw_traces(step: Step, platform: Platform) -> set[str]:
    """Two or three traces, at least two of them visible to a visitor who is not logged in."""
    while True:
        traces = set(step.sample(TRACES, step.rng.randint(2, 3)))
        visible = traces - ({"phone", "email"} if _contact_hidden(platform) else set())
        if len(visible) >= 2:
            return traces


def _bystanders(g: Gen) -> list[Person]:
    return [p for p in g.key.people if "bystander" in p.roles]


def _decoys(g: Gen, step: Step, family: list[Account], handle: str, brand: str, logo: Any,
            original: str) -> dict[str, str]:
    """Accounts of other people that a careless sweep would count: namesakes (the same handle),
    look-alikes (a handle one change away), and one that even reuses the family's stock photo."""
    bank = footprint_bank()
    used = {a.platform_id for a in family}
    open_sites = [p for p in _sweepable(g) if p.platform_id not in used and p.kind != "messenger"]
    people = _bystanders(g)
    decoys: dict[str, str] = {}
    plan = ["namesake"] * step.rng.randint(3, 4) + ["lookalike"] * step.rng.randint(3, 4)
    stock = step.rng.randrange(len(plan))
    for i, (reason, platform) in enumerate(zip(plan, step.sample(open_sites, len(plan)), strict=False)):
        username = step.pick(handle_variants(handle)) if reason == "namesake" else _lookalike(step, handle)
        if not free(g, platform, username) or not people:
            continue
        owner = step.pick(people)
        fields: dict[str, Any] = {"bio": step.pick(bank["namesake_bios"]).format(city=owner.city),
                                  "location": owner.city if step.chance(0.6) else ""}
        if i == stock:
            picture, quality = scenes.transformed(step, logo, "recompress")
            fields["avatar"] = scenes.store(step, picture, scenes.copy_truth(step, original, "recompress"),
                                            quality=quality)
            reason = "stock_photo"
        elif step.chance(0.7):
            fields["avatar"] = scenes.store(step, scenes.avatar(step, step.pick(AVATAR_STYLES)),
                                            scenes.picture_truth(step, None))
        if step.chance(0.3) and not _contact_hidden(platform):
            fields["phone"] = owner.phones[0]
        display = brand if step.chance(0.25) else (owner.name if step.chance(0.5) else owner.name_latin)
        created = step.moment(g.start - timedelta(days=3 * 365), g.start)
        account = new_account(step, owner, platform, username, display, created, **fields)
        decoys[account.account_id] = reason
    return decoys


# ------------------------------------------------------------------ traces (the key and the tests)


def _contact(g: Gen, account: Account) -> dict[str, str]:
    out = {"phone": account.phone or "", "email": (account.email or "").casefold()}
    for item in g.case.restricted:
        if item.target == account.account_id and item.kind == "contact":
            out.update({k: (v.casefold() if k == "email" else v) for k, v in item.data.items()})
    return out


def copies_of(g: Gen, image_id: str) -> set[str]:
    """An image and every copy of it (reposts of reposts included), from the key."""
    children: dict[str, list[str]] = {}
    for truth in g.key.images:
        if truth.source:
            children.setdefault(truth.source, []).append(truth.image_id)
    out, todo = set(), [image_id]
    while todo:
        current = todo.pop()
        if current not in out:
            out.add(current)
            todo += children.get(current, [])
    return out


def linking_traces(g: Gen, truth: FootprintTruth, account_ids: list[str]) -> dict[str, list[str]]:
    """For each account of `account_ids`: the traces it shares with at least one other of them.

    phone / email: the same number or address (public, or visible to logged-in members);
    photo: its profile photo is a copy of another one's; bio: its bio repeats a sentence (of three
    words or more) of another one's bio word for word; link: it links to, or is linked from,
    another of the accounts."""
    accounts = [g.account_by_id[a] for a in account_ids]
    photos = copies_of(g, truth.avatar)
    urls = {a.url: a.account_id for a in accounts}
    out: dict[str, list[str]] = {}
    for account in accounts:
        others = [o for o in accounts if o is not account]
        mine = _contact(g, account)
        found = []
        for field in ("phone", "email"):
            if mine[field] and any(_contact(g, o)[field] == mine[field] for o in others):
                found.append(field)
        if account.avatar in photos and any(o.avatar in photos for o in others):
            found.append("photo")
        if any(sentences(account.bio) & sentences(o.bio) for o in others):
            found.append("bio")
        links_out = account.website in urls and urls[account.website] != account.account_id
        links_in = any(o.website == account.url for o in others)
        if links_out or links_in:
            found.append("link")
        out[account.account_id] = found
    return out


# ------------------------------------------------------------------ a closed group


def make_groups(g: Gen, step: Step) -> None:
    """A closed group on the social network: its name and rules are public, its posts are for members."""
    if not g.key.footprints:
        return
    bank = footprint_bank()
    truth = g.key.footprints[0]
    admin = g.account_by_id[truth.seed_account]
    spec = step.pick(bank["groups"])
    slots = {"dest_country": g.dest.name, "demonym": g.origin.demonym, "origin_city": g.origin.cities[0].name,
             "dest_city": step.pick(g.dest.cities).name}
    name = spec["name"].format(**slots)
    social = g.platforms["social"]
    created = g.start - timedelta(days=step.rng.randint(20, 90))
    members = step.rng.randint(180, 2400)
    text = f"{spec['about'].format(**slots)}\nPrivate group. Members: {members:,}.\nAdmin: {admin.display_name}"
    url = f"https://{social.domain}/groups/{slugify(name, 40)}"
    group = new_page(step, "group", name, text, created, url=url, account=admin)
    for template in step.sample(bank["group_posts"], 3):
        posted = step.moment(g.start, g.end - timedelta(days=5))
        body = template.format(dest_city=slots["dest_city"], salary_usd=f"{step.rng.randint(12, 25) * 100:,}")
        g.case.restricted.append(Restricted(step.new_id("rs"), group.page_id, "members", "post", iso(posted),
                                            body, {"author": admin.account_id}))


# ------------------------------------------------------------------ photos (geolocation, reposts)


def scenes_and_reposts(g: Gen, step: Step) -> None:
    from synthetic_data.generator import reposts

    reposts.make_scene_photos(g, step)
    reposts.make_repost_chain(g, step)
