"""The world consistency checker: it finds each kind of contradiction, generated worlds have none
(a sweep over 1,000+ worlds in the slow tests), generation refuses an inconsistent world, and
`osintlab world validate` reports one."""

from __future__ import annotations

import copy
import json
import multiprocessing
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from osintlab.cli import main
from synthetic_data import consistency
from synthetic_data.bundle import World
from synthetic_data.country import list_countries
from synthetic_data.generator import InconsistentWorldError, generate_world, pages, write_checked
from synthetic_data.model import Page
from synthetic_data.scenario import list_scenarios

SCENARIOS = [s.id for s in list_scenarios()]
COUNTRIES = [p.code for p in list_countries()]


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world("MN", "scam-compound-recruitment", seed=4, size="tiny")


@pytest.fixture
def broken(world: World) -> World:
    return copy.deepcopy(world)


def _problems(world: World, needle: str) -> list[str]:
    return [p for p in consistency.violations(world) if needle in p]


def test_a_generated_world_holds_together(world: World) -> None:
    assert consistency.violations(world) == []
    assert world.key.journeys and all(j.before for j in world.key.journeys)


@pytest.mark.parametrize("sid", SCENARIOS)
def test_every_scenario_holds_together_in_two_countries(sid: str) -> None:
    for country in ("MN", "BD"):
        assert consistency.violations(generate_world(country, sid, seed=2, size="tiny")) == []


# ---------------------------------------------------------------- each rule finds its contradiction


def _legit_ad(world: World):  # type: ignore[no-untyped-def]
    truth = next(t for t in world.key.pages if t.label == "legitimate" and t.page_id in world.case.page_by_id
                 and "registration" in world.case.page_by_id[t.page_id].text)
    return world.case.page_by_id[truth.page_id]


def test_a_legitimate_ad_quoting_another_companys_registration_is_found(broken: World) -> None:
    page = _legit_ad(broken)
    own = next(o for o in broken.key.orgs if o.registration and o.registration in page.text)
    other = next(o for o in broken.key.orgs if o.registration and o.org_id != own.org_id)
    page.text = page.text.replace(own.registration, other.registration)  # type: ignore[arg-type]
    assert _problems(broken, f"quotes {other.registration}, which belongs to {other.name}")


def test_an_unknown_licence_number_is_found(broken: World) -> None:
    page = _legit_ad(broken)
    page.text += " Licence LIC-MN-00000."
    assert _problems(broken, "quotes licence LIC-MN-00000, which no organisation")


def test_a_family_post_accusing_a_legitimate_employer_is_found(broken: World) -> None:
    journey = next(j for j in broken.key.journeys if any(i in broken.case.page_by_id for i in j.after))
    post = broken.case.page_by_id[next(i for i in journey.after if i in broken.case.page_by_id)]
    legit = next(o for o in broken.key.orgs if o.legitimate)
    post.title = f"Has anyone heard of {legit.name}?"
    assert _problems(broken, f"complains about {legit.name}, which the key calls legitimate")


def test_an_ad_announcing_a_date_before_itself_is_found(broken: World) -> None:
    ad = next(p for p in broken.case.pages if p.kind == "job_ad")
    day = consistency._t(ad.published).replace(day=1)
    ad.text += f" The group leaves on {day.day} {day:%B}."
    if consistency._t(ad.published).day == 1:
        pytest.skip("published on the 1st: that date is not before it")
    assert _problems(broken, "which is before it was written")


def test_a_complaint_before_the_departure_is_found(broken: World) -> None:
    journey = next(j for j in broken.key.journeys if any(i in broken.case.page_by_id for i in j.after))
    post = broken.case.page_by_id[next(i for i in journey.after if i in broken.case.page_by_id)]
    post.published = journey.answered
    assert _problems(broken, "not after departure")


def test_a_journey_out_of_order_is_found(broken: World) -> None:
    journey = broken.key.journeys[0]
    journey.departed, journey.answered = journey.answered, journey.departed
    assert _problems(broken, "is out of order")


def test_a_payment_before_the_number_was_given_is_found(broken: World) -> None:
    journey = next(j for j in broken.key.journeys if j.payments)
    tx = next(t for t in broken.case.transactions if t.tx_id == journey.payments[0])
    tx.time = journey.ad_published
    assert _problems(broken, "before any message gives the number")


def test_a_telling_payment_memo_is_found(broken: World) -> None:
    broken.case.transactions[0].reference = "ransom for a relative"
    assert _problems(broken, "gives its purpose away")


def test_unresolvable_identifiers_are_found(broken: World) -> None:
    page = next(p for p in broken.case.pages if p.kind == "post")
    page.text += " Write to @nobody_here_123 or call +97613999999, see https://elsewhere.example/x."
    assert _problems(broken, "@nobody_here_123, which is no account")
    assert _problems(broken, "+97613999999, which belongs to nobody")
    assert _problems(broken, "elsewhere.example, which is no site")


def test_a_hyphenated_handle_is_read_whole(broken: World) -> None:
    """Workshop 2 handle variants (a-b) are accounts: the check reads the whole handle, not its first part."""
    account = next(a for a in broken.case.accounts if "-" in a.username)
    page = next(p for p in broken.case.pages if p.kind == "post")
    page.text += f" Thanks @{account.username}."
    assert consistency.violations(broken) == []
    page.text += f" And @{account.username}-x."
    assert _problems(broken, f"@{account.username}-x, which is no account")


def _copy_of_a_photo(world: World) -> tuple[Any, Any, Page]:
    """(copy truth, its original's truth, the copy's page) for a reposted photo taken at a known time."""
    truths = {t.image_id: t for t in world.key.images}
    for page in world.case.pages:
        for image in page.images:
            truth = truths[image]
            source = truths.get(truth.source) if truth.source else None
            if source is not None and source.source is None and source.taken:
                return truth, source, page
    raise AssertionError("no reposted photo in the world")


def test_a_copy_may_precede_the_originals_page_but_not_the_shot(broken: World) -> None:
    """The first appearance of a photo is not always its original file (lab w2-03 teaches it)."""
    _copy, source, page = _copy_of_a_photo(broken)
    page.published = consistency._t(source.taken).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert not _problems(broken, "before its original")
    page.published = (consistency._t(source.taken) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _problems(broken, f"before its original {source.image_id} was taken")


def test_a_repost_of_a_repost_before_the_copy_it_was_made_from_is_found(broken: World) -> None:
    truths = {t.image_id: t for t in broken.key.images}
    shown = {i: p for p in broken.case.pages for i in p.images}
    child = next(t for t in broken.key.images if t.source in truths and truths[t.source].source
                 and t.image_id in shown and t.source in shown)
    shown[child.image_id].published = (consistency._t(shown[child.source].published)
                                       - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _problems(broken, f"reposted before its original {child.source} was posted")


def test_broken_references_are_found(broken: World) -> None:
    broken.case.pages[0].author = "acc-0000000000"
    broken.key.typologies[0].tx_ids.append("tx-0000000000")
    assert _problems(broken, "names author acc-0000000000")
    assert _problems(broken, "lists transaction tx-0000000000")


def test_a_comment_before_its_post_and_a_photo_taken_after_it_are_found(broken: World) -> None:
    comment = next(p for p in broken.case.pages if p.reply_to in broken.case.page_by_id)
    parent = broken.case.page_by_id[comment.reply_to]  # type: ignore[index]
    comment.published = "2000-01-01T00:00:00Z"
    assert _problems(broken, f"published before the page {parent.page_id}")
    shown = next(p for p in broken.case.pages if p.images)
    truth = next(t for t in broken.key.images if t.image_id == shown.images[0])
    broken.key.images[broken.key.images.index(truth)] = replace(truth, taken="2099-01-01T00:00:00Z", source=None)
    assert _problems(broken, "after the page showing it was published")


# ---------------------------------------------------------------- generation and the command line


def test_generation_refuses_an_inconsistent_world(monkeypatch: pytest.MonkeyPatch) -> None:
    real = pages._legit_binding

    def wrong_employer(g, org):  # type: ignore[no-untyped-def]
        employer, agency = real(g, org)
        other = next(o for o in g.key.orgs if o.name != employer.name and o.registration)
        return replace(employer, registration=other.registration), agency  # names one, quotes another's number

    monkeypatch.setattr(pages, "_legit_binding", wrong_employer)
    with pytest.raises(InconsistentWorldError, match="contradicts itself"):
        generate_world("MN", "scam-compound-recruitment", seed=4, size="tiny")


def test_validate_reports_inconsistencies_and_exits_1(world: World, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = write_checked(world, tmp_path / "w")
    assert main(["world", "validate", str(out)]) == 0
    assert "holds together" in capsys.readouterr().out
    path = out / "case" / "transactions.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows[0]["reference"] = "deposit for the trip"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert main(["world", "validate", str(out)]) == 1
    captured = capsys.readouterr()
    assert "gives its purpose away" in captured.out and "1 inconsistency" in captured.err


def test_validate_on_a_case_without_its_key_checks_identifiers_only(world: World, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = write_checked(world, tmp_path / "w")
    for file in (out / "key").iterdir():
        file.unlink()
    (out / "key").rmdir()
    assert main(["world", "validate", str(out)]) == 0
    assert "consistency was not checked" in capsys.readouterr().out


# ---------------------------------------------------------------- the sweep


def _check(job: tuple[str, str, int]) -> list[str]:
    country, sid, seed = job
    problems = consistency.violations(generate_world(country, sid, seed=seed, size="tiny"))
    return [f"{country} {sid} seed {seed}: {p}" for p in problems]


def sweep(seeds: range) -> tuple[int, list[str]]:
    jobs = [(c, s, seed) for seed in seeds for c in COUNTRIES for s in SCENARIOS]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        found = [p for problems in pool.imap_unordered(_check, jobs, chunksize=4) for p in problems]
    return len(jobs), found


def test_a_quick_sweep_finds_no_contradiction() -> None:
    worlds, problems = sweep(range(101, 103))
    assert worlds == 2 * len(COUNTRIES) * len(SCENARIOS)
    assert problems == []


@pytest.mark.slow
def test_a_thousand_worlds_hold_together() -> None:
    """Every country pack and scenario, 1,000+ tiny worlds (about 3 minutes on 2 cores)."""
    per_seed = len(COUNTRIES) * len(SCENARIOS)
    worlds, problems = sweep(range(1, 1 + -(-1000 // per_seed)))
    assert worlds >= 1000
    assert problems == [], "\n".join(problems[:20])
