"""A victim's journey told by many sources in different time zones: a recruiter's post and the
victim's comment (platform times, UTC), two chat exports (each in its phone's local time), SMS
payment receipts, an e-ticket (airport local times), photos (EXIF, with or without an offset)
and an archive capture. The key holds every event in UTC with the zone its source used.

One photo's clock is wrong by about a day: its time contradicts the flight (the event to flag).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from synthetic_data.country import CountryPack
from synthetic_data.generator import scenes
from synthetic_data.generator.context import Gen, iso
from synthetic_data.generator.slots import money
from synthetic_data.generator.steprng import Step, new_page, post_url
from synthetic_data.model import Account, Capture, Export, Message, MessageTruth, Person, Place, TimelineEvent

CHAT_TIME = "%d/%m/%Y, %H:%M:%S"
SMS_TIME = "%d-%m-%Y %H:%M"
TICKET_TIME = "%d %b %Y %H:%M"
EXIF_TIME = "%Y:%m:%d %H:%M:%S"


@dataclass
class Line:
    """One line of an export: when (UTC), who, what, and the event it is (if any)."""

    moment: datetime
    sender: str
    text: str
    event: tuple[str, str, str] | None = None  # (event key, what, stage)
    attachment: str | None = None


def _airport(g: Gen, pack: CountryPack) -> Place:
    code = pack.code
    return next(p for p in g.case.places if p.country == code and p.kind == "airport")


def _km(a: Place, b: Place) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def _messenger(g: Gen, person: Person) -> Account | None:
    return g.account(person, "messenger")


def make_journey(g: Gen, step: Step) -> None:
    family_of = g.family_of
    victims = [v for v in g.people("victim") if v.person_id in family_of and _messenger(g, v)]
    if not victims or not g.key.footprints:
        return
    victim = step.pick(victims)
    relative = family_of[victim.person_id]
    recruiter = g.assigned_recruiter[victim.person_id]
    v_acc, f_acc, r_acc = _messenger(g, victim), _messenger(g, relative), _messenger(g, recruiter)
    r_social = g.account(recruiter, "social")
    v_social = g.account(victim, "social")
    if not (v_acc and f_acc and r_acc and r_social and v_social):
        return
    bank = _bank()
    o, d = g.origin, g.dest
    dest_city = step.pick(d.cities).name
    slots = {"dest_city": dest_city, "salary_usd": money(step.rng.randint(12, 25) * 100),
             "fee_local": money(step.rng.randint(8, 30) * 100 * o.usd_rate // 1000 * 1000), "currency": o.currency}
    dep_airport, arr_airport = _airport(g, o), _airport(g, d)

    def event(key: str, what: str, stage: str, kind: str, ref: str, shown: str, zone: str, zone_source: str,
              utc: datetime, contradicts: bool = False) -> None:
        g.key.events.append(TimelineEvent(step.new_id("ev"), victim.person_id, what, stage, kind, ref, shown, zone,
                                          zone_source, iso(utc), contradicts, key))

    # ---- the times (UTC), in story order
    t_ad = step.moment(g.start + timedelta(days=5), g.start + timedelta(days=25))
    h = lambda lo, hi: timedelta(hours=step.rng.uniform(lo, hi))  # noqa: E731
    t_comment = t_ad + h(2, 30)
    t_first = t_comment + h(0.5, 5)
    t_offer = t_first + h(0.2, 6)
    t_fee = t_offer + h(24, 72)
    t_ticket = t_fee + h(24, 96)
    local_dep = _local(t_ticket + h(48, 144), o.timezone).replace(hour=step.rng.choice([1, 7, 10, 14, 23]),
                                                                  minute=step.pick([5, 20, 35, 50]), second=0)
    t_dep = local_dep.astimezone(ZoneInfo("UTC"))
    t_arr = t_dep + timedelta(minutes=round((_km(dep_airport, arr_airport) / 760 + 0.6) * 60 / 5) * 5)
    t_passport_req = t_dep - h(10, 30)
    t_photo_dep = t_dep - h(1.5, 3)
    t_boarding = t_dep - h(0.3, 0.8)
    t_landed = t_arr + h(0.3, 1.2)
    t_photo_arr = t_arr + h(1.3, 2.5)
    t_compound = t_arr + h(26, 50)
    t_post = t_arr + h(30, 70)
    t_taken = t_arr + h(80, 190)
    t_worried = t_taken + h(2, 20)
    t_debt = t_taken + h(24, 96)
    t_last = t_debt + h(24, 72)
    t_capture = t_last + h(48, 240)

    # ---- public pages (platform times are UTC)
    ad = new_page(step, "post", r_social.display_name, bank["ad"].format(**slots), t_ad, account=r_social,
                  url=post_url(step, r_social))
    event("ad", "The recruiter posts the job offer", "recruitment", "post", ad.page_id, ad.published, "UTC",
          "platform", t_ad)
    comment = new_page(step, "comment", f"Re: {ad.title}", bank["comment"], t_comment, account=_on(g, victim, r_social),
                       url=f"{ad.url}#c{step.rng.randint(1000, 99999)}", reply_to=ad.page_id)
    event("comment", "The victim comments on the offer", "recruitment", "comment", comment.page_id,
          comment.published, "UTC", "platform", t_comment)
    post = new_page(step, "post", v_social.display_name, bank["post_victim"].format(**slots), t_post,
                    account=v_social, url=post_url(step, v_social))
    event("post", "The victim posts about the new job", "exploitation", "post", post.page_id, post.published,
          "UTC", "platform", t_post)
    t_early = t_ad + h(6, 40)
    for key, moment, what in (("capture_early", t_early, "The web archive captures the offer"),
                              ("capture", t_capture, "The web archive captures the offer, still online")):
        capture = Capture(step.new_id("cap"), ad.url, iso(moment), 200, ad.title, ad.text)
        g.case.archive.append(capture)
        event(key, what, "archive", "capture", capture.capture_id, capture.captured, "UTC", "stated", moment)
    f_social = g.account(relative, "social")
    if f_social is not None:  # the family asks in public, on the same network
        t_ask = t_taken + h(10, 40)
        ask = new_page(step, "post", f_social.display_name, bank["family_post"], t_ask, account=f_social,
                       url=post_url(step, f_social))
        event("family_post", "The family asks in public for news", "exploitation", "post", ask.page_id,
              ask.published, "UTC", "platform", t_ask)

    # ---- photos (EXIF): one clock is a day off, so its time contradicts the flight
    wrong = step.pick(["departure", "arrival", "exploitation"])
    shift = {"departure": h(22, 30), "arrival": -h(22, 30),
             "exploitation": -(t_compound - t_arr) - h(2, 20)}[wrong]  # each lands on the wrong side of the flight
    photos: dict[str, tuple[str, str, str, datetime]] = {}
    t_ticket_photo, t_car = t_ticket + h(0.5, 6), t_arr + h(0.7, 1.2)
    for key, moment, place, zone, offset, stage in (
        ("photo_ticket", t_ticket_photo, None, o.timezone, True, "recruitment"),
        ("photo_dep", t_photo_dep, dep_airport, o.timezone, True, "departure"),
        ("photo_arr", t_photo_arr, arr_airport, d.timezone, False, "arrival"),
        ("photo_car", t_car, None, d.timezone, True, "arrival"),
        ("photo_compound", t_compound, None, d.timezone, True, "exploitation"),
    ):
        bad = stage == wrong and key in ("photo_dep", "photo_arr", "photo_compound")
        clock = moment + shift if bad else moment
        shot = scenes.Shot(clock, zone, place, offset=offset, device=("Lumea", "L9 Lite"))
        truth = scenes.picture_truth(step, shot, place_id=place.place_id if place else None)
        truth.taken = iso(moment)  # the true moment; the file says otherwise when its clock is wrong
        picture = scenes.scene(step, place.kind if place else "mall", [])
        image_id = scenes.store(step, picture, truth, exif=scenes.exif_bytes(shot))
        local = _local(clock, zone)
        zone_text = local.strftime("%z")
        shown = local.strftime(EXIF_TIME) + (f" {zone_text[:3]}:{zone_text[3:]}" if offset else "")
        what = bank["photos"][key.removeprefix("photo_")].format(place=place.name if place else "")
        photos[key] = (image_id, what, stage, moment)
        event(key, what, stage, "photo", image_id, shown, zone, "stated" if offset else "gps", clock, bad)

    # ---- the chats, the SMS receipts, the ticket
    cv, cf = bank["chat_victim"], bank["chat_family"]
    victim_chat = [
        Line(t_first, "victim", cv["first"].format(**slots), _what("first")),
        Line(t_offer, "recruiter", cv["offer"].format(**slots), _what("offer")),
        Line(t_ticket, "recruiter", cv["ticket"], _what("ticket_msg")),
        Line(t_passport_req, "recruiter", cv["passport"], _what("passport_req")),
        Line(t_last, "victim", cv["last"], _what("last")),
    ]
    family_chat = [
        Line(t_ticket_photo + h(0.05, 0.3), "victim", "<photo>", None, photos["photo_ticket"][0]),
        Line(t_photo_dep + h(0.05, 0.3), "victim", "<photo>", None, photos["photo_dep"][0]),
        Line(t_boarding, "victim", cf["boarding"], _what("boarding")),
        Line(t_landed, "victim", cf["landed"], _what("landed")),
        Line(t_photo_arr + h(0.05, 0.3), "victim", "<photo>", None, photos["photo_arr"][0]),
        Line(t_car + h(0.05, 0.3), "victim", "<photo>", None, photos["photo_car"][0]),
        Line(t_compound + h(0.05, 0.5), "victim", "<photo>", None, photos["photo_compound"][0]),
        Line(t_taken, "victim", cf["passport"], _what("taken")),
        Line(t_worried, "family", cf["worried"], _what("worried")),
    ]
    victim_export = _chat(g, step, "victim", victim_chat, {"victim": v_acc, "recruiter": r_acc}, d.timezone,
                          f"The victim's phone, seized and exported by the police in {dest_city} ({d.name})", t_capture)
    family_export = _chat(g, step, "family", family_chat, {"victim": v_acc, "family": f_acc}, o.timezone,
                          f"The phone of the victim's {step.pick(['sister', 'mother', 'brother', 'cousin'])} "
                          f"in {relative.city} ({o.name}), exported by its owner", t_capture)
    for export, lines in ((victim_export, victim_chat), (family_export, family_chat)):
        zone = d.timezone if export is victim_export else o.timezone
        for number, line in enumerate(lines, 2):
            if line.event:
                key, what, stage = line.event
                event(key, what, stage, "chat", f"{export}:{number}", _local(line.moment, zone).strftime(CHAT_TIME),
                      zone, "device", line.moment)
    _sms_and_ticket(g, step, relative, recruiter, t_fee, t_debt, t_dep, t_arr, dep_airport, arr_airport,
                    t_capture, event)


# What each chat event is, and its stage (shown to the trainee with the event).
CHAT_EVENTS = {
    "first": ("The victim writes to the recruiter", "recruitment"),
    "offer": ("The recruiter offers the job and asks for a fee", "recruitment"),
    "ticket_msg": ("The recruiter sends the ticket", "recruitment"),
    "passport_req": ("The recruiter asks for the passport", "recruitment"),
    "last": ("The victim asks for the passport back", "exploitation"),
    "boarding": ("The victim writes: boarding now", "departure"),
    "landed": ("The victim writes: landed", "arrival"),
    "taken": ("The victim writes that the passport was taken", "exploitation"),
    "worried": ("The family asks the victim to come home", "exploitation"),
}


def _what(key: str) -> tuple[str, str, str]:
    return (key, *CHAT_EVENTS[key])


def _bank() -> dict:  # type: ignore[type-arg]
    from synthetic_data.footprint_data import footprint_bank

    return dict(footprint_bank()["journey"])


def _on(g: Gen, person: Person, where: Account) -> Account:
    """The person's account on the platform of `where` (the comment is written there)."""
    kind = g.platform_by_id[where.platform_id].kind
    account = g.account(person, kind)
    assert account is not None, f"{person.person_id} has no {kind} account"
    return account


def _chat(g: Gen, step: Step, name: str, lines: list[Line], accounts: dict[str, Account], zone: str,
          provided_by: str, received: datetime) -> str:
    """Messages (UTC) in messages.jsonl and the chat export a phone writes (its own local time)."""
    thread = step.new_id("th")
    messenger = g.platforms["messenger"]
    people = {role: a.display_name for role, a in accounts.items()}
    text = [f"{messenger.name} chat export. Messages and calls are end-to-end encrypted."]
    for line in sorted(lines, key=lambda x: x.moment):
        sender = accounts[line.sender]
        others = [a.account_id for role, a in accounts.items() if role != line.sender]
        body = line.text if line.attachment is None else ""
        message = Message(step.new_id("msg"), thread, messenger.platform_id, sender.account_id, others,
                          iso(line.moment), body, [line.attachment] if line.attachment else [])
        g.case.messages.append(message)
        g.key.messages.append(MessageTruth(message.message_id, thread, f"journey-{name}"))
        shown = _local(line.moment, zone).strftime(CHAT_TIME)
        content = f"<attached: {line.attachment}.jpg>" if line.attachment else line.text
        text.append(f"[{shown}] {people[line.sender]}: {content}")
    lines.sort(key=lambda x: x.moment)
    export = Export(step.new_id("ex"), "chat", f"{messenger.name} chat: {' and '.join(people.values())}",
                    "", provided_by, iso(received))
    export.file = f"exports/{export.export_id}.txt"
    g.case.exports.append(export)
    g.case.export_text[export.export_id] = "\n".join(text) + "\n"
    return export.export_id


def _sms_and_ticket(g: Gen, step: Step, relative: Person, recruiter: Person,
                    t_fee: datetime, t_debt: datetime, t_dep: datetime, t_arr: datetime, dep: Place, arr: Place,
                    received: datetime, event) -> None:  # type: ignore[no-untyped-def]
    o, d = g.origin, g.dest
    bank = _bank()
    wallet = step.pick(o.wallets)
    mules = g.people("mule")
    payee = (step.pick(mules) if mules else recruiter).phones[0]
    to_number = o.format_local(payee) if payee.startswith(f"+{o.phone_country_code}") else payee
    receipts = []
    for key, template, moment, usd, what, stage in (
        ("fee", "sms_fee", t_fee, step.rng.randint(3, 9) * 100, "The family pays the visa fee", "payment"),
        ("debt", "sms_debt", t_debt, step.rng.randint(10, 30) * 100, "The family pays the 'debt'", "payment"),
    ):
        amount = money(usd * o.usd_rate // 1000 * 1000)
        ref = "".join(step.pick("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(8))
        body = bank[template].format(wallet=wallet, amount=amount, currency=o.currency, number=to_number, ref=ref,
                                     balance=money(step.rng.randint(2, 90) * 10_000))
        receipts.append((moment.replace(second=0, microsecond=0), key, what, stage, body))  # SMS show minutes
    lines = [f"SMS messages from {wallet}, exported from the phone of the victim's relative in {relative.city}."]
    export = Export(step.new_id("ex"), "sms", f"SMS receipts from {wallet}", "",
                    f"The phone of the victim's relative in {relative.city} ({o.name}), exported by its owner",
                    iso(received))
    export.file = f"exports/{export.export_id}.txt"
    for number, (moment, key, what, stage, body) in enumerate(sorted(receipts), 2):
        shown = _local(moment, o.timezone).strftime(SMS_TIME)
        lines.append(f"{shown}  From: {wallet}  {body}")
        event(key, what, stage, "sms", f"{export.export_id}:{number}", shown, o.timezone, "device", moment)
    g.case.exports.append(export)
    g.case.export_text[export.export_id] = "\n".join(lines) + "\n"
    flight = f"{step.pick(['SF', 'MK', 'TW', 'QX'])} {step.rng.randint(100, 989)}"
    dep_local, arr_local = _local(t_dep, o.timezone), _local(t_arr, d.timezone)
    ticket = Export(step.new_id("ex"), "ticket", f"E-ticket, flight {flight}", "",
                    "Sent by the recruiter in the victim's chat (a PDF, copied as text)", iso(received))
    ticket.file = f"exports/{ticket.export_id}.txt"
    text = [
        "ELECTRONIC TICKET RECEIPT",
        "Passenger: as on passport (name withheld by the police)",
        f"Flight {flight}. All times are local times at each airport.",
        f"Departure: {dep.name} ({dep.city}) {dep_local.strftime(TICKET_TIME)}",
        f"Arrival: {arr.name} ({arr.city}) {arr_local.strftime(TICKET_TIME)}",
        "Baggage: 20 kg. Fare paid by: agent.",
    ]
    event("departure", "The flight leaves", "departure", "ticket", f"{ticket.export_id}:4",
          dep_local.strftime(TICKET_TIME), o.timezone, "place", t_dep)
    event("arrival", "The flight lands", "arrival", "ticket", f"{ticket.export_id}:5",
          arr_local.strftime(TICKET_TIME), d.timezone, "place", t_arr)
    g.case.exports.append(ticket)
    g.case.export_text[ticket.export_id] = "\n".join(text) + "\n"
