"""Phone numbers for pivot work: the (synthetic) numbering plan, ported numbers, near-identical
decoys, and a hotline's intake note with numbers as people really copy them.

Course numbers use leading digits no real operator holds, so the world gives those prefixes to
invented operators (content/footprint/banks.yml `operators`). Where a country has mobile number
portability (`portability`), some numbers moved to another operator: the prefix then names the
wrong one, as libphonenumber's carrier data does (it knows only the original operator).
"""

from __future__ import annotations

from datetime import timedelta

import phonenumbers

from synthetic_data.country import CountryPack
from synthetic_data.generator.context import Gen, iso
from synthetic_data.generator.steprng import Step, free, new_account, new_page, post_url, profile_page
from synthetic_data.model import Export, NumberBlock, Person, PhoneTruth, PortRecord
from synthetic_data.safety import is_safe_phone

SUSPECT_ROLES = ("recruiter", "broker", "driver", "forger", "mule", "financier")
BENGALI = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
FULL_WIDTH = str.maketrans("0123456789+-() ", "０１２３４５６７８９＋－（）\u3000")
LRE, PDF, LRM, RLM = "\u202a", "\u202c", "\u200e", "\u200f"


def operators(pack: CountryPack) -> list[str]:
    from synthetic_data.footprint_data import footprint_bank

    return list(footprint_bank()["operators"].get(pack.code, ["Operator A", "Operator B", "Operator C"]))


def plan(pack: CountryPack) -> dict[str, str]:
    """Prefix -> operator for a pack's (unallocated, so synthetic) mobile prefixes, in order."""
    names = operators(pack)
    return {prefix: names[i % len(names)] for i, prefix in enumerate(sorted(pack.unallocated_prefixes))}


def prefix_operator(pack: CountryPack, e164: str) -> str:
    nsn = e164[len(f"+{pack.phone_country_code}"):]
    return next((op for prefix, op in plan(pack).items() if nsn.startswith(prefix)), "")


def portable(pack: CountryPack) -> bool:
    from synthetic_data.footprint_data import footprint_bank

    return pack.code in footprint_bank()["portability"]


def _packs(g: Gen) -> list[CountryPack]:
    return [g.origin, g.dest]


def _pack_of(g: Gen, e164: str) -> CountryPack:
    return next(p for p in _packs(g) if e164.startswith(f"+{p.phone_country_code}"))


def make_numbers(g: Gen, step: Step) -> None:
    for pack in _packs(g):
        for prefix, operator in plan(pack).items():
            g.case.numbering.append(NumberBlock(pack.code, prefix, operator))
    _ports(g, step)
    _near_numbers(g, step)
    _hotline_note(g, step)


def _suspect_numbers(g: Gen) -> list[tuple[Person, str]]:
    out = []
    for person in g.key.people:
        if set(person.roles) & set(SUSPECT_ROLES):
            out += [(person, number) for number in dict.fromkeys(person.phones)]
    return out


def _ports(g: Gen, step: Step) -> None:
    """Move some numbers to another operator where the country allows it (at least two suspects')."""
    from synthetic_data.footprint_data import footprint_bank

    rules = footprint_bank()["portability"]
    suspects = [(p, n) for p, n in _suspect_numbers(g) if _pack_of(g, n).code in rules]
    others = [(p, n) for p in g.key.people if "bystander" in p.roles for n in p.phones[:1]
              if _pack_of(g, n).code in rules]
    chosen = step.sample(suspects, max(2, len(suspects) // 3)) + step.sample(others, len(others) // 10)
    for person, number in chosen:
        pack = _pack_of(g, number)
        first = prefix_operator(pack, number)
        now = step.pick([op for op in operators(pack) if op != first])
        since = rules[pack.code]["since"]
        day = step.moment(g.start - timedelta(days=700), g.start - timedelta(days=10)).date().isoformat()
        g.case.ported.append(PortRecord(number, first, now, max(day, since)))
        g.key.phones.append(PhoneTruth(number, person.person_id, first, now))
    g.case.ported.sort(key=lambda r: r.number)


def _near(step: Step, pack: CountryPack, e164: str) -> str:
    """A number one keystroke away: one digit changed, or two neighbours swapped (never the prefix)."""
    head = f"+{pack.phone_country_code}"
    nsn = e164[len(head):]
    start = max(len(p) for p in pack.unallocated_prefixes if nsn.startswith(p))
    while True:
        digits = list(nsn)
        i = step.rng.randrange(start, len(digits) - 1)
        if step.chance(0.5) and digits[i] != digits[i + 1]:
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
        else:
            digits[i] = step.pick([d for d in "0123456789" if d != digits[i]])
        candidate = head + "".join(digits)
        # Safe as every world number is: no operator holds it, it is outside the pack's avoided ranges
        # (a changed digit after AF's or IN's prefix 10 can make 100, the police hotline), and written
        # locally it is no number of the other country (AF's "013 002 0758" would dial Thailand's 1300).
        if candidate != e164 and is_safe_phone(candidate) and not pack.reads_as_other(candidate):
            return candidate


def _near_numbers(g: Gen, step: Step) -> None:
    """Bystanders whose public numbers differ from a suspect's by one keystroke, on classified ads."""
    taken = {n for p in g.key.people for n in p.phones}
    board = g.platforms["classifieds"]
    items = g.content["background"]["items"]
    targets = _suspect_numbers(g)
    for person, number in step.sample(targets, min(4, len(targets))):
        pack = _pack_of(g, number)
        near = _near(step, pack, number)
        # the near number belongs to an innocent person of the same country (a local number)
        bystanders = [p for p in g.key.people if "bystander" in p.roles and p.country == pack.code]
        if near in taken or not bystanders:
            continue
        taken.add(near)
        owner = step.pick(bystanders)
        owner.phones.append(near)
        username = f"{owner.name_latin.split()[0].lower()}_{step.rng.randint(100, 9999)}"
        if not free(g, board, username):
            continue
        created = step.moment(g.start - timedelta(days=900), g.start)
        account = new_account(step, owner, board, username, owner.name_latin, created, phone=near,
                              location=owner.city)
        profile_page(step, account)
        item = step.pick(items)
        written = pack.format_local(near) if step.chance(0.5) else near
        posted = step.moment(g.start, g.end)
        new_page(step, "listing", f"For sale: {item}", f"Selling {item}, good condition. Call {written}.",
                 posted, account=account, url=post_url(step, account))
        g.key.phones.append(PhoneTruth(near, owner.person_id, prefix_operator(pack, near),
                                       _current_operator(g, near, pack), near_of=number))
        if not any(t.number == number for t in g.key.phones):
            g.key.phones.append(PhoneTruth(number, person.person_id, prefix_operator(pack, number),
                                           _current_operator(g, number, pack)))


def _current_operator(g: Gen, number: str, pack: CountryPack) -> str:
    ported = next((r for r in g.case.ported if r.number == number), None)
    return ported.to_operator if ported else prefix_operator(pack, number)


def raw_forms(pack: CountryPack, e164: str) -> dict[str, str]:
    """How people write and copy one number: local, international, 00-prefix, brackets, Bengali
    or full-width digits, and invisible direction marks from a copied contact card."""
    parsed = phonenumbers.parse(e164)
    intl = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    local = pack.format_local(e164)
    rest = intl.split(" ", 1)[1]
    return {
        "local": local,
        "international": intl,
        "00": f"00{pack.phone_country_code} {rest}",
        "brackets": f"(+{pack.phone_country_code}) {rest.replace(' ', '-')}",
        "bengali": local.translate(BENGALI),
        "full_width": intl.translate(FULL_WIDTH),
        "bidi": f"{LRE}{intl}{PDF}",
        "marks": f"{LRM}{local}{RLM}",
    }


def _hotline_note(g: Gen, step: Step) -> None:
    """An intake note: the numbers callers gave a hotline, written as they arrived."""
    interesting = [t for t in g.key.phones] + [PhoneTruth(n, p.person_id, "", "") for p, n in _suspect_numbers(g)]
    seen: set[str] = set()
    lines = []
    for truth in step.sample(interesting, len(interesting)):
        if truth.number in seen or len(lines) >= 10:
            continue
        seen.add(truth.number)
        pack = _pack_of(g, truth.number)
        kinds = ["local", "international", "00", "brackets", "bidi", "marks", "full_width"]
        if pack.code == "BD" or g.origin.code == "BD":
            kinds.append("bengali")
        form = step.pick(kinds)
        raw = raw_forms(pack, truth.number)[form]
        for record in g.key.phones:
            if record.number == truth.number and raw not in record.raw:
                record.raw.append(raw)
        lines.append(f"- {raw}   (caller says: a number from {pack.name})")
    received = step.moment(g.start + timedelta(days=20), g.end)
    text = "\n".join([f"Hotline intake note, {received:%d %B %Y}.", "Numbers callers gave us, copied exactly as we "
                      "received them (from chats, screenshots and ads):", *lines, ""])
    export = Export(step.new_id("ex"), "note", "Hotline intake note: numbers from callers", "",
                    "The national trafficking hotline, by e-mail", iso(received))
    export.file = f"exports/{export.export_id}.txt"
    g.case.exports.append(export)
    g.case.export_text[export.export_id] = text
