"""Lab w3-06 "Preservation and cooperation request": exact identifiers, tight dates, the right channel.

The trainee gets a case file from their own case: persons with what the investigation already knows
about them (suspect and role, victim, family member, not involved), their identifiers, and the
message and payment extracts that touch them (evidence items E-001...). Three requests follow:

- preserve: a preservation request to the messenger platform (a provider in another country): one
  row per suspect's account in the file, identified by its username or profile URL, with the dates
  (UTC) of its first and last message in the file (a margin of up to 7 days each side is fine).
  Each key account earns the quality of its date range (range_quality: the share of the activity
  covered times the share of the range the case needs); the sum is multiplied by the share of rows
  that are right (a wrong identifier, an innocent's account or a repeat is a wrong row) and every
  row naming a victim's or a family's account costs a quarter of the part (data minimisation).
- records: requests for the suspects' financial records: one row per suspect's account that appears
  in the file's payments (provider, account number, dates of its first and last payment in the
  file, channel: an order under your own law for a provider in your country, mutual legal
  assistance for one abroad). A row earns its range quality times 0.5 + 0.25 (provider right)
  + 0.25 (channel right); rows and victims as in `preserve`.
- channel: five needs (N1..N5), each drawn from the case: preservation, mutual legal assistance,
  domestic order, emergency disclosure, or no request (not needed or not proportionate). Accuracy.
"""

from __future__ import annotations

import random
from typing import Any

from labs import scoring
from labs.runtime import UnsuitableSeed
from labs.w3.casefile import CaseFile, Party, World, local_phones
from labs.w3.common import account_number, day, range_quality, rows, username, world_key
from osintlab.i18n import N_, _

PARTS = {"preserve": 5.0, "records": 4.0, "channel": 3.0}
HINT_UNITS = {"preserve": N_("accounts"), "records": N_("accounts"), "channel": N_("channels")}
MARGIN_DAYS = 7
VICTIM_ROW_COST = 0.25  # share of a part lost for each row that asks for a victim's or a family's data
CHANNELS = {  # channel (the answer word) -> what it is (translated where shown)
    "preservation": N_("Preservation request to the provider (its law-enforcement portal) or through the 24/7 "
                       "network: the data is kept, nothing is disclosed yet"),
    "mla": N_("Mutual legal assistance request through your central authority: data or records held in another "
              "country, as evidence"),
    "domestic": N_("Order under your own law (court or production order): data held by a provider in your country"),
    "emergency": N_("Emergency disclosure request to the provider: a person's life or safety is at risk now"),
    "none": N_("No request: the data is not needed for the case, or asking for it is not proportionate"),
}
RECORD_CHANNELS = ("domestic", "mla")
STATUS = {"recruiter": N_("suspect: recruiter"), "broker": N_("suspect: broker"),
          "transporter": N_("suspect: transporter"), "financier": N_("suspect: financier"),
          "enabler": N_("suspect: enabler (lends accounts or makes documents)"),
          "victim": N_("victim"), "family": N_("family member of a victim")}
SUSPECTS_IN_FILE = 6


# ---------------------------------------------------------------- building the file


def _parties(w: World, rng: random.Random) -> list[Party]:
    """Two paying families with their victims, the suspects their money and messages touch, the
    financier and a broker (for records abroad), more suspects up to six, one or two innocents."""
    suspects = {p.person_id: p for p in w.suspects()}
    txs = {t.tx_id: t for t in w.case.transactions}
    flows = [f for f in w.key.flows if w.owner_of(txs[f.tx_ids[0]].receiver) in suspects]
    rng.shuffle(flows)
    chosen: dict[str, Party] = {}

    def add(person: Any, role: str, note: str = "") -> None:
        chosen.setdefault(person.person_id, Party(person, role=role, note=note))

    for flow in flows[:2]:
        payer = w.person(flow.family)
        victim = next((v for v, f in w.family_of.items() if f == payer.person_id), None)
        add(payer, "family" if "family" in payer.roles else "victim")
        if victim:
            add(w.person(victim), "victim")
        mule = suspects[w.owner_of(txs[flow.tx_ids[0]].receiver) or ""]
        add(mule, w.roles[mule.person_id].role)
        recruiter = w.recruiter_of.get(victim or payer.person_id)
        if recruiter in suspects:
            add(suspects[recruiter], "recruiter")
    by_role: dict[str, list[Any]] = {}
    for p in suspects.values():
        by_role.setdefault(w.roles[p.person_id].role, []).append(p)
    for role in ("financier", "broker"):
        if by_role.get(role) and not any(c.role == role for c in chosen.values()):
            add(rng.choice(by_role[role]), role)
    rest = [p for p in suspects.values() if p.person_id not in chosen]
    rng.shuffle(rest)
    for p in rest:
        if sum(c.role not in ("victim", "family") for c in chosen.values()) >= SUSPECTS_IN_FILE:
            break
        add(p, w.roles[p.person_id].role)
    decoys = w.decoys()
    chatty = [(note, p) for note, p in decoys.items() if w.handles(p)]
    for note, person in rng.sample(chatty, min(len(chatty), rng.randint(1, 2))):
        add(person, "none", note)
    return list(chosen.values())


def _episodes(w: World, rng: random.Random, people: set[str]) -> list[Any]:
    """One conversation per person of the file (with another person of the file): extracts, not everything."""
    threads = [(tid, members, messages) for tid, (members, messages) in sorted(w.threads().items())
               if len(members) >= 2 and members <= people]
    chosen: dict[str, list[Any]] = {}
    order = sorted(people)
    rng.shuffle(order)
    for person in order:
        if any(person in members for tid, members, _ in threads if tid in chosen):
            continue
        mine = [(tid, messages) for tid, members, messages in threads if person in members]
        if mine:
            tid, messages = rng.choice(mine)
            chosen[tid] = messages
    return [m for messages in chosen.values() for m in messages]


def _payments(w: World, people: set[str]) -> list[Any]:
    """Payments between persons of the file, in money (crypto transfers are Workshop 3's ledger lab)."""
    return [t for t in w.case.transactions if w.owner_of(t.sender) in people and w.owner_of(t.receiver) in people
            and "crypto" not in (w.fins[t.sender].rail, w.fins[t.receiver].rail)]


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    key = world_key(case)
    rng = random.Random(f"w3-06\x1f{seed}")
    w = World(case, key)
    parties = _parties(w, rng)
    people = {p.person.person_id for p in parties}
    cf = CaseFile.make(w, rng, parties, _episodes(w, rng, people), _payments(w, people))
    origin, dest = case.manifest["countries"]["origin"], case.manifest["countries"]["destination"]
    preserve, records = _key_accounts(cf, origin)
    if len(preserve) < 2 or not records or not any(r["channel"] == "mla" for r in records.values()):
        raise UnsuitableSeed("the case file has too few suspects' accounts to request")
    needs, key_needs = _needs(cf, rng, dest, preserve, records)
    persons = {}
    for code, party in sorted(cf.parties.items(), key=lambda kv: int(kv[0][1:])):
        person = party.person
        status = _(STATUS[party.role]) if party.role in STATUS else _("not involved: {note}").format(note=party.note)
        fins = [w.fins[f] for f in person.fin_accounts if f in w.fins]
        persons[code] = {"name": person.name_latin, "status": status, "country": person.country,
                         "phones": local_phones(person), "handles": [f"@{h}" for h in w.handles(person)],
                         "accounts": [{"provider": f.provider, "number": f.number, "country": f.country,
                                       "kind": f.rail} for f in fins if f.rail != "crypto"]}
    providers = sorted({(a["provider"], a["country"], a["kind"]) for p in persons.values() for a in p["accounts"]})
    platform = w.messenger
    brief = _("You investigate from {origin}. The persons, messages and payments below come from your case. "
              "(1) Ask {platform} to preserve the {platform} accounts of the suspects of this file: one "
              "row per account, identified by its username or profile URL, from the date (UTC) of its first to the "
              "date of its last message in this file (a margin of up to {margin} days on each side is fine). "
             "(2) Ask for the records of each suspect's financial account that appears in the payments of this "
             "file: provider, account number, the dates of its first and last payment here, and the channel: an "
             "order under your own law for a provider in your country, mutual legal assistance for a provider "
             "abroad. (3) Choose the channel for each need. Ask only for what the case needs: never for the data "
             "of victims, their families or innocent people.").format(
        origin=origin, platform=platform.name, margin=MARGIN_DAYS)
    profile = platform.profile_url.format(username="<username>")
    guidelines = _("{platform} is run by a company in another country. Its guidelines for law enforcement: "
                   "identify each account by its username or profile URL ({profile}); "
                   "give the dates you need for each account; we keep the data of a preservation request for 90 days "
                   "while you obtain a formal request; we refuse requests that are too broad.").format(
        platform=platform.name, profile=profile)
    public = {"title": _("Preservation and cooperation request"), "brief": brief, "requesting_country": origin,
              "platform": {"name": platform.name, "profile_url": platform.profile_url, "guidelines": guidelines},
              "persons": persons,
              "providers": [{"name": n, "country": c, "kind": k} for n, c, k in providers],
              "messages": cf.message_rows(), "payments": cf.payment_rows(),
              "needs": needs, "channels": {k: _(v) for k, v in CHANNELS.items()}}
    victims = [cf.parties[c].person for c in cf.parties if cf.parties[c].role in ("victim", "family")]
    others = [cf.parties[c].person for c in cf.parties if cf.parties[c].role == "none"]
    return public, {
        "preserve": preserve, "records": records, "channel": key_needs,
        "victim_handles": sorted({h.casefold() for p in victims for h in w.handles(p)}),
        "victim_accounts": sorted({account_number(w.fins[f].number) for p in victims for f in p.fin_accounts
                                   if f in w.fins}),
        "other_handles": sorted({h.casefold() for p in others for h in w.handles(p)}),
    }


def _key_accounts(cf: CaseFile, origin: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The suspects' messenger accounts and financial accounts in the file, with their dates."""
    w = cf.world
    suspects = {p.person.person_id for p in cf.parties.values() if p.role not in ("victim", "family", "none")}
    seen: dict[str, tuple[str, list[str]]] = {}
    for m in cf.ids("message").values():
        for account in (m.sender, *m.recipients):
            if w.account_owner.get(account) in suspects:
                name = w.case.account_by_id[account].username
                seen.setdefault(name.casefold(), (name, []))[1].append(m.sent)
    preserve = {h: {"handle": f"@{name}", "first": min(ts)[:10], "last": max(ts)[:10]}
                for h, (name, ts) in seen.items()}
    paid: dict[str, list[str]] = {}
    for t in cf.ids("payment").values():
        for fin_id in (t.sender, t.receiver):
            if w.owner_of(fin_id) in suspects:
                paid.setdefault(fin_id, []).append(t.time)
    records = {}
    for fin_id, times in paid.items():
        fin = w.fins[fin_id]
        records[account_number(fin.number)] = {"number": fin.number, "provider": fin.provider,
                                               "first": min(times)[:10], "last": max(times)[:10],
                                               "channel": "domestic" if fin.country == origin else "mla"}
    return preserve, records


def _needs(cf: CaseFile, rng: random.Random, dest: str, preserve: dict[str, Any],
           records: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Five needs from the case, one per channel, in a random order."""
    w = cf.world
    platform = w.messenger.name
    name_of_handle = {}
    for party in cf.parties.values():
        for h in w.handles(party.person):
            name_of_handle[h.casefold()] = party
    handle, urgent = rng.choice(sorted(preserve)), rng.choice(sorted(preserve))
    party = name_of_handle[handle]
    abroad = sorted(k for k, r in records.items() if r["channel"] == "mla")
    home = sorted(k for k, r in records.items() if r["channel"] == "domestic")
    options: dict[str, list[str]] = {
        "preservation": [
            _("The {platform} account @{handle} of {name} was last used on {date}. Suspects often delete their "
              "accounts after an arrest, and your formal request will take weeks. You want the provider to keep the "
              "account's data now.").format(platform=platform, handle=handle, name=party.person.name_latin,
                                             date=preserve[handle]["last"])],
        "mla": [_("You need the content of the messages of @{handle} on {platform} as evidence for the trial. "
                  "{platform} is run by a company in another country.").format(handle=handle, platform=platform)]
        + [_("You need the statements of the bank account {number} at {provider} ({country}) as evidence for the "
             "trial.").format(number=records[k]["number"], provider=records[k]["provider"], country=dest)
           for k in abroad[:1]],
        "emergency": [_("A victim still held in {country} wrote two hours ago that the group will be moved tonight. "
                        "You need to know now where the {platform} account @{handle} was last used.").format(
            country=dest, platform=platform, handle=urgent)],
    }
    if home:
        k = rng.choice(home)
        options["domestic"] = [_("You need the subscriber details of the account {number} at {provider}, a provider "
                                 "in your own country.").format(number=records[k]["number"],
                                                                provider=records[k]["provider"])]
    none = []
    for p in cf.parties.values():
        if p.role == "none" and w.handles(p.person):
            none.append(_("A colleague wants every message of @{handle} ({note}), who wrote to every suspect, "
                          "'to be sure'.").format(handle=w.handles(p.person)[0], note=p.note))
        if p.role == "family":
            wallets = [w.fins[f].number for f in p.person.fin_accounts if f in w.fins and w.fins[f].rail == "mobile"]
            if wallets:
                none.append(_("A colleague wants three years of statements of the wallet {wallet} of {name}, who "
                              "paid the network and has already given a statement.").format(
                    wallet=wallets[0], name=p.person.name_latin))
    if none:
        options["none"] = none
    labels = [label for label in CHANNELS if options.get(label)]
    rng.shuffle(labels)
    public, key = {}, {}
    for i, label in enumerate(labels, 1):
        public[f"N{i}"] = rng.choice(options[label])
        key[f"N{i}"] = label
    return public, key


# ---------------------------------------------------------------- showing the exercise


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("PLATFORM"), "  " + exercise["platform"]["guidelines"], "",
             _("PERSONS")]
    for code, p in exercise["persons"].items():
        accounts = "; ".join(f"{a['provider']} ({a['country']}) {a['number']}" for a in p["accounts"]) or "-"
        lines.append(f"  {code}: {p['name']} ({p['country']}), {p['status']}. " + _(
            "Phones {phones}; handles {handles}; accounts {accounts}").format(
            phones=", ".join(p["phones"]), handles=", ".join(p["handles"]) or "-", accounts=accounts))
    lines += ["", _("PROVIDERS")]
    lines += [f"  {p['name']}: {p['kind']}, {p['country']}" for p in exercise["providers"]]
    lines += ["", _("CHANNELS")] + [f"  {k}: {v}" for k, v in exercise["channels"].items()]
    lines += ["", _("NEEDS")] + [f"  {k}: {v}" for k, v in exercise["needs"].items()]
    lines += ["", _("{messages} messages and {payments} payments: {code}.").format(
        messages=len(exercise["messages"]), payments=len(exercise["payments"]),
        code="pd.DataFrame(lab.exercise['messages']) and pd.DataFrame(lab.exercise['payments'])")]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _file_handles(exercise: dict[str, Any]) -> set[str]:
    out = {h.lstrip("@").casefold() for p in exercise["persons"].values() for h in p["handles"]}
    for m in exercise["messages"]:
        out |= {h.lstrip("@").casefold() for h in [m["from"], *m["to"]]}
    return out


def _file_accounts(exercise: dict[str, Any]) -> set[str]:
    return {account_number(n) for t in exercise["payments"] for n in (t["from"], t["to"])}


def _region(exercise: dict[str, Any], provider: Any) -> str | None:
    return next((p["country"] for p in exercise["providers"] if p["name"] == provider), None)


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    if part == "channel":
        if type(value) is not dict:
            return [_("give a dict like {example}.").format(example='{"N1": "preservation", "N2": "none", ...}')]
        problems = [_("{item} is not a need of this file ({items}).").format(
            item=repr(k), items=", ".join(exercise["needs"])) for k in value if k not in exercise["needs"]]
        problems += [_("{item}: {value} is not one of {choices}.").format(
            item=k, value=repr(v), choices=", ".join(CHANNELS)) for k, v in value.items()
            if scoring.norm(v) not in CHANNELS]
        return problems[:6]
    table = rows(value)
    if not table:
        example = ('[{"account": "@name", "from": "2025-03-01", "to": "2025-03-09"}]' if part == "preserve" else
                   '[{"provider": "...", "account": "...", "from": "2025-03-01", "to": "2025-03-09", '
                   '"channel": "domestic"}]')
        return [_("give a list of rows like {example}.").format(example=example)]
    problems = []
    handles, accounts = _file_handles(exercise), _file_accounts(exercise)
    providers = {p["name"] for p in exercise["providers"]}
    for i, row in enumerate(table, 1):
        start, end = day(row.get("from")), day(row.get("to"))
        if start is None or end is None:
            problems.append(_("row {row}: write the dates as YYYY-MM-DD in 'from' and 'to'.").format(row=i))
        elif start > end:
            problems.append(_("row {row}: 'from' is after 'to'.").format(row=i))
        if part == "preserve" and username(row.get("account")) not in handles:
            problems.append(_("row {row}: {value} is not a username or profile URL of this file.").format(
                row=i, value=repr(row.get("account"))))
        if part == "records":
            if row.get("provider") not in providers:
                problems.append(_("row {row}: the provider must be one of {choices}.").format(
                    row=i, choices=", ".join(sorted(providers))))
            if account_number(row.get("account"), _region(exercise, row.get("provider"))) not in accounts:
                problems.append(_("row {row}: {value} is not an account number of the payments.").format(
                    row=i, value=repr(row.get("account"))))
            if scoring.norm(row.get("channel")) not in RECORD_CHANNELS:
                problems.append(_("row {row}: the channel is 'domestic' or 'mla'.").format(row=i))
    return problems[:6]


def _row_ids(part: str, table: list[dict[str, Any]], exercise: dict[str, Any]) -> list[str]:
    if part == "preserve":
        return [username(r.get("account")) for r in table]
    return [account_number(r.get("account"), _region(exercise, r.get("provider"))) for r in table]


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if part == "channel":
        if type(value) is not dict:
            return set()
        return {f"{k}|{scoring.norm(v)}" for k, v in value.items()}
    return {i for i in _row_ids(part, rows(value), exercise) if i}


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == "channel":
        return {f"{k}|{v}": _("the channel of a need") for k, v in key["channel"].items()}
    what = _("a suspect's account to preserve") if part == "preserve" else _("a suspect's financial account")
    return {k: what for k in key[part]}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if part == "channel":
        if type(value) is not dict:
            return 0.0
        return sum(scoring.norm(value.get(k)) == v for k, v in key["channel"].items()) / len(key["channel"])
    table = rows(value)
    if not table:
        return 0.0
    expected = key[part]
    victims = set(key["victim_handles"] if part == "preserve" else key["victim_accounts"])
    matched: dict[str, float] = {}
    victim_rows = 0
    for row, ident in zip(table, _row_ids(part, table, exercise), strict=True):
        if ident in expected and ident not in matched:
            want = expected[ident]
            value_of_row = range_quality(row.get("from"), row.get("to"), want["first"], want["last"], MARGIN_DAYS)
            if part == "records":
                value_of_row *= (0.5 + 0.25 * (row.get("provider") == want["provider"])
                                 + 0.25 * (scoring.norm(row.get("channel")) == want["channel"]))
            matched[ident] = value_of_row
        elif ident in victims:
            victim_rows += 1
    recall = sum(matched.values()) / len(expected)
    precision = len(matched) / len(table)
    return max(0.0, min(1.0, recall * precision - VICTIM_ROW_COST * victim_rows))


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == "channel":
        return dict(key["channel"])
    if part == "preserve":
        return [{"account": v["handle"], "from": v["first"], "to": v["last"]} for v in key["preserve"].values()]
    return [{"provider": v["provider"], "account": v["number"], "from": v["first"], "to": v["last"],
             "channel": v["channel"]} for v in key["records"].values()]


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    if part == "channel":
        return {"kind": "choice", "items": [{"id": k, "text": v} for k, v in exercise["needs"].items()],
                "options": [{"value": k, "label": v} for k, v in exercise["channels"].items()]}
    dates = [{"name": "from", "label": _("from (UTC date)"), "kind": "date"},
             {"name": "to", "label": _("to (UTC date)"), "kind": "date"}]
    if part == "preserve":
        return {"kind": "table", "fields": [{"name": "account", "label": _("username or profile URL"), "kind": "text"},
                                            *dates]}
    return {"kind": "table", "fields": [
        {"name": "provider", "label": _("provider"), "kind": "choice",
         "options": [{"value": p["name"], "label": f"{p['name']} ({p['country']})"} for p in exercise["providers"]]},
        {"name": "account", "label": _("account number"), "kind": "text"}, *dates,
        {"name": "channel", "label": _("channel"), "kind": "choice",
         "options": [{"value": c, "label": _(CHANNELS[c])} for c in RECORD_CHANNELS]}]}
