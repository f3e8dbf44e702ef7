"""Lab w3-07 "Capstone case report": structured findings against the key, and a written analysis.

The trainee gets the case file of their own case: persons of interest (P1..: names, countries,
phones as a local file writes them, messenger handles, nothing about who they are), and evidence
items E-001..: chat messages, payments (with the cash-out points the mules used) and job adverts.
The structured findings are graded against the key; the written analysis is graded by the trainer
with the rubric in the notebook (nbgrader's formgrader shows it beside the answer).

- roles: each person's role: recruiter, broker, transporter, financier, enabler, victim (a victim
  or a victim's family member) or none (not involved). Macro F1 over the roles.
- accounts: whose is each identifier of the evidence (I1..): a person's code, or "unknown" when it
  belongs to nobody in the file (a provider's agent, an ATM, an informal transfer operator). A
  wallet number is a phone number; a job board account shows its phone on its profile. Accuracy.
- money: the money flows between persons: each pair (payer, payee) with at least one payment
  from an account of the one to an account of the other. F1 of the pairs.
- evidence: five statements (S1..S5), each with the evidence items that show it directly (every
  message or payment in which it happens); a statement no item shows gets an empty list (it
  does not belong in a report). Per statement F1 (empty for empty is right), averaged.
"""

from __future__ import annotations

import random
import re
from typing import Any

from labs import scoring
from labs.items import coded_options
from labs.runtime import UnsuitableSeed
from labs.w3.casefile import W3_ROLES, CaseFile, Party, World, is_point, local_phones
from labs.w3.common import id_list, labelled, macro_f1_labels, world_key
from osintlab.i18n import N_, NP_, _

PARTS = {"roles": 4.0, "accounts": 4.0, "money": 4.0, "evidence": 4.0}
HINT_UNITS = {"roles": N_("roles"), "accounts": N_("identifiers"), "money": N_("flows"), "evidence": N_("citations")}
ROLES = (*W3_ROLES, NP_("answer option", "victim"), NP_("answer option", "none"))
ROLE_HELP = {  # role (the answer word) -> what it means (translated where shown)
    "recruiter": N_("finds and persuades people (job offers, travel promises)"),
    "broker": N_("organises and connects: orders people, hands them to transport, talks to the money"),
    "transporter": N_("moves people: pick-ups, cars, border crossings"),
    "financier": N_("holds and moves the profits; pays the others"),
    "enabler": N_("sells a service the crime needs: wallet or bank accounts (money mule), documents"),
    "victim": N_("a person recruited and exploited, or a family member who paid for them"),
    "none": N_("not part of the crime (a busy innocent account, a shop)"),
}
UNKNOWN = "unknown"
SUSPECTS_IN_FILE = 8
ITEM = re.compile(r"E-\d{3}")
POINT_KINDS = {"AGENT": N_("agent's cash-out"), "ATM": N_("ATM"), "COUNTER": N_("bank counter")}


# ---------------------------------------------------------------- building the file


def _parties(w: World, rng: random.Random) -> list[Party]:
    """Up to eight suspects (every role), the innocent busy accounts, two or three victims with their
    recruiters in the file, and the family members who paid the network."""
    suspects = w.suspects()
    partners = _role_partners(w)
    by_role: dict[str, list[Any]] = {}
    for p in suspects:
        by_role.setdefault(w.roles[p.person_id].role, []).append(p)
    chosen: dict[str, Party] = {}

    def add(person: Any) -> None:
        chosen.setdefault(person.person_id, Party(person, role=w.roles[person.person_id].role))

    for people in by_role.values():
        add(rng.choice(people))
    rest = [p for p in suspects if p.person_id not in chosen]
    rng.shuffle(rest)
    for p in rest[: max(0, SUSPECTS_IN_FILE - len(chosen))]:
        add(p)
    for pid in list(chosen):  # a role shows in what a person writes to another person of the file
        if not partners.get(pid, set()) & set(chosen) and partners.get(pid):
            add(w.person(rng.choice(sorted(partners[pid]))))
    for note, person in w.decoys().items():
        chosen[person.person_id] = Party(person, role="none", note=note)
    txs = {t.tx_id: t for t in w.case.transactions}
    threads = w.threads()
    paid = [f for f in w.key.flows if w.owner_of(txs[f.tx_ids[0]].receiver) in chosen]
    rng.shuffle(paid)
    families = 0
    for flow in paid:
        payer = w.person(flow.family)
        victim = next((v for v, f in w.family_of.items() if f == payer.person_id), None)
        talks = victim is not None and any({victim, payer.person_id} <= members for members, _ in threads.values())
        if families < 2 and "family" in payer.roles and talks and w.recruiter_of.get(victim or "") in chosen:
            chosen[payer.person_id] = Party(payer, role="victim")
            chosen[victim or ""] = Party(w.person(victim or ""), role="victim")
            families += 1
    recruited = [v for v, r in sorted(w.recruiter_of.items()) if r in chosen and v not in chosen]
    for victim in rng.sample(recruited, min(len(recruited), 3 - families if families < 3 else 0)):
        chosen[victim] = Party(w.person(victim), role="victim")
    return list(chosen.values())


ROLE_SCRIPTS = ("coordination", "w3-supply", "w3-transport", "w3-costs", "w3-collection", "w3-accounts",
                "w3-documents")


def _role_partners(w: World) -> dict[str, set[str]]:
    """person -> the suspects they share a conversation about the crime with (not a decoy's chat)."""
    out: dict[str, set[str]] = {}
    for members, messages in w.threads().values():
        if messages and w.script(messages[0]) in ROLE_SCRIPTS:
            for a in members:
                out.setdefault(a, set()).update(members - {a})
    return out


def _evidence(w: World, people: set[str]) -> tuple[list[Any], list[Any], list[Any]]:
    """Every conversation between persons of the file, every payment between them (money, not
    crypto) with the trail hops of the families' payments, and the recruiters' exploitative adverts."""
    messages = [m for members, ms in w.threads().values() if len(members) >= 2 and members <= people for m in ms]
    trail = {tid for f in w.key.flows if f.family in people for tid in f.tx_ids}
    payments = []
    for t in w.case.transactions:
        a, b = w.owner_of(t.sender), w.owner_of(t.receiver)
        if "crypto" in (w.fins[t.sender].rail, w.fins[t.receiver].rail):
            continue
        if (a in people and b in people) or (t.tx_id in trail and (a in people or b in people)):
            payments.append(t)
    exploitative = {t.page_id for t in w.key.pages if t.label == "exploitative"}
    jobs_accounts = {a for pid in people for a in w.person(pid).accounts
                     if a in w.case.account_by_id and w.case.account_by_id[a].platform_id == w.jobs.platform_id}
    ads = [p for p in w.case.pages if p.kind == "job_ad" and p.author in jobs_accounts and p.page_id in exploitative]
    return messages, payments, ads


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    key = world_key(case)
    rng = random.Random(f"w3-07\x1f{seed}")
    w = World(case, key)
    parties = _parties(w, rng)
    people = {p.person.person_id for p in parties}
    messages, payments, ads = _evidence(w, people)
    ads = _one_or_two_per_account(rng, ads)
    cf = CaseFile.make(w, rng, parties, messages, payments, ads)
    pool, key_accounts = _identifiers(cf, rng)
    statements, key_evidence = _statements(cf, rng)
    if not key_accounts or len(statements) < 5:
        raise UnsuitableSeed("the case file cannot host five statements")
    persons = {code: {"name": p.person.name_latin, "country": p.person.country, "phones": local_phones(p.person),
                      "handles": [f"@{h}" for h in w.handles(p.person)]}
               for code, p in sorted(cf.parties.items(), key=lambda kv: int(kv[0][1:]))}
    brief = _("This is your case file: the persons of interest and the evidence items (E-001, ...) of your case. "
             "Write the findings of your case report: (1) each person's role; (2) whose is each identifier of the "
             "evidence (a person's code, or 'unknown' when it belongs to nobody in the file); (3) the money flows "
             "between persons (who paid whom); (4) for each statement, the evidence items that show it directly: "
             "every message or payment in which it happens; an empty list when no item shows it. Then write your "
             "analysis for the prosecutor.")
    public = {"title": _("Capstone case report"), "brief": brief, "persons": persons,
              "roles": {r: _(ROLE_HELP[r]) for r in ROLES}, "messages": cf.message_rows(),
              "payments": cf.payment_rows(), "ads": cf.ad_rows(), "identifiers": pool,
              "statements": statements}
    return public, {"roles": {c: ("victim" if p.role == "family" else p.role) for c, p in cf.parties.items()},
                    "accounts": key_accounts, "money": sorted(_flows(cf)), "evidence": key_evidence}


def _one_or_two_per_account(rng: random.Random, ads: list[Any]) -> list[Any]:
    by_author: dict[str, list[Any]] = {}
    for page in sorted(ads, key=lambda p: p.page_id):
        by_author.setdefault(page.author, []).append(page)
    return [p for pages in by_author.values() for p in rng.sample(pages, min(len(pages), rng.randint(1, 2)))]


def _identifiers(cf: CaseFile, rng: random.Random) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The identifiers of the evidence to attribute (I1..): financial accounts in the payments (a front
    company's account is left out: whose it is, the file cannot say) and the job board accounts."""
    w = cf.world
    found: dict[str, tuple[dict[str, str], str]] = {}
    for t in cf.ids("payment").values():
        for fin_id in (t.sender, t.receiver):
            fin = w.fins[fin_id]
            owner = cf.code_of_fin(fin_id)
            if owner is None and not (is_point(fin) or fin.holder.endswith(" Trading")):
                continue
            kind = _("mobile wallet") if fin.rail == "mobile" else _("bank account")
            if is_point(fin):  # as the provider's statement names it
                kind = _(POINT_KINDS[fin.number.split("-")[0]])
            found.setdefault(fin.number, ({"kind": kind, "provider": fin.provider, "value": fin.number},
                                          owner or UNKNOWN))
    for page in cf.ids("ad").values():
        account = w.case.account_by_id[page.author]
        found.setdefault(account.url, ({"kind": _("{site} account").format(site=w.jobs.name), "provider": w.jobs.name,
                                        "value": f"@{account.username}"}, cf.code_of_account(account.account_id)
                                       or UNKNOWN))
    values = sorted(found)
    rng.shuffle(values)
    pool = {f"I{i}": found[v][0] for i, v in enumerate(values, 1)}
    return pool, {f"I{i}": found[v][1] for i, v in enumerate(values, 1)}


def _flows(cf: CaseFile) -> set[str]:
    out = set()
    for t in cf.ids("payment").values():
        a, b = cf.code_of_fin(t.sender), cf.code_of_fin(t.receiver)
        if a and b and a != b:
            out.add(f"{a}>{b}")
    return out


def _statements(cf: CaseFile, rng: random.Random) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Four statements the evidence shows (with the items that show them) and one it does not."""
    by_role: dict[str, list[Party]] = {}
    for party in cf.parties.values():
        kind = "family" if party.role == "victim" and "family" in party.person.roles else party.role
        by_role.setdefault(kind, []).append(party)

    def who(p: Party) -> str:
        return f"{p.code} ({p.person.name_latin})"

    def accounts(p: Party) -> set[str]:
        return set(p.person.accounts)

    def messages(a: Party, b: Party, *, both: bool = False, word: str = "") -> list[str]:
        out = []
        for e, m in cf.ids("message").items():
            ab = m.sender in accounts(a) and accounts(b) & set(m.recipients)
            ba = both and m.sender in accounts(b) and accounts(a) & set(m.recipients)
            if (ab or ba) and word in m.text.lower():
                out.append(e)
        return out

    def paid(a: Party, b: Party) -> list[str]:
        return [e for e, t in cf.ids("payment").items()
                if t.sender in a.person.fin_accounts and t.receiver in b.person.fin_accounts]

    def pairs(x: str, y: str) -> list[tuple[Party, Party]]:
        return [(a, b) for a in by_role.get(x, []) for b in by_role.get(y, [])]

    def say(template: str, a: Party, b: Party | None = None) -> str:
        return _(template).format(a=who(a), b=who(b) if b else "")

    # (kind of statement: its English template, the statement in the course's language, the items showing it)
    candidates: list[tuple[str, str, list[str]]] = []
    for r, v in pairs("recruiter", "victim"):
        if "victim" in v.person.roles:
            template = N_("{a} told {b} to say at immigration that they are a tourist.")
            candidates.append((template, say(template, r, v), messages(r, v, word="tourist")))
    for f, m in pairs("family", "enabler"):
        template = N_("{a} paid money into an account of {b}.")
        candidates.append((template, say(template, f, m), paid(f, m)))
    for f, b in pairs("financier", "broker"):
        # Translators: a sentence of a case report; {a} and {b} are persons' names (the financier paid the broker).
        template = N_("{a} paid {b}.")
        candidates.append((template, say(template, f, b), paid(f, b)))
    for b, t in pairs("broker", "transporter"):
        template = N_("{a} asked {b} to pick up people.")
        candidates.append((template, say(template, b, t), messages(b, t)))
    for f, m in pairs("financier", "enabler"):
        template = N_("{a} told {b} to keep a share of the money and send on the rest.")
        candidates.append((template, say(template, f, m), messages(f, m)))
    for r, b in pairs("recruiter", "broker"):
        template = N_("{a} and {b} discussed sending people abroad.")
        candidates.append((template, say(template, r, b), messages(r, b, both=True)))
    shown = [(kind, text, items) for kind, text, items in candidates if items]
    rng.shuffle(shown)
    picked, kinds = [], set()
    for kind, text, items in shown:  # four statements of different kinds where the case allows
        if kind not in kinds or len(shown) < 8:
            picked.append((text, items))
            kinds.add(kind)
        if len(picked) == 4:
            break
    unsupported = [say(N_("{a} arranged transport for the network."), d) for d in by_role.get("none", [])]
    unsupported += [say(N_("{a} recruited other people for the network."), v) for v in by_role.get("victim", [])
                    if "victim" in v.person.roles]
    if unsupported:
        picked.append((rng.choice(unsupported), []))
    rng.shuffle(picked)
    return ({f"S{i}": text for i, (text, _items) in enumerate(picked, 1)},
            {f"S{i}": sorted(items) for i, (_text, items) in enumerate(picked, 1)})


# ---------------------------------------------------------------- showing the exercise


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("ROLES")]
    lines += [f"  {r}: {h}" for r, h in exercise["roles"].items()]
    lines += ["", _("PERSONS OF INTEREST")]
    for code, p in exercise["persons"].items():
        lines.append(f"  {code}: {p['name']} ({p['country']}), " + _("phones {phones}; handles {handles}").format(
            phones=", ".join(p["phones"]), handles=", ".join(p["handles"]) or "-"))
    lines += ["", _("IDENTIFIERS TO ATTRIBUTE")]
    lines += [f"  {i}: {x['kind']} {x['value']} ({x['provider']})" for i, x in exercise["identifiers"].items()]
    lines += ["", _("STATEMENTS")] + [f"  {s}: {t}" for s, t in exercise["statements"].items()]
    lines += ["", _("Evidence: {messages} messages, {payments} payments and {ads} job adverts: {code}.").format(
        messages=len(exercise["messages"]), payments=len(exercise["payments"]), ads=len(exercise["ads"]),
        code="pd.DataFrame(lab.exercise['messages']), pd.DataFrame(lab.exercise['payments']), "
             "pd.DataFrame(lab.exercise['ads'])")]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _pair(row: Any, persons: set[str]) -> str | None:
    if type(row) is dict:
        a, b = row.get("from"), row.get("to")
    elif type(row) in (list, tuple) and len(row) == 2:
        a, b = row
    elif type(row) is str and ">" in row:
        a, b = row.split(">", 1)
    else:
        return None
    a, b = str(a).strip().upper(), str(b).strip().upper()
    return f"{a}>{b}" if a in persons and b in persons and a != b else None


def _pairs(value: Any, persons: set[str]) -> set[str]:
    if type(value) is not list:
        return set()
    return {p for row in value if (p := _pair(row, persons))}


def _items(value: Any) -> list[str]:
    """A statement's evidence items: a list of ids, a text "E-003, E-017", or the form's {"items": ...}."""
    if type(value) is dict:
        value = value.get("items", "")
    if type(value) is str:
        return ITEM.findall(value.upper())
    return [v.strip().upper() for v in id_list(value)]


def _owner(value: Any, persons: set[str]) -> str:
    text = scoring.norm(value)
    return UNKNOWN if text == UNKNOWN else text.upper() if text.upper() in persons else ""


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    persons = set(exercise["persons"])
    if part == "money":
        if type(value) is not list:
            return [_("give a list of flows like {example}.").format(example='[{"from": "P3", "to": "P7"}, ...]')]
        return [_("{value} is not a flow between two different persons of the file.").format(value=repr(row))
                for row in value if _pair(row, persons) is None][:6]
    items = {"roles": exercise["persons"], "accounts": exercise["identifiers"],
             "evidence": exercise["statements"]}[part]
    if type(value) is not dict:
        examples = {"roles": '{"P1": "broker", "P2": "victim", ...}', "accounts": '{"I1": "P4", "I2": "unknown"}',
                    "evidence": '{"S1": ["E-004", "E-019"], "S2": [], ...}'}
        return [_("give a dict like {example}.").format(example=examples[part])]
    problems = [_("{value} is not one of {choices}.").format(value=repr(k), choices=", ".join(items))
                for k in value if k not in items]
    for k, v in value.items():
        if part == "roles" and scoring.norm(v) not in ROLES:
            problems.append(_("{item}: {value} is not one of {choices}.").format(
                item=k, value=repr(v), choices=", ".join(ROLES)))
        elif part == "accounts" and not _owner(v, persons):
            problems.append(_("{item}: give a person's code (P1, ...) or 'unknown'.").format(item=k))
        elif part == "evidence":
            known = {m["id"] for kind in ("messages", "payments", "ads") for m in exercise[kind]}
            problems += [_("{item}: {value} is not an evidence item of the file.").format(item=k, value=e)
                         for e in _items(v) if e not in known]
    return problems[:6]


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    persons = set(exercise["persons"])
    if part == "money":
        return _pairs(value, persons)
    if type(value) is not dict:
        return set()
    if part == "roles":
        return {f"{k}|{v}" for k, v in labelled(value, persons, ROLES).items()}
    if part == "accounts":
        return {f"{k}|{_owner(v, persons)}" for k, v in value.items() if k in exercise["identifiers"]}
    return {f"{k}|{e}" for k, v in value.items() for e in _items(v)}


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == "money":
        return {p: _("a flow between two persons") for p in key["money"]}
    if part == "roles":
        notes = {"none": _("an innocent person"), "victim": _("a victim or a family member")}
        return {f"{p}|{r}": notes.get(r) or _("the role of a person who is a {role}").format(role=r)
                for p, r in key["roles"].items()}
    if part == "accounts":
        return {f"{i}|{o}": _("the owner of an identifier") for i, o in key["accounts"].items()}
    return {f"{s}|{e}": _("an item that shows a statement") for s, items in key["evidence"].items() for e in items}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    persons = set(exercise["persons"])
    if part == "money":
        return scoring.prf(_pairs(value, persons), key["money"]).f1
    if type(value) is not dict:
        return 0.0
    if part == "roles":
        return macro_f1_labels(labelled(value, persons, ROLES), key["roles"])
    if part == "accounts":
        right = sum(_owner(value.get(i), persons) == owner for i, owner in key["accounts"].items())
        return right / len(key["accounts"])
    total = 0.0
    for statement, want in key["evidence"].items():
        given = set(_items(value.get(statement, "")))
        # the statement nothing shows earns its share only when the answer says so (an empty answer earns 0)
        total += (statement in value and not given) if not want else scoring.prf(given, want).f1
    return total / len(key["evidence"])


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == "money":
        return [{"from": p.split(">")[0], "to": p.split(">")[1]} for p in key["money"]]
    if part == "evidence":
        return {s: list(items) for s, items in key["evidence"].items()}
    return dict(key[part])


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    persons = [{"value": p, "label": f"{p} {info['name']}"} for p, info in exercise["persons"].items()]
    if part == "roles":
        return {"kind": "choice", "items": [{"id": p, "text": info["name"]} for p, info in exercise["persons"].items()],
                "options": coded_options(ROLES)}
    if part == "accounts":
        return {"kind": "choice", "items": [{"id": i, "text": f"{x['kind']} {x['value']}"}
                                            for i, x in exercise["identifiers"].items()],
                "options": [*persons, {"value": UNKNOWN, "label": _("unknown (nobody in the file)")}]}
    if part == "money":
        return {"kind": "table", "fields": [{"name": "from", "label": _("payer"), "kind": "choice", "options": persons},
                                            {"name": "to", "label": _("payee"), "kind": "choice", "options": persons}]}
    return {"kind": "records", "items": [{"id": s, "text": t} for s, t in exercise["statements"].items()],
            "fields": [{"name": "items", "label": _("evidence items (E-...), none if nothing shows it"),
                        "kind": "text"}],
            "note": _("in code: {example}").format(example="{'S1': ['E-004', 'E-019'], 'S2': [], ...}")}
