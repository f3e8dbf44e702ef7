"""Answerers for w3-05 Evidence package (see tests/labs/validity.py)."""

from __future__ import annotations

import re

from sandbox.evidence import WarcPackage, verify_warc_package
from tests.labs.validity import TraineeView

LAB = "w3-05-evidence-package"


def careful(view: TraineeView) -> dict:
    case, facts = view.case, view.exercise["facts"]
    jobs = next(p for p in case.platforms if p.kind == "jobs")
    handle = re.search(r"@(\S+) on", facts["A"]).group(1)
    date = re.search(r"published on (\S+)\.", facts["A"]).group(1)
    account = next(a for a in case.accounts if a.platform_id == jobs.platform_id and a.username == handle)
    ad = next(p for p in case.pages if p.author == account.account_id and p.kind == "job_ad"
              and p.published.startswith(date))
    url = re.search(r"at (\S+): it was deleted", facts["C"]).group(1)
    package = WarcPackage("Officer Careful")
    for target in (ad, account, view.sandbox.archive.recover(url)):
        item = package.capture(target)
        package.custody(item["item_id"], "transfer", to=view.exercise["officer"])
    return {"package": package.answer(),
            "tamper": verify_warc_package(view.exercise["colleague_package"]).items}


def _everything(view: TraineeView) -> dict:
    package = WarcPackage("Officer Everything")
    for page in view.case.pages[:60]:
        item = package.capture(page)
        package.custody(item["item_id"], "transfer", to=view.exercise["officer"])
    return {"package": package.answer()}


def _one(label: str):
    return lambda view: {"tamper": {i: label for i in view.exercise["colleague_items"]}}


NO_SKILL = {"nothing": lambda view: {}, "first 60 pages": _everything,
            **{f"all {x}": _one(x) for x in ("intact", "altered", "missing", "log edited")}}
CAREFUL = careful
