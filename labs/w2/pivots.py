"""Lab w2-02 "Phone and e-mail pivots": numbers as people copy them, normalised to E.164; from a
number or an address to every account, web page and mobile-money wallet that uses it; and the
numbers that moved to another operator (their prefix names the wrong one).

Items are drawn per seed from the world: the suspects' numbers, near-identical numbers of
innocent people (one keystroke away), ported numbers. Raw forms are what a hotline or a chat
gives: local formats with or without the trunk 0, spaces and dashes, brackets, a 00 prefix
where the writer dials it, Bengali or full-width digits, invisible direction marks.

Parts:
- normalise: share of items written exactly in E.164 (numbers) or as the mailbox the address
  reaches (lower case; dots and +tags removed where the provider ignores them);
- pivots: per identifier, (right - wrong) / expected over accounts, pages and wallets, averaged;
  a near-identical number's account or ad is wrong; accounts found only by a password-reset
  probe are neither right nor wrong (the probe costs OPSEC points instead);
- ported: F1 of (number, current operator) pairs against the ported numbers among the items;
- opsec: see labs.w2.common.
"""

from __future__ import annotations

import random
import re
from typing import Any

from labs import scoring
from labs.w2 import common
from osintlab.i18n import N_, _

PARTS = {"normalise": 3.0, "pivots": 5.0, "ported": 2.0, common.OPSEC: 2.0}
HINT_UNITS = {"normalise": N_("items"), "pivots": N_("finds"), "ported": N_("numbers"), common.OPSEC: N_("parts")}
USES_SEARCH = True
ITEMS = 8
_CANDIDATE = re.compile(r"\+?\(?\d[\d\s\-()]{5,18}\d")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


# ---------------------------------------------------------------- building


def _packs(case: Any) -> dict[str, Any]:
    from synthetic_data.country import load_country

    return {code: load_country(code) for code in dict.fromkeys(case.manifest["countries"].values())}


def _pack_of(packs: dict[str, Any], e164: str) -> Any:
    return next(p for p in packs.values() if e164.startswith(f"+{p.phone_country_code}"))


def _written(rng: random.Random, packs: dict[str, Any], origin: Any, e164: str) -> tuple[str, str]:
    """(raw form, country it was written in) that libphonenumber reads back as `e164` there."""
    import phonenumbers

    from synthetic_data.generator.phones import raw_forms

    own = _pack_of(packs, e164)
    forms = raw_forms(own, e164)
    kinds = ["local", "local", "international", "brackets", "bidi", "marks", "full_width"]
    if own.code == "BD":
        kinds += ["bengali", "00"]
    for kind in rng.sample(kinds, len(kinds)):
        writer = own if kind in ("local", "marks", "bengali", "00") else rng.choice([own, origin])
        raw = forms[kind]
        try:
            back = phonenumbers.format_number(phonenumbers.parse(raw, writer.code), phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            continue
        if back == e164:
            return raw, writer.code
    return forms["international"], own.code


def numbers_in(text: str, regions: list[str]) -> set[str]:
    """Every phone number written in `text`, as E.164 (local forms read in each of `regions`)."""
    import phonenumbers

    found = set()
    for match in _CANDIDATE.finditer(text):
        raw = match.group()
        for region in ([None] if raw.lstrip("(").startswith("+") else regions):
            try:
                parsed = phonenumbers.parse(raw, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_possible_number(parsed):
                found.add(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
    return found


def emails_in(text: str) -> set[str]:
    from sandbox.footprint import canonical_email

    return {canonical_email(m.rstrip(".")) for m in _EMAIL.findall(text)}


def _expected(case: Any, kind: str, value: str, regions: list[str]) -> tuple[set[str], set[str]]:
    """(references that use the identifier publicly, references that show it only to members)."""
    from sandbox.footprint import canonical_email

    found: set[str] = set()
    for account in case.accounts:
        shown = account.phone if kind == "phone" else (canonical_email(account.email) if account.email else None)
        if shown == value:
            found.add(f"account:{account.url}")
    for page in case.pages:
        if page.kind == "profile":
            continue
        inside = numbers_in(page.text, regions) if kind == "phone" else emails_in(page.text)
        if value in inside:
            found.add(f"page:{page.page_id}")
    if kind == "phone":
        found |= {f"wallet:{f.fin_id}" for f in case.fin_accounts if f.rail == "mobile" and f.number == value}
    hidden = set()
    for item in case.restricted:
        data = item.data.get(kind)
        if data and (data == value or (kind == "email" and canonical_email(str(data)) == value)):
            hidden.add(f"account:{case.account_by_id[item.target].url}")
    return found, hidden - found


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from labs.runtime import UnsuitableSeed
    from sandbox.footprint import canonical_email
    from synthetic_data.footprint_data import footprint_bank

    key = common.world_key(case)
    packs = _packs(case)
    origin = packs[case.manifest["countries"]["origin"]]
    regions = list(packs)
    rng = random.Random(f"w2-02\x1f{seed}")
    ported = {r.number: r for r in case.ported}
    near = [t for t in key.phones if t.near_of]
    targets = [t.near_of for t in rng.sample(near, len(near))]
    targets = [n for n in dict.fromkeys(targets) if _expected(case, "phone", n, regions)[0]][:2]
    if len(targets) < 2 or not ported or not key.footprints:
        raise UnsuitableSeed(f"seed {seed}: too few numbers of interest for the pivot lab")
    numbers = list(dict.fromkeys([*targets, *[t.number for t in near if t.near_of in targets],
                                  *rng.sample(sorted(ported), min(2, len(ported)))]))
    suspects = [n for p in key.people if "bystander" not in p.roles for n in p.phones if n not in numbers]
    numbers += rng.sample(suspects, min(ITEMS - len(numbers), len(suspects)))
    rng.shuffle(numbers)
    items, answers, operators_now = {}, {}, {}
    for i, number in enumerate(numbers[:ITEMS], 1):
        raw, where = _written(rng, packs, origin, number)
        items[f"N{i}"] = {"raw": raw, "written_in": packs[where].name, "country": where}
        answers[f"N{i}"] = number
        if number in ported:
            operators_now[f"N{i}"] = ported[number].to_operator
    family = key.footprints[0]
    local, _at, domain = family.email.partition("@")
    rules = footprint_bank()["mail_rules"].get(domain, {})
    forms = [f"{local.title()}@{domain.title()}", f"{local.upper()}@{domain}"]
    if rules.get("plus_tags"):
        forms.append(f" {local}+jobs@{domain} ")
    if rules.get("ignore_dots"):
        forms.append(f"{local.replace('.', '')}@{domain}".title())
    shown_email = rng.choice(forms)
    items["E1"] = {"raw": shown_email, "written_in": _("an e-mail the victim forwarded"), "country": ""}
    answers["E1"] = canonical_email(shown_email)
    assert answers["E1"] == canonical_email(family.email), "the shown address must reach the family's mailbox"
    target_ids = {f"T{i}": ("phone", n) for i, n in enumerate(targets, 1)}
    target_ids["T3"] = ("email", canonical_email(family.email))
    expected, members = {}, {}
    for tid, (kind, value) in target_ids.items():
        expected[tid], members[tid] = (sorted(x) for x in _expected(case, kind, value, regions))
    operators = sorted({b.operator for b in case.numbering})
    brief = _(
        "The hotline and the victims' families sent these phone numbers and an e-mail address, exactly as "
        "they copied them. (1) Write each one in its standard form: phone numbers in E.164 (+, country code, "
        "number, nothing else), the e-mail address as the mailbox it reaches. (2) For each identifier T1-T3, "
        "list every account, web page and mobile-money wallet that uses it. Careful: some numbers differ from "
        "others by one digit. (3) Some numbers were moved to another operator: before a subscriber request, "
        "list each ported number with the operator that holds it now. Work passively: do not call, message, "
        "add to contacts or try password resets."
    )
    public = {"title": _("Phone and e-mail pivots"), "brief": brief, "items": items,
              "targets": {tid: value for tid, (_kind, value) in target_ids.items()},
              "target_kinds": {tid: kind for tid, (kind, _value) in target_ids.items()},
              "operators": operators}
    return public, {"normalise": answers, "pivots": expected, "members_only": members, "ported": operators_now}


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("ITEMS (as copied)")]
    for item, spec in exercise["items"].items():
        lines.append(f"  {item}: {spec['raw']!r}   " + _("(written in {place})").format(place=spec["written_in"]))
    lines += ["", _("IDENTIFIERS TO PIVOT ON")]
    lines += [f"  {tid}: {value}" for tid, value in exercise["targets"].items()]
    lines += ["", _("OPERATORS: {names}").format(names=", ".join(exercise["operators"])), "",
              _("TOOLS (sb = lab.sandbox)"),
              "  sb.footprint.normalise_phone(raw, region)   sb.footprint.phone(number)   sb.footprint.mnp(number)",
              "  sb.footprint.email(address)   sb.footprint.by_phone(number)   sb.footprint.by_email(address)",
              "  sb.footprint.dorks(number) -> queries for lab.search(...)   sb.footprint.wallets(number)",
              "", common.opsec_render_line()]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _field(entry: Any, *names: str) -> Any:
    """A plain value, or the one field of a form's record ({"value": ...})."""
    if type(entry) is dict:
        for name in names:
            if name in entry:
                return entry[name]
        return None
    return entry


def _refs(entry: Any) -> list[str]:
    entry = _field(entry, "found", "refs")
    if type(entry) is str:
        entry = re.split(r"[\s,;]+", entry)
    return [e.strip() for e in entry if type(e) is str and e.strip()] if type(entry) is list else []


def _resolve(refs: list[str], case: Any) -> set[str]:
    by_url = {common.bare_url(a.url): a.url for a in case.accounts}
    pages = {common.bare_url(p.url): p for p in case.pages}
    out = set()
    for ref in refs:
        if ref in case.account_by_id:
            out.add(f"account:{case.account_by_id[ref].url}")
        elif ref in case.page_by_id:
            page = case.page_by_id[ref]
            account = case.account_by_id.get(page.author or "")
            out.add(f"account:{account.url}" if page.kind == "profile" and account else f"page:{page.page_id}")
        elif ref.startswith("fin-"):
            out.add(f"wallet:{ref}")
        elif common.bare_url(ref) in by_url:
            out.add(f"account:{by_url[common.bare_url(ref)]}")
        elif common.bare_url(ref) in pages:
            out.add(f"page:{pages[common.bare_url(ref)].page_id}")
        else:
            out.add(f"unknown:{ref}")
    return out


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    if part == common.OPSEC:
        return common.opsec_problems(value)
    if type(value) is not dict:
        return [_("give a dict like {example}.").format(example='{"N1": ..., "N2": ...}')]
    known = exercise["items"] if part != "pivots" else exercise["targets"]
    problems = [_("{item} is not an item of this exercise.").format(item=repr(k)) for k in value if k not in known]
    if part == "normalise":
        for item, entry in value.items():
            text = _field(entry, "normalised", "value")
            if item.startswith("N") and type(text) is str and not re.fullmatch(r"\+[1-9]\d{6,14}", text.strip()):
                problems.append(_("{item}: {text} is not in E.164 form (+ country code and digits, no spaces).").format(
                    item=item, text=repr(text)))
    if part == "ported":
        for item, entry in value.items():
            name = _field(entry, "operator", "value")
            if type(name) is str and name.strip() and name.strip() not in (*exercise["operators"], "not ported"):
                known = ", ".join(exercise["operators"])
                problems.append(_("{item}: {name} is not an operator of this case ({known}).").format(
                    item=item, name=repr(name), known=known))
    return problems[:6]


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if part == common.OPSEC:
        return {"answered"} if type(value) is dict and value.get("answers") else set()
    if type(value) is not dict:
        return set()
    if part == "normalise":
        return {f"{k}|{str(_field(v, 'normalised', 'value')).strip().casefold()}" for k, v in value.items()}
    if part == "ported":
        return {f"{k}|{_field(v, 'operator', 'value')}" for k, v in value.items()
                if _field(v, "operator", "value") not in (None, "", "not ported")}
    return {f"{k}|{r}" for k, v in value.items() for r in _refs(v)}


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == common.OPSEC:
        return {"answered": _("your answers, found without loud actions")}
    if part == "normalise":
        return {f"{k}|{v.casefold()}": _("the standard form of an item") for k, v in key["normalise"].items()}
    if part == "ported":
        return {f"{k}|{v}": _("a ported number") for k, v in key["ported"].items()}
    kinds = {"account": _("an account that uses an identifier"), "page": _("a web page that uses an identifier"),
             "wallet": _("a wallet that uses an identifier")}
    return {f"{t}|{ref.split(':', 1)[1]}": kinds.get(ref.split(":", 1)[0], _("a find that uses an identifier"))
            for t, refs in key["pivots"].items() for ref in refs}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if part == common.OPSEC:
        return common.opsec_score(value, PARTS, score, exercise, key, case_dir)
    if type(value) is not dict:
        return 0.0
    if part == "normalise":
        right = 0
        for item, expected in key["normalise"].items():
            given = _field(value.get(item), "normalised", "value")
            if type(given) is str and given.strip().casefold() == expected.casefold():
                right += 1
        return right / len(key["normalise"])
    if part == "ported":
        given = {(k, str(_field(v, "operator", "value")).strip()) for k, v in value.items()
                 if _field(v, "operator", "value") not in (None, "", "not ported")}
        return scoring.prf(given, set(key["ported"].items())).f1
    case = common.case_at(case_dir)
    total = 0.0
    for tid, expected in key["pivots"].items():
        claimed = _resolve(_refs(value.get(tid)), case) - set(key["members_only"].get(tid, []))
        right = len(claimed & set(expected))
        total += max(0.0, (right - (len(claimed) - right)) / len(expected)) if expected else 0.0
    return total / len(key["pivots"])


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == common.OPSEC:
        return common.opsec_answer({p: reference(p, exercise, key) for p in PARTS if p != common.OPSEC})
    if part == "normalise":
        return dict(key["normalise"])
    if part == "ported":
        return dict(key["ported"])
    return {tid: [ref.split(":", 1)[1] for ref in refs] for tid, refs in key["pivots"].items()}


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    if part == common.OPSEC:
        return common.opsec_form()
    if part == "normalise":
        return {"kind": "records", "items": [{"id": k, "text": f"{v['raw']!r} "
                                              + _("(written in {place})").format(place=v["written_in"])}
                                             for k, v in exercise["items"].items()],
                "fields": [{"name": "normalised", "label": _("E.164 number or mailbox"), "kind": "text"}]}
    if part == "ported":
        return {"kind": "records", "items": [{"id": k, "text": v["raw"]} for k, v in exercise["items"].items()
                                             if k.startswith("N")],
                "fields": [{"name": "operator", "label": _("Operator now"), "kind": "choice",
                            "options": [{"value": "not ported", "label": _("not ported")},
                                        *({"value": o, "label": o} for o in exercise["operators"])]}]}
    return {"kind": "records", "items": [{"id": t, "text": v} for t, v in exercise["targets"].items()],
            "fields": [{"name": "found", "label": _("Account URLs, page ids (pg-...), wallet ids (fin-...)"),
                        "kind": "text", "multiline": True}]}
