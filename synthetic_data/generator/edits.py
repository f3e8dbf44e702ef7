"""Pages a recruiter changes after posting, and what the web archive keeps of each version.

Each tracked page is captured several times. Between two captures one thing of substance
changes (the phone number, the salary, the destination) or the page is deleted (the last
captures answer 404), or nothing of substance changes at all. Every capture also carries
noise that changes every time (a view counter, "posted 3 days ago"), as real pages do, so a
reader must tell a change of substance from noise. A capture may hit a login wall (HTTP 302):
that is not a deletion.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from osintlab.errors import UserError
from synthetic_data.country import load_country
from synthetic_data.generator.context import Gen, iso
from synthetic_data.generator.steprng import Step, new_page, post_url
from synthetic_data.model import Account, Capture, EditTruth

KINDS = ("phone", "salary", "destination", "deleted", "none")
OTHER_DESTINATIONS = ("Malaysia", "Laos", "Myanmar", "Viet Nam", "Dubai")


def _destinations(g: Gen) -> list[str]:
    names = []
    for code in g.scenario.data["destinations"]:
        if code not in (g.origin.code, g.dest.code):
            try:
                names.append(load_country(code).name)
            except UserError:
                continue
    return names + [n for n in OTHER_DESTINATIONS if n not in names]


def _authors(g: Gen) -> list[Account]:
    out = []
    for person in g.people("recruiter"):
        for kind in ("social", "classifieds"):
            account = g.account(person, kind)
            if account is not None:
                out.append(account)
    return out


def _phones(g: Gen) -> list[str]:
    suspects = g.people("recruiter") + g.people("mule") + g.people("broker")
    return list(dict.fromkeys(n for p in suspects for n in p.phones if n.startswith(f"+{g.origin.phone_country_code}")))


def make_edits(g: Gen, step: Step) -> None:
    from synthetic_data.footprint_data import footprint_bank

    authors, numbers = _authors(g), _phones(g)
    if not authors or len(numbers) < 2:
        return
    bank = footprint_bank()["edited_pages"]
    kinds = [*KINDS, step.pick(["phone", "salary", "destination"])]
    for kind in step.sample(kinds, len(kinds)):
        _tracked_page(g, step, kind, step.pick(authors), numbers, bank)


def _written(g: Gen, step: Step, e164: str) -> str:
    return g.origin.format_local(e164) if step.chance(0.6) else e164


def _tracked_page(g: Gen, step: Step, kind: str, author: Account, numbers: list[str], bank: dict) -> None:  # type: ignore[type-arg]
    job = step.pick(g.scenario.data["jobs"])
    old = {"destination": g.dest.name, "salary": str(step.rng.randint(8, 16) * 100), "phone": step.pick(numbers)}
    new = dict(old)
    if kind == "destination":
        new["destination"] = step.pick(_destinations(g))
    elif kind == "salary":
        new["salary"] = str(int(old["salary"]) + step.rng.randint(3, 10) * 100)
    elif kind == "phone":
        new["phone"] = step.pick([n for n in numbers if n != old["phone"]])
    written = {n: _written(g, step, n) for n in dict.fromkeys((old["phone"], new["phone"]))}  # in order: not a set
    title = step.pick(bank["title"]).format(dest_country=g.dest.name, dest_city=step.pick(g.dest.cities).name, job=job)

    def body(values: dict[str, str], n: int) -> str:
        text = bank["body"].format(job=job, destination=values["destination"], salary=f"{int(values['salary']):,}",
                                   phone=written[values["phone"]])
        noise = bank["noise"].format(views=f"{(n + 1) * step.rng.randint(150, 900):,}",
                                     ago=step.pick(["2 days ago", "1 week ago", "3 weeks ago", "a month ago",
                                                    "5 hours ago", "yesterday"]))
        return f"{text}\n{noise}"

    published = step.moment(g.start, g.end - timedelta(days=60))
    count = step.rng.randint(4, 6)
    change_at = step.rng.randint(1, count - 2) if kind != "none" else count  # captures [0, change_at) are old
    moment = published + timedelta(hours=step.rng.uniform(3, 48))
    captures: list[Capture] = []
    url = post_url(step, author)
    wall = step.rng.randint(1, count - 1) if step.chance(0.4) else -1
    for n in range(count):
        values = old if n < change_at else new
        if kind == "deleted" and n >= change_at:
            capture = Capture(step.new_id("cap"), url, iso(moment), 404, "Not Found", "")
        elif n == wall and not (kind == "deleted" and n >= change_at) and n not in (change_at - 1, change_at):
            capture = Capture(step.new_id("cap"), url, iso(moment), 302, "Log in to continue", "")
        else:
            capture = Capture(step.new_id("cap"), url, iso(moment), 200, title, body(values, n))
        captures.append(capture)
        moment += timedelta(hours=step.rng.uniform(30, 240))
    g.case.archive.extend(captures)
    final = old if kind == "none" else new
    page = new_page(step, "post", title, body(final, count), published, account=author, url=url)
    if kind == "deleted":
        page.status = "deleted"
    readable = [c for c in captures if c.http_status == 200]
    last_old = [c for c in readable if captures.index(c) < change_at]
    first_new = [c for c in captures[change_at:] if c.http_status in (200, 404)]
    field = {"phone": "phone", "salary": "salary", "destination": "destination", "deleted": "phone"}.get(kind)
    before = old[field] if field else ""
    after = "" if kind in ("deleted", "none") else new[field]  # type: ignore[index]
    g.key.edits.append(EditTruth(
        url=url, page_id=page.page_id, change=kind, before=before, after=after,
        last_before=last_old[-1].capture_id if kind != "none" else "",
        first_after=first_new[0].capture_id if kind != "none" else ""))


def to_datetime(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
