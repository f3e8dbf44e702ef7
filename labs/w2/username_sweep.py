"""Lab w2-01 "Username sweep": from one recruiter handle, find the same person's accounts across
the registry's sites, each backed by at least two linking traces.

The world gives the recruiter a family of work accounts (the same handle, its permutations, a
handle with digits, sometimes an unrelated handle), each sharing two or more traces with the
others: phone, e-mail, a copy of the profile photo, a bio sentence, a link. Around it stand
innocent namesakes (the same handle elsewhere), look-alike handles, one account that even reuses
the family's stock photo (one trace is not enough), and the sweep's own false positives (search
pages that "find" any name; bot walls that hide an account behind "unknown").

One answer, a table of accounts with their traces, is graded in three parts:
- accounts: +1 for each of the person's accounts, -1 for each account (or non-account) that is
  not theirs, over the number of their accounts (floored at 0);
- traces: for each of the person's accounts, full credit when the traces named are true and at
  least two, half for one true trace, nothing when a named trace is wrong;
- opsec: see labs.w2.common.
"""

from __future__ import annotations

import random
from typing import Any

from labs.w2 import common
from osintlab.i18n import N_, _

PARTS = {"accounts": 6.0, "traces": 4.0, common.OPSEC: 2.0}
HINT_UNITS = {"accounts": N_("accounts"), "traces": N_("traces"), common.OPSEC: N_("parts")}
USES_SEARCH = True
TRACES = {  # trace word (what the trainee writes) -> its meaning (translated where shown)
    "phone": N_("the same phone number"),
    "email": N_("the same e-mail address"),
    "photo": N_("a copy of the same profile photo (reverse image search finds crops, mirror images, smaller copies)"),
    "bio": N_("the same sentence of three words or more in the bio, word for word"),
    "link": N_("it links to a confirmed account, or a confirmed account links to it (the website field)"),
}
SOURCES = [N_("A victim's chat export"), N_("A job advert on the social network"), N_("A hotline caller")]


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    key = common.world_key(case)
    if not key.footprints:
        from labs.runtime import UnsuitableSeed

        raise UnsuitableSeed(f"seed {seed}: the world has no recruiter handle family")
    truth = key.footprints[0]
    accounts = case.account_by_id
    seed_account = accounts[truth.seed_account]
    platforms = case.platform_by_id
    hidden = {r.target for r in case.restricted if r.kind == "contact"}
    family = {aid: traces for aid, traces in truth.accounts.items() if aid != truth.seed_account}
    visible = {aid: [t for t in traces if aid not in hidden or t not in ("phone", "email")]
               for aid, traces in family.items()}
    rng = random.Random(f"w2-01\x1f{seed}")
    source = _(rng.choice(SOURCES))
    brief = _(
        "{source} gives the recruiter's handle @{handle}. Its profile is {url} on {platform}. Find the other "
        "accounts of the same person on the {sites} sites of the username registry. For each account you claim, "
        "name at least two traces it shares with accounts you have already confirmed (start with the profile "
        "above). A handle, a display name or a town alone is not a trace: other people share them. Each account "
        "you claim that is not the recruiter's costs as many points as a right one earns. Work passively: do not "
        "log in, follow, like or message anyone."
    ).format(source=source, handle=truth.seed_handle, url=seed_account.url,
             platform=platforms[seed_account.platform_id].name, sites=len(case.sites))
    public = {"title": _("Username sweep"), "brief": brief, "handle": truth.seed_handle, "seed_url": seed_account.url,
              "seed_platform": platforms[seed_account.platform_id].name,
              "traces": {word: _(meaning) for word, meaning in TRACES.items()}, "sites": len(case.sites)}
    notes = {accounts[aid].url: _("an account on a {kind} site").format(kind=platforms[accounts[aid].platform_id].kind)
             for aid in family}
    return public, {
        "accounts": {accounts[aid].url: sorted(traces) for aid, traces in family.items()},
        "visible": {accounts[aid].url: sorted(traces) for aid, traces in visible.items()},
        "decoys": {accounts[aid].url: reason for aid, reason in truth.decoys.items()},
        "seed_url": seed_account.url,
        "notes": notes,
    }


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("TRACES (name them with these words)")]
    lines += [f"  {word}: {_(meaning)}" for word, meaning in exercise["traces"].items()]
    lines += ["", _("TOOLS (sb = lab.sandbox)"),
              f"  sb.footprint.sweep(\"{exercise['handle']}\", permute=True)",
              "      " + _("check every site; 'unknown' is not 'not found'"),
              "  sb.footprint.self_check()          " + _("which sites give false positives or block checkers"),
              "  sb.footprint.profile(url)          " + _("the profile as a visitor who is not logged in sees it"),
              "  sb.footprint.by_phone(number), sb.footprint.by_email(address), sb.images.reverse_search(image_id)",
              "  lab.search('\"exact words\"')        " + _("the search engine (profiles are pages too)"),
              "", common.opsec_render_line()]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _rows(value: Any) -> list[dict[str, Any]]:
    return [row for row in value if type(row) is dict] if type(value) is list else []


def _claimed(value: Any, case: Any) -> dict[str, list[str]]:
    """Claimed profile URL (as the case writes it, or the raw text if it is no account) -> traces named."""
    by_url = {common.bare_url(a.url): a.url for a in case.accounts}
    by_ref = {a.account_id: a.url for a in case.accounts}
    by_ref.update({p.page_id: case.account_by_id[p.author].url for p in case.pages
                   if p.kind == "profile" and p.author in case.account_by_id})
    out: dict[str, list[str]] = {}
    for row in _rows(value):
        ref = row.get("url")
        if type(ref) is not str or not ref.strip():
            continue
        url = by_ref.get(ref.strip()) or by_url.get(common.bare_url(ref)) or common.bare_url(ref)
        out.setdefault(url, [])
        out[url] += [t for t in common.words(row.get("traces")) if t not in out[url]]
    return out


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    if part == common.OPSEC:
        return common.opsec_problems(value)
    if type(value) is not list or not all(type(r) is dict for r in value):
        return [_("give a list of rows like {example}.").format(
            example='[{"url": "https://...", "traces": ["phone", "photo"]}]')]
    problems = []
    for i, row in enumerate(value, 1):
        if type(row.get("url")) is not str or "." not in row.get("url", ""):
            problems.append(_("row {row}: give the account's profile URL as text.").format(row=i))
        unknown = [t for t in common.words(row.get("traces")) if t not in TRACES]
        if unknown:
            problems.append(_("row {row}: {words} is not a trace word (use {known}).").format(
                row=i, words=", ".join(unknown), known=", ".join(TRACES)))
        if common.bare_url(str(row.get("url", ""))) == common.bare_url(exercise["seed_url"]):
            problems.append(_("row {row}: this is the starting profile; list the other accounts.").format(row=i))
    return problems[:6]


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if part == common.OPSEC:
        return {"answered"} if type(value) is dict and value.get("answers") else set()
    rows = {common.bare_url(str(r.get("url", ""))): common.words(r.get("traces")) for r in _rows(value)}
    if part == "accounts":
        return set(rows)
    return {f"{url}|{t}" for url, traces in rows.items() for t in traces}


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == common.OPSEC:
        return {"answered": _("your answers, found without loud actions")}
    if part == "accounts":
        return {common.bare_url(url): key["notes"][url] for url in key["accounts"]}
    return {f"{common.bare_url(url)}|{t}": _("a trace of one of the accounts") for url, traces in key["visible"].items()
            for t in traces}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if part == common.OPSEC:
        return common.opsec_score(value, PARTS, score, exercise, key, case_dir)
    claimed = _claimed(value, common.case_at(case_dir))
    claimed.pop(key["seed_url"], None)
    family: dict[str, list[str]] = key["accounts"]
    if not family:
        return 0.0
    if part == "accounts":
        right = sum(1 for url in claimed if url in family)
        return max(0.0, (right - (len(claimed) - right)) / len(family))
    credit = 0.0
    for url, true in family.items():
        named = set(claimed.get(url, []))
        if named and named <= set(true):
            credit += 1.0 if len(named) >= 2 else 0.5
    return credit / len(family)


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    found = [{"url": url, "traces": traces} for url, traces in key["visible"].items()]
    if part == common.OPSEC:
        return common.opsec_answer({"accounts": found, "traces": found})
    return found


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    if part == common.OPSEC:
        return common.opsec_form()
    return {"kind": "table", "variable": "found",
            "fields": [{"name": "url", "label": _("Profile URL"), "kind": "text"},
                       {"name": "traces", "label": _("Traces it shares ({words})").format(words=", ".join(TRACES)),
                        "kind": "text"}],
            "note": _("One table answers both parts: the accounts, and the traces that link each one.")}
