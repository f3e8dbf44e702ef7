"""Answerers for w2-01 "Username sweep": what needs no skill, and a careful reader.

The careful reader uses only the brief and the sandbox, as the brief says: self-check, sweep
with permutations, open every "found" and "unknown" hit by hand (logged out), pivot on every
trace of every confirmed account (phone, e-mail, photo, bio sentence, links), and claim an
account only with two traces shared with accounts already confirmed.
"""

from __future__ import annotations

import re
from typing import Any

from labs.w2.common import opsec_answer
from osintlab.errors import UserError
from tests.labs.validity import TraineeView

LAB = "w2-01-username-sweep"


def _answer(rows: list[dict[str, Any]], loud: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"accounts": rows, "traces": rows, "opsec": opsec_answer({"accounts": rows, "traces": rows}, loud)}


# ---------------------------------------------------------------- no skill


def nothing(view: TraineeView) -> dict[str, Any]:
    return {}


def every_found_hit(view: TraineeView) -> dict[str, Any]:
    """Claim whatever the sweep says 'found' (the handle only), with the two commonest traces."""
    sweep = view.sandbox.footprint.sweep(view.exercise["handle"])
    urls = [u for u in sweep[sweep.verdict == "found"].url if u != view.exercise["seed_url"]]
    return _answer([{"url": u, "traces": ["phone", "photo"]} for u in urls])


def every_hit_every_trace(view: TraineeView) -> dict[str, Any]:
    """Every 'found' or 'unknown' hit of every permutation, with all five traces."""
    sweep = view.sandbox.footprint.sweep(view.exercise["handle"], permute=True)
    urls = sorted(set(sweep[sweep.verdict != "not found"].url) - {view.exercise["seed_url"]})
    return _answer([{"url": u, "traces": ["phone", "email", "photo", "bio", "link"]} for u in urls])


def same_handle_accounts(view: TraineeView) -> dict[str, Any]:
    """Every account in the case whose handle is a permutation of the handle (a perfect sweep, no checking)."""
    variants = set(view.sandbox.footprint.permute(view.exercise["handle"]))
    urls = [a.url for a in view.case.accounts if a.username in variants and a.url != view.exercise["seed_url"]]
    return _answer([{"url": u, "traces": ["phone", "email"]} for u in urls])


NO_SKILL = {"nothing": nothing, "every found hit": every_found_hit, "every hit, every trace": every_hit_every_trace,
            "same handle anywhere": same_handle_accounts}


# ---------------------------------------------------------------- the careful reader


def _sentences(text: str) -> set[str]:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return {" ".join(p.lower().split()) for p in parts if len(p.split()) >= 3}


def careful(view: TraineeView) -> dict[str, Any]:
    sb, ex = view.sandbox, view.exercise
    fp = sb.footprint
    fp.self_check()
    sweep = fp.sweep(ex["handle"], permute=True)
    candidates = set(sweep[sweep.verdict != "not found"].url)
    confirmed = {ex["seed_url"]: fp.profile(ex["seed_url"]).account}
    rejected: set[str] = set()
    photos: dict[str, set[str]] = {}  # avatar -> images that copy it

    def copies(image_id: str) -> set[str]:
        if image_id not in photos:
            found = sb.images.reverse_search(image_id)
            photos[image_id] = {image_id, *found.image_id}
        return photos[image_id]

    def pivots(account: Any) -> set[str]:
        out = set()
        if account.phone:
            out |= set(fp.by_phone(account.phone).url)
        if account.email:
            out |= set(fp.by_email(account.email).url)
        if account.avatar:
            for pages in sb.images.reverse_search(account.avatar).pages:
                out |= set(pages)
        if account.website:
            out.add(account.website)
        queries = [f'"{s}"' for s in _sentences(account.bio)] + [f'"{account.url}"']
        for query in queries:
            for hit in sb.search(query, per_page=100).hits:
                author = view.case.page_by_id[hit.page_id].author
                if author in view.case.account_by_id:
                    out.add(view.case.account_by_id[author].url)
        return out

    def traces(account: Any) -> list[str]:
        others = [a for a in confirmed.values() if a.account_id != account.account_id]
        found = []
        if account.phone and any(o.phone == account.phone for o in others):
            found.append("phone")
        if account.email and any(o.email and o.email.lower() == account.email.lower() for o in others):
            found.append("email")
        if account.avatar and any(o.avatar and account.avatar in copies(o.avatar) for o in others):
            found.append("photo")
        if any(_sentences(account.bio) & _sentences(o.bio) for o in others):
            found.append("bio")
        if account.website in {o.url for o in others} or any(o.website == account.url for o in others):
            found.append("link")
        return found

    seen_pivots: set[str] = set()
    changed = True
    while changed:
        changed = False
        for url in list(confirmed):
            if url not in seen_pivots:
                seen_pivots.add(url)
                candidates |= pivots(confirmed[url])
        for url in sorted(candidates - set(confirmed) - rejected):
            try:
                account = fp.profile(url).account
            except UserError:
                rejected.add(url)
                continue
            if account.url in confirmed:
                continue
            if len(traces(account)) >= 2:
                confirmed[account.url] = account
                changed = True
    rows = [{"url": url, "traces": traces(a)} for url, a in confirmed.items() if url != ex["seed_url"]]
    return _answer(rows)


CAREFUL = careful
