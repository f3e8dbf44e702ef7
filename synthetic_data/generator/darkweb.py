"""Saved copies of dark-web pages (case/darkweb.jsonl) and their truth (key/darkweb.jsonl).

Awareness level, and safe offline: a specialist unit "saved" these pages; trainees read the
copies and never visit anything. Every onion address is synthetic (safety.synthetic_onion: a
valid checksum on a key that is no ed25519 point, so it can never name a service), and every
key fingerprint carries the synthetic mark (safety.synthetic_fingerprint).

What is in it: a market's signed list of its genuine mirrors; a forum post with lookalike
"mirrors" (typos that fail the onion checksum, and phishing addresses with a copied prefix and a
valid checksum that only the signed list exposes); vendor profiles and listings where one actor
(a case suspect, reachable through a contact handle) reuses a key fingerprint across sites, a
copycat imitates the handle, and another vendor copies the wording. Own stream ("darkweb").
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from osintlab.yamlfile import read_yaml
from synthetic_data.generator.context import Gen, iso
from synthetic_data.generator.streams import Stream
from synthetic_data.model import HiddenPage, HiddenPageTruth, Person
from synthetic_data.safety import onion_checksum_ok, onion_parts, synthetic_fingerprint, synthetic_onion

BANK = Path(__file__).resolve().parents[1] / "content" / "w3" / "darkweb.yml"
BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


@cache
def bank() -> dict[str, Any]:
    return dict(read_yaml(BANK))


def typo_of(s: Stream, address: str) -> str:
    """The address with one character changed: its checksum no longer matches (Tor refuses it)."""
    name = address.removesuffix(".onion")
    while True:
        i = s.rng.randrange(3, 52)
        wrong = name[:i] + s.pick([c for c in BASE32 if c != name[i]]) + name[i + 1 :]
        if not onion_checksum_ok(wrong):
            return wrong + ".onion"


def phishing_of(s: Stream, address: str) -> str:
    """Another valid address with the same first key bytes (the vanity prefix a phisher copies)."""
    parts = onion_parts(address)
    assert parts is not None
    return synthetic_onion(s.rng, prefix=parts[0][:2])


def vendor_person(g: Gen) -> Person:
    """The case suspect behind the document vendor: the forger, else a recruiter."""
    return (g.people("forger") or g.people("recruiter") or g.people("broker"))[0]


class DarkWeb:
    def __init__(self, g: Gen) -> None:
        self.g, self.s = g, Stream(g, "darkweb")
        self.snapshot = self.s.moment(g.start + timedelta(days=40), g.end - timedelta(days=5))

    def page(self, url: str, kind: str, title: str, text: str, truth: HiddenPageTruth | None = None,
             data: dict[str, Any] | None = None) -> HiddenPage:
        page_id = self.s.new_id("dw")
        moment = self.snapshot + timedelta(minutes=self.s.rng.randint(0, 240))
        page = HiddenPage(page_id, url, kind, title, text, iso(moment), data or {})
        self.g.case.darkweb.append(page)
        truth = truth or HiddenPageTruth(page_id, kind)
        truth.page_id = page_id
        self.g.key.darkweb.append(truth)
        return page


def make_darkweb(g: Gen) -> None:
    d = DarkWeb(g)
    s, content = d.s, bank()
    market, forum = s.pick(content["markets"]), s.pick(content["forums"])
    genuine = [synthetic_onion(s.rng) for _ in range(2)]
    forum_host = synthetic_onion(s.rng)
    market_key = synthetic_fingerprint(s.rng)
    home = f"http://{genuine[0]}"
    listed = "\n".join(f"  {a}" for a in genuine)
    d.page(f"{home}/", "market_home", f"{market}: welcome",
           f"Welcome to {market}. Escrow on every order. Vendors must sign with their key.\n"
           f"Our official mirrors are listed on the signed canary page only.\n"
           f"Market key fingerprint: {market_key}")
    d.page(f"{home}/canary", "canary", f"{market}: signed canary and official mirrors",
           f"-----BEGIN SIGNED MESSAGE-----\nOfficial mirrors of {market} (all others are fake):\n{listed}\n"
           f"-----END SIGNED MESSAGE-----\nSigned with the market key {market_key}.",
           data={"mirrors": genuine, "key": market_key})
    _mirror_post(d, market, forum_host, genuine)
    _vendors(d, market, forum, genuine[0], forum_host)


def _mirror_post(d: DarkWeb, market: str, forum_host: str, genuine: list[str]) -> None:
    s = d.s
    labelled = [(a, "genuine") for a in genuine]
    labelled += [(typo_of(s, s.pick(genuine)), "typo") for _ in range(s.rng.randint(2, 3))]
    labelled += [(phishing_of(s, s.pick(genuine)), "phishing") for _ in range(s.rng.randint(2, 3))]
    s.rng.shuffle(labelled)
    text = s.pick(bank()["mirror_posts"]).format(market=market)
    body = text + "\n" + "\n".join(f"  {a}" for a, _ in labelled)
    truth = HiddenPageTruth("", "mirrors", details={a: label for a, label in labelled})
    d.page(f"http://{forum_host}/thread/{s.rng.randint(1000, 9999)}", "mirrors", f"{market} mirrors (working)",
           body, truth, data={"addresses": [a for a, _ in labelled]})


def _vendors(d: DarkWeb, market: str, forum: str, market_host: str, forum_host: str) -> None:
    g, s, content = d.g, d.s, bank()
    person = vendor_person(g)
    handle = g.messenger_handle.get(person.person_id) or person.name_latin.split()[0].lower()
    stems = list(content["handles"])
    s.rng.shuffle(stems)
    signatures = list(content["signatures"])
    s.rng.shuffle(signatures)
    messenger = g.platforms["messenger"].name
    target_key = synthetic_fingerprint(s.rng)
    target = stems[0]
    actors: list[dict[str, Any]] = [
        {"actor": "A1", "handle": target, "site": "market", "key": target_key,
         "contact": "messages through the market only", "signature": signatures[0], "person": person.person_id},
        {"actor": "A1", "handle": stems[1], "site": "forum", "key": target_key,
         "contact": f"{messenger} @{handle}", "signature": signatures[0], "person": person.person_id},
        {"actor": "A2", "handle": f"{target}_official", "site": "market", "key": synthetic_fingerprint(s.rng),
         "contact": f"{messenger} @{stems[2]}{s.rng.randint(10, 99)}", "signature": signatures[1], "person": None},
        {"actor": "A3", "handle": stems[3], "site": "forum", "key": synthetic_fingerprint(s.rng),
         "contact": "private messages on this forum", "signature": signatures[0], "person": None},
    ]
    for i, stem in enumerate(stems[4 : 4 + s.rng.randint(2, 3)]):
        actors.append({"actor": f"A{4 + i}", "handle": stem, "site": s.pick(["market", "forum"]),
                       "key": synthetic_fingerprint(s.rng), "contact": f"{messenger} @{stem}{s.rng.randint(10, 99)}",
                       "signature": signatures[2 + i % (len(signatures) - 2)], "person": None})
    s.rng.shuffle(actors)
    for actor in actors:
        host = market_host if actor["site"] == "market" else forum_host
        site = market if actor["site"] == "market" else forum
        text = (f"Vendor {actor['handle']} on {site}.\n{actor['signature']}\nContact: {actor['contact']}.\n"
                f"My key fingerprint: {actor['key']}")
        truth = HiddenPageTruth("", "vendor", actor=actor["actor"], person_id=actor["person"])
        d.page(f"http://{host}/vendor/{actor['handle']}", "vendor", f"{actor['handle']} ({site})", text, truth,
               data={"handle": actor["handle"], "site": site, "fingerprint": actor["key"]})
        if actor["site"] == "market":
            _listings(d, actor, host)
    _review(d, forum_host, forum, target)


def _listings(d: DarkWeb, actor: dict[str, Any], host: str) -> None:
    s, dest = d.s, d.g.dest.name
    for spec in s.rng.sample(bank()["listings"], 2):
        title = spec["title"].format(dest=dest)
        price = s.rng.randint(*spec["price"])
        text = (f"{title}\nPrice: {price} USD, paid in tBTC through escrow.\nSold by {actor['handle']}.\n"
                f"{actor['signature']}")
        truth = HiddenPageTruth("", "listing", actor=actor["actor"], person_id=actor["person"])
        d.page(f"http://{host}/listing/{s.rng.randint(10000, 99999)}", "listing", title, text, truth,
               data={"vendor": actor["handle"], "price_usd": price})


def _review(d: DarkWeb, forum_host: str, forum: str, handle: str) -> None:
    s = d.s
    lines = [r.format(handle=handle, days=s.rng.randint(3, 9)) for r in bank()["reviews"]]
    d.page(f"http://{forum_host}/thread/{s.rng.randint(1000, 9999)}", "forum_thread", f"Reviews: {handle}",
           "\n".join(lines))
