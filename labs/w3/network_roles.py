"""Lab w3-01 "Network roles": build the link chart, name each person's role, choose whom to disrupt.

The exercise is an intelligence file on about a dozen persons of interest (P1..): names, phones
as the file writes them (local format), messenger handles and bank accounts, plus every chat
message and payment that touches them. Most are suspects; two or three are busy innocent
accounts (a community page's admin, the job board's support staff, a phone shop) that message
or are paid by nearly everyone, so they top any degree count.

- chart: the chart exported with sandbox.network.export_bundle (GraphML + entity and link
  tables); one node per person (id P1, P2, ...), one link per pair of persons who exchanged a
  message or a payment (label "message" or "payment"). Precision times recall of the links (a
  false link misleads, a missing one leaves the chart incomplete), in the GraphML (70 %) and in
  the link table (30 %).
- roles: recruiter, broker, transporter, financier, enabler or none, per person: macro F1.
- disrupt: the two persons whose removal most disconnects the network once the innocent accounts
  are set aside: highest betweenness on the suspects' own links (ties accepted); half per person.
"""

from __future__ import annotations

import random
from typing import Any

import networkx as nx

from labs import scoring
from labs.items import coded_options
from labs.w3.common import id_list, labelled, macro_f1_labels, precision_recall, world_key
from osintlab.i18n import N_, NP_, _

PARTS = {"chart": 4.0, "roles": 5.0, "disrupt": 3.0}
HINT_UNITS = {"chart": N_("links"), "roles": N_("roles"), "disrupt": N_("persons")}
ROLES = (
    NP_("answer option", "recruiter"),
    NP_("answer option", "broker"),
    NP_("answer option", "transporter"),
    NP_("answer option", "financier"),
    NP_("answer option", "enabler"),
    NP_("answer option", "none"),
)
LINK_KINDS = ("message", "payment")
ROLE_HELP = {  # role (the answer word) -> what it means (translated where shown)
    "recruiter": N_("finds and persuades people (job offers, travel promises)"),
    "broker": N_("organises and connects: orders people, hands them to transport, talks to the money"),
    "transporter": N_("moves people: pick-ups, cars, border crossings"),
    "financier": N_("holds and moves the profits; pays the others"),
    "enabler": N_("sells a service the crime needs: documents, bank or wallet accounts"),
    "none": N_("not part of the crime (a busy innocent account)"),
}


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from synthetic_data.country import load_country

    key = world_key(case)
    rng = random.Random(f"w3-01\x1f{seed}")
    roles = {r.person_id: r for r in key.roles}
    people = [key.person_by_id[pid] for pid in roles]
    rng.shuffle(people)
    label = {p.person_id: f"P{i}" for i, p in enumerate(people, 1)}
    messenger = next(p.platform_id for p in case.platforms if p.kind == "messenger")
    fins = {f.fin_id: f for f in case.fin_accounts}
    handle_of, fin_of = {}, {}
    persons = {}
    for person in people:
        p = label[person.person_id]
        handles = [case.account_by_id[a].username for a in person.accounts
                   if a in case.account_by_id and case.account_by_id[a].platform_id == messenger]
        for a in person.accounts:
            if a in case.account_by_id and case.account_by_id[a].platform_id == messenger:
                handle_of[a] = p
        for f in person.fin_accounts:
            fin_of[f] = p
        pack = load_country(person.country)
        persons[p] = {"name": person.name_latin, "country": person.country,
                      "phones": [pack.format_local(x) for x in person.phones],
                      "handles": [f"@{h}" for h in handles],
                      "bank_accounts": [fins[f].number for f in person.fin_accounts if fins[f].rail == "bank"]}
    messages, links = [], set()
    for m in case.messages:
        ends = [m.sender, *m.recipients]
        if not any(a in handle_of for a in ends):
            continue
        messages.append({"id": m.message_id, "time": m.sent, "from": f"@{case.account_by_id[m.sender].username}",
                         "to": [f"@{case.account_by_id[r].username}" for r in m.recipients], "text": m.text})
        for r in m.recipients:
            if m.sender in handle_of and r in handle_of and handle_of[m.sender] != handle_of[r]:
                links.add(_atom(handle_of[m.sender], handle_of[r], "message"))
    payments = []
    for t in case.transactions:
        if t.sender not in fin_of and t.receiver not in fin_of:
            continue
        a, b = fins[t.sender], fins[t.receiver]
        payments.append({"id": t.tx_id, "time": t.time, "from": a.number, "from_holder": a.holder, "to": b.number,
                         "to_holder": b.holder, "amount": t.amount, "currency": t.currency, "reference": t.reference})
        if t.sender in fin_of and t.receiver in fin_of and fin_of[t.sender] != fin_of[t.receiver]:
            links.add(_atom(fin_of[t.sender], fin_of[t.receiver], "payment"))
    answer_roles = {label[pid]: r.role for pid, r in roles.items()}
    decoys = {label[pid] for pid, r in roles.items() if r.decoy}
    brief = _("A joint team seized phones and obtained bank and wallet records. The file below lists the "
             "persons of interest (P1, P2, ...), every chat message and every payment that touches them. "
             "Build a link chart of the persons, name each person's role, and say which two persons you would "
             "prioritise to disrupt the network. Some persons are busy innocent accounts: read what they write.")
    public = {"title": _("Network roles"), "brief": brief, "persons": persons, "messages": messages,
              "payments": payments, "roles": {r: _(ROLE_HELP[r]) for r in ROLES}}
    return public, {"roles": answer_roles, "links": sorted(links), "disrupt": _disrupt(links, decoys),
                    "decoys": sorted(decoys)}


def _atom(a: str, b: str, kind: str) -> str:
    x, y = sorted((a, b), key=lambda s: int(s[1:]))
    return f"{x}|{y}|{kind}"


def _disrupt(links: set[str], decoys: set[str]) -> dict[str, Any]:
    graph = nx.Graph()
    for atom in links:
        a, b, _ = atom.split("|")
        if a not in decoys and b not in decoys:
            graph.add_edge(a, b)
    between = nx.betweenness_centrality(graph)
    ranked = sorted(between.items(), key=lambda kv: (-kv[1], int(kv[0][1:])))
    cut = ranked[1][1] if len(ranked) > 1 else 0.0
    return {"best": [p for p, _ in ranked[:2]], "accept": sorted(p for p, v in between.items() if v >= cut and v > 0),
            "betweenness": {p: round(v, 4) for p, v in ranked}}


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("ROLES")]
    lines += [f"  {r}: {_(h)}" for r, h in exercise["roles"].items()]
    lines += ["", _("PERSONS OF INTEREST")]
    for p, info in exercise["persons"].items():
        lines.append(f"  {p}: {info['name']} ({info['country']}), " + _(
            "phones {phones}; handles {handles}; bank {bank}").format(
            phones=", ".join(info["phones"]), handles=", ".join(info["handles"]) or "-",
            bank=", ".join(info["bank_accounts"]) or "-"))
    lines += ["", _("{messages} messages and {payments} payments: {code}.").format(
        messages=len(exercise["messages"]), payments=len(exercise["payments"]),
        code="pd.DataFrame(lab.exercise['messages']) and pd.DataFrame(lab.exercise['payments'])")]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _chart_atoms(value: Any, persons: set[str]) -> tuple[set[str], set[str]] | None:
    from osintlab.errors import UserError
    from sandbox.network import read_bundle

    if type(value) is str:
        import json

        try:
            value = json.loads(value)
        except ValueError:
            return None
    try:
        graph, _, links = read_bundle(value)
    except UserError:
        return None
    kinds = {k: k for k in LINK_KINDS}

    def atoms(pairs: list[tuple[str, str, str]]) -> set[str]:
        out = set()
        for a, b, kind in pairs:
            a, b, kind = str(a).strip().upper(), str(b).strip().upper(), scoring.norm(kind)
            if a in persons and b in persons and a != b and kind in kinds:
                out.add(_atom(a, b, kind))
        return out

    from_graph = atoms([(a, b, d.get("label", "")) for a, b, d in graph.edges(data=True)])
    from_table = atoms([(row.get("From ID", ""), row.get("To ID", ""), row.get("Link Type", "")) for row in links])
    return from_graph, from_table


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    persons = list(exercise["persons"])
    if part == "chart":
        if _chart_atoms(value, set(persons)) is None:
            return [_("give the bundle {code} returns (GraphML, entity table and link table).").format(
                code="export_bundle(chart)")]
        return []
    if part == "roles":
        if type(value) is not dict:
            return [_("give a dict like {example}.").format(example='{"P1": "broker", "P2": "none"}')]
        problems = [_("{item} is not a person of this file (P1 to {last}).").format(
            item=repr(k), last=f"P{len(persons)}") for k in value if k not in persons]
        problems += [_("{item}: {value} is not one of {choices}.").format(
            item=k, value=repr(v), choices=", ".join(ROLES)) for k, v in value.items() if scoring.norm(v) not in ROLES]
        return problems[:6]
    given = id_list(value)
    if not given or len(given) > 2:
        return [_("give two persons, like {example}.").format(example='["P4", "P9"]')]
    return [_("{item} is not a person of this file.").format(item=repr(v)) for v in given if v not in persons]


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    persons = set(exercise["persons"])
    if part == "chart":
        found = _chart_atoms(value, persons)
        return found[0] if found else set()
    if part == "roles":
        return {f"{k}|{v}" for k, v in labelled(value, persons, ROLES).items()}
    return {p.upper() for p in id_list(value)[:2]}


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == "chart":
        return {atom: _("a {kind} link between two persons").format(kind=atom.split("|")[2]) for atom in key["links"]}
    if part == "roles":
        return {f"{p}|{r}": _("the role of a person who acts as a {role}").format(role=r) if r != "none"
                else _("an innocent account") for p, r in key["roles"].items()}
    return {p: _("a person on many paths between the others") for p in key["disrupt"]["best"]}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    persons = set(exercise["persons"])
    if part == "chart":
        found = _chart_atoms(value, persons)
        if found is None:
            return 0.0
        return 0.7 * precision_recall(found[0], key["links"]) + 0.3 * precision_recall(found[1], key["links"])
    if part == "roles":
        return macro_f1_labels(labelled(value, persons, ROLES), key["roles"])
    chosen = [p.upper() for p in id_list(value)][:2]
    return sum(0.5 for p in set(chosen) if p in key["disrupt"]["accept"])


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == "chart":
        from sandbox.network import export_bundle

        graph = nx.MultiGraph()
        for p, info in exercise["persons"].items():
            graph.add_node(p, kind="person", label=info["name"])
        for atom in key["links"]:
            a, b, kind = atom.split("|")
            graph.add_edge(a, b, label=kind)
        return export_bundle(graph)
    if part == "roles":
        return dict(key["roles"])
    return list(key["disrupt"]["best"])


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    items = [{"id": p, "text": info["name"]} for p, info in exercise["persons"].items()]
    if part == "roles":
        return {"kind": "choice", "items": items, "options": coded_options(ROLES)}
    if part == "disrupt":
        return {"kind": "ranking", "items": items, "max": 2}
    return {"kind": "text", "multiline": True, "placeholder": "export_bundle(chart)",
            "note": _("made by code: {code}").format(code="chart_bundle = export_bundle(chart)")}
