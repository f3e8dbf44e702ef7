"""The people, organisations and platform accounts of a world."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from synthetic_data.country import CountryPack
from synthetic_data.generator.context import Gen, iso, slugify
from synthetic_data.model import Account, Organisation, Person, Platform

ORIGIN_ROLES = ("recruiter", "mule", "victim", "family", "financier", "forger", "namesake")
DEST_ROLES = ("broker", "driver")
SUSPECT_ROLES = ("recruiter", "broker", "driver", "forger", "mule", "financier")

# How often a bystander has an account on each kind of platform.
BYSTANDER_PLATFORMS = {
    "social": 0.97,
    "messenger": 0.95,
    "photos": 0.7,
    "classifieds": 0.55,
    "forum": 0.5,
    "jobs": 0.45,
    "dating": 0.2,
    "market": 0.03,
}
# Shops, groups and pages that are nobody's personal account.
BUSINESS_SHARE = 0.5
BUSINESS_KINDS = ("social", "classifieds", "photos")
BUSINESS_NAMES = (
    "{adj} Mart",
    "{adj} Cafe",
    "{adj} Phones",
    "{adj} Tours",
    "{adj} Beauty",
    "{adj} Auto",
    "{adj} Books",
    "{adj} Fitness",
    "{city} Community",
    "{city} Buy and Sell",
)


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def make_platforms(g: Gen) -> None:
    for spec in g.content["platforms"]["platforms"]:
        platform = Platform(**spec)
        g.platforms[platform.kind] = platform
        g.platform_by_id[platform.platform_id] = platform
        g.usernames[platform.platform_id] = set()
        g.case.platforms.append(platform)


def _birth_year(g: Gen) -> int:
    # Adults only: everyone in a storyline is at least 19 at its start.
    return g.start.year - g.rng.randint(19, 52)


def make_person(g: Gen, pack: CountryPack, roles: list[str], gender: str | None = None) -> Person:
    name = pack.person_name(g.rng, gender)
    city = g.pick(pack.cities)
    person = Person(
        person_id=g.new_id("p"),
        name=name.native,
        name_latin=name.latin,
        gender=name.gender,
        birth_year=_birth_year(g),
        country=pack.code,
        city=city.name,
        roles=roles,
        phones=[pack.mobile_number(g.rng)],
    )
    person.emails.append(_email(g, name.given_latin, name.family_latin))
    for role in roles:
        g.by_role.setdefault(role, []).append(person)
    g.key.people.append(person)
    g.person_by_id[person.person_id] = person
    return person


def _email(g: Gen, given: str, family: str) -> str:
    # A mailbox name has no spaces: "Thi Ngoc" (a Vietnamese given name) becomes "thingoc".
    given, family = ascii_fold(given).replace(" ", "") or "user", ascii_fold(family).replace(" ", "")
    local = g.pick([f"{given}.{family}", f"{given}{g.rng.randint(1, 99)}", f"{given}_{family}{g.rng.randint(70, 99)}"])
    local = local.strip("._") or f"user{g.rng.randint(100, 999)}"
    return f"{local}@{g.pick(g.content['platforms']['services']['mail_domains'])}"


def namesake_of(g: Gen, suspect: Person) -> Person:
    """An innocent bystander who shares a suspect's name (a decoy for footprint work)."""
    pack = g.origin if suspect.country == g.origin.code else g.dest
    person = make_person(g, pack, ["namesake"], suspect.gender)
    person.name, person.name_latin, person.namesake_of = suspect.name, suspect.name_latin, suspect.person_id
    person.emails = [_email(g, *_split_latin(suspect.name_latin))]
    return person


def _split_latin(latin: str) -> tuple[str, str]:
    parts = latin.split()
    return (parts[0], parts[-1] if len(parts) > 1 else "")


def make_cast(g: Gen) -> None:
    roles = g.scenario.data["roles"]
    for role, bounds in roles.items():
        if role == "namesake":
            continue
        pack = g.dest if role in DEST_ROLES else g.origin
        for _ in range(g.count(bounds)):
            person = make_person(g, pack, [role])
            if role == "recruiter":
                person.phones.append(pack.mobile_number(g.rng))  # a separate "work" number
    suspects = [p for r in ("recruiter", "broker", "mule") for p in g.people(r)]
    for suspect in g.rng.sample(suspects, min(len(suspects), g.count(roles.get("namesake", [0, 0])))):
        namesake_of(g, suspect)
    recruiters = g.people("recruiter")
    families = g.people("family")
    for i, victim in enumerate(g.people("victim")):
        g.assigned_recruiter[victim.person_id] = recruiters[i % len(recruiters)]
        if families:
            g.family_of[victim.person_id] = families[i % len(families)]
    storyline = len(g.key.people)
    for _ in range(max(0, g.size.people - storyline)):
        make_person(g, g.origin if g.chance(0.9) else g.dest, ["bystander"])


def make_orgs(g: Gen) -> None:
    adjectives = g.content["background"]["adjectives"]
    used: set[str] = set()
    recruiters = g.people("recruiter")
    for group, spec in g.scenario.data["orgs"].items():
        count = g.count(spec["count"])
        if group == "front":  # every recruiter fronts as a company of their own
            count = max(count, len(recruiters))
        for i in range(count):
            name = g.pick(spec["names"]).format(adj=g.pick(adjectives))
            while name in used:
                name = g.pick(spec["names"]).format(adj=g.pick(adjectives))
            used.add(name)
            legit = group != "front"
            pack = g.dest if (legit and spec["kind"] == "employer") else g.origin
            org = Organisation(
                org_id=g.new_id("org"),
                name=name,
                kind=spec["kind"],
                legitimate=legit,
                country=pack.code,
                domain=f"{slugify(name, 30)}.{'example' if legit else g.pick(['example', 'test'])}",
                registration=f"{pack.code}-{g.rng.randint(1000000, 9999999)}",
                licence=(
                    f"LIC-{pack.code}-{g.rng.randint(10000, 99999)}"
                    if legit and spec["kind"] in ("licensed_agency", "travel_agent")
                    else None
                ),
            )
            if group == "front" and recruiters:
                org.people.append(recruiters[i % len(recruiters)].person_id)
            g.orgs_by_group.setdefault(group, []).append(org)
            g.key.orgs.append(org)


# ------------------------------------------------------------------ accounts


def _handle_candidates(g: Gen, person: Person) -> list[str]:
    given, family = (ascii_fold(x) for x in _split_latin(person.name_latin))
    given = "".join(c for c in given if c.isalnum()) or "user"
    family = "".join(c for c in family if c.isalnum())
    year = str(person.birth_year)[2:]
    n = g.rng.randint(1, 99)
    options = [
        f"{given}.{family}",
        f"{given}_{family}",
        f"{given}{family}{year}",
        f"{given}{n}",
        f"{family}.{given}",
        f"{given[0]}{family}",
        f"{given}_{''.join(c for c in ascii_fold(person.city) if c.isalnum())[:3]}",  # O'Smach -> osm
    ]
    return [o.strip("._") for o in options if o.strip("._")]


def unique_username(g: Gen, platform: Platform, wanted: str) -> str:
    taken = g.usernames[platform.platform_id]
    name = wanted
    while name in taken:
        name = f"{wanted}{g.rng.randint(2, 999)}"
    taken.add(name)
    return name


def add_account(
    g: Gen,
    person: Person | None,
    kind: str,
    *,
    username: str | None = None,
    display_name: str | None = None,
    new: bool = False,
) -> Account:
    """An account of `person` (None for an alias or an organisation) on the `kind` platform.

    `new` accounts were made shortly before the storyline starts, as recruiters' are.
    """
    platform = g.platforms[kind]
    if username is None:
        assert person is not None
        stem = g.accounts_by_person.get(person.person_id, {})
        reused = next(iter(stem.values())).username if stem and g.chance(0.55) else None
        username = reused or g.pick(_handle_candidates(g, person))
    username = unique_username(g, platform, username)
    earliest = g.start - timedelta(days=60 if new else 3 * 365)
    created = g.moment(earliest, g.start - timedelta(days=1))
    if display_name is None:
        display_name = (person.name if g.chance(0.6) else person.name_latin) if person else username
    account = Account(
        account_id=g.new_id("acc"),
        platform_id=platform.platform_id,
        username=username,
        display_name=display_name,
        url=platform.profile_url.format(username=username),
        created=iso(created),
        location=person.city if person and g.chance(0.5) else "",
    )
    if person is not None:
        person.accounts.append(account.account_id)
        g.accounts_by_person.setdefault(person.person_id, {}).setdefault(kind, account)
    g.case.accounts.append(account)
    g.account_by_id[account.account_id] = account
    return account


def make_accounts(g: Gen) -> None:
    for person in list(g.key.people):
        roles = set(person.roles)
        if roles & {"bystander", "namesake"}:
            for kind, share in BYSTANDER_PLATFORMS.items():
                if g.chance(share):
                    account = add_account(g, person, kind)
                    if kind == "classifieds" and g.chance(0.5):
                        account.phone = person.phones[0]
            continue
        for kind in ("social", "messenger"):
            add_account(g, person, kind)
        if roles & {"recruiter"}:
            _recruiter_accounts(g, person)
        if roles & {"forger"}:
            vendor = add_account(
                g, person, "market", username=f"docs_{g.rng.randint(100, 999)}", display_name="Fast Docs"
            )
            vendor.bio = "Professional documents. Contact by messenger only."
        if roles & {"victim"} and g.scenario.id == "dating-app-lure":
            add_account(g, person, "dating")
    _business_accounts(g)
    for person_id, kinds in g.accounts_by_person.items():
        if "messenger" in kinds:
            g.messenger_handle[person_id] = kinds["messenger"].username
    _org_accounts(g)
    _follow_graph(g)


def _business_accounts(g: Gen) -> None:
    adjectives = g.content["background"]["adjectives"]
    for _ in range(int(len(g.key.people) * BUSINESS_SHARE)):
        city = g.pick(g.origin.cities).name
        name = g.pick(BUSINESS_NAMES).format(adj=g.pick(adjectives), city=city)
        account = add_account(
            g, None, g.pick(BUSINESS_KINDS), username=slugify(name, 24).replace("-", "_"), display_name=name
        )
        account.location = city
        account.phone = g.origin.mobile_number(g.rng) if g.chance(0.4) else None


def _recruiter_accounts(g: Gen, person: Person) -> None:
    """A recruiter runs a personal profile plus work accounts under a brand handle."""
    fronts = [o for o in g.orgs_by_group.get("front", []) if person.person_id in o.people]
    brand = slugify(fronts[0].name if fronts else f"{g.pick(g.content['background']['adjectives'])} jobs", 20).replace(
        "-", "_"
    )
    work_kinds = ["jobs", "classifieds"] + (["dating"] if g.scenario.id == "dating-app-lure" else [])
    for kind in work_kinds:
        username = brand if kind != "dating" else None
        account = add_account(
            g,
            person,
            kind,
            username=username,
            new=True,
            display_name=fronts[0].name if (fronts and kind == "jobs") else None,
        )
        account.phone = person.phones[-1]
        account.bio = (
            "Jobs abroad. Fast and easy. Message us."
            if kind != "dating"
            else "Work in hospitality abroad. Love travel."
        )
    # An alias on the social network with another display name but the same work phone.
    alias = add_account(
        g,
        None,
        "social",
        username=f"{brand}_{g.rng.randint(1, 9)}",
        new=True,
        display_name=brand.replace("_", " ").title(),
    )
    alias.phone = person.phones[-1]
    alias.bio = "Overseas jobs. Serious people only."
    person.accounts.append(alias.account_id)


def _org_accounts(g: Gen) -> None:
    for group in ("legitimate", "agencies"):
        for org in g.orgs_by_group.get(group, []):
            account = add_account(
                g, None, "jobs", username=slugify(org.name, 24).replace("-", "_"), display_name=org.name
            )
            account.website = f"https://{org.domain}"
            account.email = f"hr@{org.domain}"
            account.bio = f"Registration {org.registration}." + (f" Licence {org.licence}." if org.licence else "")
            g.org_accounts[org.org_id] = account
    for org in g.orgs_by_group.get("front", []):
        runner = g.person_by_id.get(org.people[0]) if org.people else None
        account = g.account(runner, "jobs") if runner else None
        if account is not None:
            g.org_accounts[org.org_id] = account


def _follow_graph(g: Gen) -> None:
    by_platform: dict[str, list[Account]] = {}
    for account in g.case.accounts:
        by_platform.setdefault(account.platform_id, []).append(account)
    social = g.platforms["social"].platform_id
    for platform_id, accounts in by_platform.items():
        if platform_id != social or len(accounts) < 3:
            continue
        for account in accounts:
            for other in g.rng.sample(accounts, min(len(accounts) - 1, g.rng.randint(2, 12))):
                if other is not account and other.account_id not in account.following:
                    account.following.append(other.account_id)
                    other.followers.append(account.account_id)
    # Storyline ties: victims and families follow the recruiter who lured them.
    for victim_id, recruiter in g.assigned_recruiter.items():
        victim = g.person_by_id[victim_id]
        link(g.account(victim, "social"), g.account(recruiter, "social"))
        family = g.family_of.get(victim_id)
        if family:
            link(g.account(family, "social"), g.account(victim, "social"))


def link(follower: Account | None, followed: Account | None) -> None:
    if follower and followed and followed.account_id not in follower.following:
        follower.following.append(followed.account_id)
        followed.followers.append(follower.account_id)
