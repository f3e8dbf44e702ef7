"""Answerers for w3-01 Network roles (see tests/labs/validity.py)."""

from __future__ import annotations

import itertools
from collections import Counter

import networkx as nx

from sandbox.network import export_bundle
from tests.labs.answerers._w3_common import e164
from tests.labs.validity import TraineeView

LAB = "w3-01-network-roles"
ROLES = ("recruiter", "broker", "transporter", "financier", "enabler", "none")

# What each role writes (the reader's notes after reading the chats).
CLUES = {
    "recruiter": ("workers are ready", "people who said yes", "applicants passed", "gave your wallet number",
                  "families will pay the fee", "use your wallet for the fees", "need", "passports with",
                  "people need documents", "visa letters"),
    "broker": ("how many workers", "need more people", "new applicants", "tell them to say", "must not talk",
               "passport photos first", "pick up", "arrive at", "car for", "driver wants", "for cars and food",
               "costs for the last trip"),
    "transporter": ("wait with the car", "crossing is quiet", "small road", "picked up", "in the car", "delivered"),
    "financier": ("sent ", "transfer done", "paid. next time", "keep ", "take your", "send everything minus"),
    "enabler": ("transfers today", "payments came in", "families paid again", "tell you when it comes",
                "same as before", "my cut", "send the photos", "ready in five days", "documents ready"),
    "none": ("community", "support", "helpdesk", "password", "profile photo", "weekly summary", "clean-up",
             "lost phone", "health check", "no selling"),
}
SHOP_WORDS = ("sim card", "top-up", "phone repair", "charger", "phone case")


def _owners(view: TraineeView) -> tuple[dict[str, str], dict[str, str]]:
    ex = view.exercise
    by_handle, by_number = {}, {}
    for p, info in ex["persons"].items():
        for h in info["handles"]:
            by_handle[h] = p
        for phone in info["phones"]:
            by_number[e164(phone, info["country"])] = p
        for account in info["bank_accounts"]:
            by_number[account] = p
    return by_handle, by_number


def links(view: TraineeView) -> set[tuple[str, str, str]]:
    by_handle, by_number = _owners(view)
    out = set()
    for m in view.exercise["messages"]:
        for r in m["to"]:
            a, b = by_handle.get(m["from"]), by_handle.get(r)
            if a and b and a != b:
                out.add((*sorted((a, b)), "message"))
    for t in view.exercise["payments"]:
        a, b = by_number.get(t["from"]), by_number.get(t["to"])
        if a and b and a != b:
            out.add((*sorted((a, b)), "payment"))
    return out


def _bundle(view: TraineeView, atoms: set[tuple[str, str, str]]) -> dict[str, str]:
    chart = nx.MultiGraph()
    for p, info in view.exercise["persons"].items():
        chart.add_node(p, kind="person", label=info["name"])
    for a, b, kind in atoms:
        chart.add_edge(a, b, label=kind, grade="B2")
    return export_bundle(chart)


def roles(view: TraineeView) -> dict[str, str]:
    by_handle, by_number = _owners(view)
    counts: dict[str, Counter[str]] = {p: Counter() for p in view.exercise["persons"]}
    for m in view.exercise["messages"]:
        p = by_handle.get(m["from"])
        if p is None:
            continue
        text = m["text"].lower()
        for role, words in CLUES.items():
            counts[p][role] += sum(w in text for w in words)
    for t in view.exercise["payments"]:
        p = by_number.get(t["to"])
        if p and t["reference"].lower() in SHOP_WORDS:
            counts[p]["none"] += 1
    return {p: (c.most_common(1)[0][0] if c else "none") for p, c in counts.items()}


def careful(view: TraineeView) -> dict:
    found = links(view)
    named = roles(view)
    graph = nx.Graph()
    for a, b, _ in found:
        if named[a] != "none" and named[b] != "none":
            graph.add_edge(a, b)
    between = nx.betweenness_centrality(graph)
    ranked = sorted(between, key=lambda p: (-between[p], int(p[1:])))
    return {"chart": _bundle(view, found), "roles": named, "disrupt": ranked[:2]}


def _everything(view: TraineeView) -> dict:
    persons = list(view.exercise["persons"])
    atoms = {(*sorted((a, b)), k) for a, b in itertools.combinations(persons, 2) for k in ("message", "payment")}
    return {"chart": _bundle(view, atoms), "roles": {p: "recruiter" for p in persons}, "disrupt": persons[:2]}


def _one_label(role: str):
    def answer(view: TraineeView) -> dict:
        return {"roles": {p: role for p in view.exercise["persons"]}}
    return answer


def _busiest(view: TraineeView) -> dict:
    """The two persons with the highest degree: the most other persons linked to them, as
    sandbox.network.centrality counts it (a message and a payment between two persons: one neighbour)."""
    neighbours: dict[str, set[str]] = {}
    for a, b, _ in links(view):
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    ranked = sorted(neighbours, key=lambda p: (-len(neighbours[p]), int(p[1:])))
    return {"disrupt": ranked[:2], "chart": _bundle(view, set())}


NO_SKILL = {
    "nothing": lambda view: {},
    "everything": _everything,
    **{f"all {r}": _one_label(r) for r in ROLES},
    "highest degree": _busiest,
}
CAREFUL = careful
