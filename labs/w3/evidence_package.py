"""Lab w3-05 "Evidence package": capture what proves the case as WARC, hash it, keep custody; spot tampering.

- package: the trainee's own package (sandbox.evidence.WarcPackage.answer()). The grader rebuilds it
  from the bytes (verify_warc_package): manifest hashes, WARC digests, the custody chain, UTC times in
  order, WARC records in the log's order. Score: 25 % integrity (share of intact items), 50 % the three
  facts proven (a capture of the right URL whose bytes equal what the case shows), 25 % custody (each
  fact's item transferred to the named case officer); minus 10 points per cent for each page of a victim
  or a family captured without need (data minimisation).
- tamper: a colleague's package with five items (E1..E5): intact, altered (content changed after
  capture), missing (record gone from the WARC) or log edited (a custody line changed). Macro F1.
"""

from __future__ import annotations

import base64
import random
from typing import Any

from labs import scoring
from labs.items import coded_options
from labs.w3.common import labelled, macro_f1_labels, world_key
from osintlab.i18n import N_, NP_, _

PARTS = {"package": 8.0, "tamper": 4.0}
HINT_UNITS = {"package": N_("facts"), "tamper": N_("labels")}
# Translators: the answer options of lab W3-05 and the statuses verify_warc_package prints: your word, then
# the English code in brackets, e.g. "word (intact)".
TAMPER_LABELS = (
    NP_("answer option", "intact"),
    NP_("answer option", "altered"),
    NP_("answer option", "missing"),
    NP_("answer option", "log edited"),
)
OFFICERS = ("Inspector D. Naran", "Sergeant O. Tuya", "Inspector B. Ganzorig", "Captain S. Oyun")


def _sha(data: bytes) -> str:
    from sandbox.evidence import sha256

    return sha256(data)


def build(seed: int, case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from labs.runtime import UnsuitableSeed
    from sandbox.archive import Archive
    from sandbox.evidence import render_page, target_bytes

    key = world_key(case)
    rng = random.Random(f"w3-05\x1f{seed}")
    jobs = next(p for p in case.platforms if p.kind == "jobs")
    recruiters = [p for p in key.people if "recruiter" in p.roles]
    options = []
    for person in recruiters:
        accounts = [case.account_by_id[a] for a in person.accounts
                    if a in case.account_by_id and case.account_by_id[a].platform_id == jobs.platform_id]
        for account in accounts:
            ads = [p for p in case.pages if p.author == account.account_id and p.kind == "job_ad"]
            if ads:
                options.append((account, ads))
    deleted = [t for t in key.pages if t.history == "deleted" and t.label == "exploitative"]
    if not options or not deleted:
        raise UnsuitableSeed("no recruiter with a live ad and a deleted ad")
    account, ads = rng.choice(options)
    ad = rng.choice(ads)
    gone = rng.choice(deleted)
    recovered = Archive(case).recover(gone.url)
    facts = {
        "A": {"text": _("The job ad by @{user} on {site} published on {date}.").format(
                  user=account.username, site=jobs.name, date=ad.published[:10]),
              "url": ad.url, "sha256": _sha(render_page(ad))},
        "B": {"text": _("The profile of @{user} on {site} (it shows the contact phone).").format(
                  user=account.username, site=jobs.name),
              "url": account.url, "sha256": _sha(target_bytes(account)[1])},
        "C": {"text": _("The ad that was at {url}: it was deleted. Recover its last readable copy.").format(
                  url=gone.url),
              "url": gone.url, "sha256": _sha(render_page(recovered))},
    }
    victims = [p for p in key.people if set(p.roles) & {"victim", "family"}]
    owned = {a for p in victims for a in p.accounts}
    victim_urls = sorted({p.url for p in case.pages if p.author in owned} |
                         {case.account_by_id[a].url for a in owned if a in case.account_by_id})
    officer = rng.choice(OFFICERS)
    colleague, tamper = _colleague_package(rng, case)
    brief = _("Capture the three items below, which prove the recruitment, into one evidence package (WARC records, "
              "hashes, custody log in UTC). Then transfer each item to the case officer, {officer}. Capture "
              "nothing else about victims or their families: it is not needed (data minimisation). Last, check a "
              "colleague's package: for each of its items say intact, altered, missing or log edited.").format(
        officer=officer)
    public = {"title": _("Evidence package"), "brief": brief, "officer": officer,
              "facts": {k: v["text"] for k, v in facts.items()}, "colleague_package": colleague,
              "colleague_items": sorted(tamper)}
    return public, {"facts": facts, "officer": officer, "victim_urls": victim_urls, "tamper": tamper}


def _colleague_package(rng: random.Random, case: Any) -> tuple[str, dict[str, str]]:
    """A colleague's package of five live pages, then tampered: one altered, one missing, one log edited."""
    import io
    import json

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from sandbox.evidence import WarcPackage

    package = WarcPackage("Officer T. Bold")
    for page in rng.sample(case.pages, 5):
        package.capture(page)
    labels = ["intact", "intact", "altered", "missing", "log edited"]
    rng.shuffle(labels)
    for i, label in enumerate(labels):
        entry = package.log[i]
        if label == "altered":
            buffer = io.BytesIO()
            writer = WARCWriter(buffer, gzip=True, warc_version="WARC/1.1")
            payload = b"<!doctype html><html><body><p>Edited after capture.</p></body></html>\n"
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(entry["url"], "response", payload=io.BytesIO(payload), http_headers=http,
                                               warc_headers_dict={"WARC-Record-ID": entry["warc_record_id"]})
            writer.write_record(record)
            package.records[i] = buffer.getvalue()
        elif label == "log edited":
            entry["time"] = entry["time"][:11] + "00:00:00Z"  # "corrected" by hand: the hash no longer fits
    missing = [i for i, label in enumerate(labels) if label == "missing"]
    package.records = [r for i, r in enumerate(package.records) if i not in missing]
    data = package.export()
    del json
    return base64.b64encode(data).decode("ascii"), {e["item_id"]: labels[i] for i, e in enumerate(package.log)}


def render(exercise: dict[str, Any]) -> str:
    lines = [_("TASK"), exercise["brief"], "", _("ITEMS TO CAPTURE")]
    lines += [f"  {k}: {v}" for k, v in exercise["facts"].items()]
    items = ", ".join(exercise["colleague_items"])
    lines += ["", _("Colleague's package: {code} (items {items})").format(
        code="lab.exercise['colleague_package']", items=items)]
    return "\n".join(lines)


# ---------------------------------------------------------------- answers


def _package_bytes(value: Any) -> str | None:
    return value["package"] if type(value) is dict and type(value.get("package")) is str else None


def answer_problems(part: str, value: Any, exercise: dict[str, Any]) -> list[str]:
    if part == "package":
        return [] if _package_bytes(value) else [
            _("give {code} (a dict with the package in base64).").format(code="package.answer()")]
    if type(value) is not dict:
        return [_("give a dict like {example}.").format(example='{"E1": "intact", ...}')]
    problems = [_("{item} is not an item of the colleague's package.").format(item=repr(k)) for k in value
                if k not in exercise["colleague_items"]]
    problems += [_("{item}: {value} is not one of {choices}.").format(
        item=k, value=repr(v), choices=", ".join(TAMPER_LABELS)) for k, v in value.items()
                 if scoring.norm(v) not in TAMPER_LABELS]
    return problems[:6]


def _proven(value: Any, key: dict[str, Any]) -> tuple[float, dict[str, bool], dict[str, bool], int]:
    """(integrity share, fact -> proven, fact -> transferred, victim pages captured) of a package."""
    from sandbox.evidence import sha256, verify_warc_package

    data = _package_bytes(value)
    if data is None:
        return 0.0, {}, {}, 0
    check = verify_warc_package(data)
    captures = [e for e in check.log if e.get("event") == "capture"]
    if not captures:
        return 0.0, {}, {}, 0
    intact = [e for e in captures if check.items.get(str(e.get("item_id"))) == "intact"]
    integrity = 1.0 if check.ok else len(intact) / len(captures)
    proven, moved = {}, {}
    officer = scoring.norm(key["officer"])
    for fact, want in key["facts"].items():
        items = [str(e["item_id"]) for e in intact if e.get("url") == want["url"]
                 and sha256(check.payloads.get(e.get("warc_record_id"), b"")) == want["sha256"]]
        proven[fact] = bool(items)
        moved[fact] = any(e.get("event") == "transfer" and str(e.get("item_id")) in items
                          and scoring.norm(e.get("to")) == officer for e in check.log)
    victims = set(key["victim_urls"])
    return integrity, proven, moved, len({e.get("url") for e in captures if e.get("url") in victims})


def answer_atoms(part: str, value: Any, exercise: dict[str, Any]) -> set[str]:
    if part == "tamper":
        return {f"{k}|{v}" for k, v in labelled(value, exercise["colleague_items"], TAMPER_LABELS).items()}
    return set()  # the package is checked against the key by the grader only


def expected_atoms(part: str, public: dict[str, Any], key: dict[str, Any]) -> dict[str, str]:
    if part == "tamper":
        return {f"{k}|{v}": _("an item that is {label}").format(label=v) for k, v in key["tamper"].items()}
    return {f"fact {k}": _("item {item} captured and transferred").format(item=k) for k in key["facts"]}


def score(part: str, value: Any, exercise: dict[str, Any], key: dict[str, Any], case_dir: Any = None) -> float:
    if part == "tamper":
        return macro_f1_labels(labelled(value, exercise["colleague_items"], TAMPER_LABELS), key["tamper"])
    integrity, proven, moved, victims = _proven(value, key)
    if not proven:
        return 0.0
    facts = sum(proven.values()) / len(proven)
    custody = sum(moved.values()) / len(moved)
    return max(0.0, 0.25 * integrity * facts + 0.5 * facts + 0.25 * custody - 0.1 * victims)


def reference(part: str, exercise: dict[str, Any], key: dict[str, Any]) -> Any:
    if part == "tamper":
        return dict(key["tamper"])
    return {"reference": "built in the solution cell"}


def reference_from_case(part: str, exercise: dict[str, Any], key: dict[str, Any], case: Any) -> Any:
    """The key's package, built as the solution cell builds it: the three facts' pages captured (the
    deleted ad from the archive) and each handed to the officer the exercise names. None for `tamper`."""
    if part != "package":
        return None
    from sandbox.archive import Archive
    from sandbox.evidence import WarcPackage, target_bytes

    live = {p.url: p for p in case.pages} | {a.url: a for a in case.accounts}
    package = WarcPackage("Officer A. Student")
    for fact in key["facts"].values():
        # the live page or profile, or (a deleted ad) its last readable copy in the archive
        target = live.get(fact["url"])
        if target is None or _sha(target_bytes(target)[1]) != fact["sha256"]:
            target = Archive(case).recover(fact["url"])
        item = package.capture(target, note=fact["text"][:60])
        package.custody(item["item_id"], "transfer", to=exercise["officer"])
    return package.answer()


def answer_form(part: str, exercise: dict[str, Any]) -> dict[str, Any]:
    if part == "tamper":
        return {"kind": "choice", "items": [{"id": i, "text": i} for i in exercise["colleague_items"]],
                "options": coded_options(TAMPER_LABELS)}
    return {"kind": "text", "placeholder": "package.answer()",
            "note": _("made by code: {code}").format(code="package.answer()")}
