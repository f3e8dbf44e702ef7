"""Answerers for w3-07 Capstone case report (see tests/labs/validity.py)."""

from __future__ import annotations

import re
from collections import Counter

from tests.labs.answerers._w3_common import e164
from tests.labs.answerers.w3_network_roles import CLUES, SHOP_WORDS
from tests.labs.validity import TraineeView

LAB = "w3-07-case-report"
ROLES = ("recruiter", "broker", "transporter", "financier", "enabler", "victim", "none")
# What victims and their families write (the reader's notes after reading the chats).
VICTIM_WORDS = ("saw your ad", "still open", "still available", "can type", "i can type", "finished university",
                "which company", "see you there", "not the job they promised", "don't worry", "took my passport",
                "cannot go outside", "i owe", "send it to this", "where are you", "find the money",
                # the same notes for chats written in Mongolian, Bengali and Thai (local-language worlds)
                "зарыг чинь харлаа", "одоо ч байгаа юу", "одоо ч нээлттэй юу", "их сургууль төгссөн", "бичиж чадна",
                "ямар компани вэ", "уулзъя", "амласан ажил биш", "санаа зов", "паспортыг маань", "гарч чадахгүй",
                "өртэй гэж", "явуул гэж байна", "чи хаана байна", "бид мөнгө олно",
                "বিজ্ঞাপনটা দেখলাম", "এখনো কি আছে", "ভার্সিটি শেষ করেছি", "টাইপ করতে পারি", "কোন কোম্পানি",
                "দেখা হবে", "সেই চাকরি না", "চিন্তা কোরো না", "আমার পাসপোর্ট", "বাইরে যেতে পারি না", "দেনা",
                "নম্বরে পাঠাতে", "তুমি কোথায়", "টাকা জোগাড় করব",
                "เห็นประกาศ", "ยังรับอยู่ไหม", "ยังว่างอยู่ไหม", "เรียนจบมหาวิทยาลัย", "พิมพ์ได้", "บริษัทอะไร",
                "แล้วเจอกัน", "ไม่ใช่งานที่เขาสัญญา", "ไม่ต้องห่วง", "ยึดพาสปอร์ต", "ออกไปข้างนอกไม่ได้", "เป็นหนี้",
                "โอนเข้า", "ออกมาได้ไหม", "หาเงินให้")
CODE = re.compile(r"P\d+")


def _people(view: TraineeView) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """handle -> person, E.164 phone -> person, name -> person."""
    handles, phones, names = {}, {}, {}
    for p, info in view.exercise["persons"].items():
        for h in info["handles"]:
            handles[h] = p
        for phone in info["phones"]:
            phones[e164(phone, info["country"])] = p
        names[info["name"]] = p
    return handles, phones, names


def owner(view: TraineeView, number: str, holder: str) -> str | None:
    """Whose account: a wallet number is a phone; a bank account carries its holder's name."""
    _, phones, names = _people(view)
    return phones.get(number) or names.get(holder)


def accounts(view: TraineeView) -> dict[str, str]:
    _, phones, _ = _people(view)
    holders = {}
    for t in view.exercise["payments"]:
        holders[t["from"]] = t["from_holder"]
        holders[t["to"]] = t["to_holder"]
    profile = {a["account"]: a["profile_phone"] for a in view.exercise["ads"]}
    out = {}
    for i, x in view.exercise["identifiers"].items():
        if x["value"] in profile:
            found = phones.get(profile[x["value"]])
        else:
            found = owner(view, x["value"], holders.get(x["value"], ""))
        out[i] = found or "unknown"
    return out


def _payer_payee(view: TraineeView) -> list[tuple[str | None, str | None, dict]]:
    return [(owner(view, t["from"], t["from_holder"]), owner(view, t["to"], t["to_holder"]), t)
            for t in view.exercise["payments"]]


def money(view: TraineeView) -> list[dict[str, str]]:
    pairs = {(a, b) for a, b, _ in _payer_payee(view) if a and b and a != b}
    return [{"from": a, "to": b} for a, b in sorted(pairs)]


def roles(view: TraineeView) -> dict[str, str]:
    handles, _, _ = _people(view)
    counts: dict[str, Counter[str]] = {p: Counter() for p in view.exercise["persons"]}
    for m in view.exercise["messages"]:
        p = handles.get(m["from"])
        if p is None:
            continue
        text = m["text"].lower()
        for role, words in CLUES.items():
            counts[p][role] += sum(w in text for w in words)
        counts[p]["victim"] += 3 * sum(w in text for w in VICTIM_WORDS)
    for _, payee, t in _payer_payee(view):
        if payee and t["reference"].lower() in SHOP_WORDS:
            counts[payee]["none"] += 1
    return {p: (c.most_common(1)[0][0] if c else "none") for p, c in counts.items()}


def evidence(view: TraineeView) -> dict[str, list[str]]:
    handles, _, _ = _people(view)
    handle_of = {p: {h for h, q in handles.items() if q == p} for p in view.exercise["persons"]}
    flows = _payer_payee(view)

    def said(a: str, b: str, *, both: bool = False, word: str = "") -> list[str]:
        out = []
        for m in view.exercise["messages"]:
            ab = m["from"] in handle_of[a] and handle_of[b] & set(m["to"])
            ba = both and m["from"] in handle_of[b] and handle_of[a] & set(m["to"])
            if (ab or ba) and word in m["text"].lower():
                out.append(m["id"])
        return out

    def paid(a: str, b: str) -> list[str]:
        return [t["id"] for x, y, t in flows if (x, y) == (a, b)]

    out = {}
    for s, text in view.exercise["statements"].items():
        a, b = [*CODE.findall(text), None, None][:2]
        if "tourist" in text:
            out[s] = said(a, b, word="tourist")
        elif "discussed" in text:
            out[s] = said(a, b, both=True)
        elif "pick up" in text or "keep a share" in text:
            out[s] = said(a, b)
        elif "paid" in text:
            out[s] = paid(a, b)
        else:  # "arranged transport", "recruited other people": look for it, find nothing said by them
            words = ("pick up", "car for", "drive them") if "transport" in text else ("workers are ready", "said yes")
            out[s] = [m["id"] for m in view.exercise["messages"] if m["from"] in handle_of[a]
                      and any(w in m["text"].lower() for w in words)]
    return out


def careful(view: TraineeView) -> dict:
    return {"roles": roles(view), "accounts": accounts(view), "money": money(view), "evidence": evidence(view)}


def _one_role(role: str):
    return lambda view: {"roles": {p: role for p in view.exercise["persons"]}}


def _everything(view: TraineeView) -> dict:
    persons = list(view.exercise["persons"])
    items = [m["id"] for kind in ("messages", "payments", "ads") for m in view.exercise[kind]]
    return {"money": [{"from": a, "to": b} for a in persons for b in persons if a != b],
            "evidence": {s: items for s in view.exercise["statements"]},
            "accounts": {i: persons[0] for i in view.exercise["identifiers"]}}


def _mentioned(view: TraineeView) -> dict:
    """For each statement, every message by either person named in it."""
    handles, _, _ = _people(view)
    out = {}
    for s, text in view.exercise["statements"].items():
        codes = set(CODE.findall(text))
        out[s] = [m["id"] for m in view.exercise["messages"] if handles.get(m["from"]) in codes]
    return {"evidence": out}


NO_SKILL = {
    "nothing": lambda view: {},
    "everything": _everything,
    **{f"all {r}": _one_role(r) for r in ROLES},
    "all unknown": lambda view: {"accounts": {i: "unknown" for i in view.exercise["identifiers"]}},
    "no evidence anywhere": lambda view: {"evidence": {s: [] for s in view.exercise["statements"]}},
    "every message of the persons named": _mentioned,
}
CAREFUL = careful
