"""The classroom server end to end, in a real browser (Playwright driving Debian's chromium).

On loopback with a free port and a temporary hub folder: two cohorts are set up with the README's
commands and the hub is started with `osintlab hub start`. A trainer logs in and releases W1 from
the terminal of the course's JupyterLab; two officers (real local accounts) log in, see the lab in
their assignment list, fetch it, answer, run it and submit; the trainer collects and autogrades
from the terminal, grades the written answers in the formgrader and releases feedback; an officer
fetches and reads the feedback. An officer cannot open the formgrader, another officer's server
or files, or the other cohort's course; a trainer cannot open the other cohort's formgrader; a
stranger cannot log in. The hub is stopped and started again: logins, submissions and grades are
all still there. Screenshots go to test-artifacts/hub-*.png.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labs import catalogue
from tests.hub.hubkit import (
    ARTIFACTS,
    BROWSER_ARGS,
    CHROMIUM,
    Hub,
    osintlab,
    others_can_run_python,
    passwords,
    run_as,
    setup_course,
    temporary_hub,
    unique,
)

LAB = "w1-01-passive-active"
W1 = sorted(spec.id for spec in catalogue.discover() if int(spec.data["workshop"]) == 1)
WRITTEN = ("A4 is active: the recruiter would see our message. It needs a written approval first. "
           "A safer step is to read and capture the public ad only.")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by scripts/setup.sh"),
    pytest.mark.skipif(os.geteuid() != 0, reason="the hub makes real local accounts: run as root"),
]


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"hub-{name}.png"))


class Site:
    """The browser: one context (its own cookies) per person."""

    def __init__(self, browser: Any, hub: Hub) -> None:
        self.browser, self.hub = browser, hub

    def person(self) -> Any:
        return self.browser.new_context(ignore_https_errors=True, viewport={"width": 1300, "height": 850}).new_page()

    def login(self, page: Any, user: str, password: str) -> None:
        page.goto(f"{self.hub.base}/hub/login")
        page.fill("#username_input", user)
        page.fill("#password_input", password)
        page.click("#login_submit")
        page.wait_for_url("**/user/**/lab**", timeout=300_000)  # a loaded 2-core machine spawns slowly

    def lab(self, page: Any, user: str, path: str = "") -> None:
        """JupyterLab of `user`, with a fresh workspace (no tabs left from an earlier visit)."""
        page.goto(f"{self.hub.base}/user/{user}/lab{'/tree/' + path if path else ''}?reset")
        page.wait_for_selector(".jp-Notebook .jp-Cell" if path else ".jp-LauncherCard", timeout=120_000)

    def assignments(self, page: Any, user: str) -> Any:
        self.lab(page, user)
        page.get_by_role("menuitem", name="Nbgrader").click()
        page.get_by_role("menuitem", name="Assignment List").click()
        page.locator("#released_assignments_list_loading").wait_for(state="hidden", timeout=60_000)
        return page

    def terminal(self, page: Any, course: str, account: str, command: str, name: str) -> str:
        """Type `command` in a terminal of the course's JupyterLab (the trainer's command line);
        returns what it printed (tee'd to a file in the course account's home)."""
        page.goto(f"{self.hub.base}/services/{course}/lab?reset")
        page.wait_for_selector(".jp-LauncherCard", timeout=120_000)
        page.locator(".jp-LauncherCard", has_text="Terminal").click()
        page.locator(".jp-Terminal").first.wait_for(timeout=60_000)
        time.sleep(1.5)
        page.locator(".jp-Terminal").first.click()
        home = self.hub.root / "home" / account
        for leftover in (home / f"{name}.out", home / f"{name}.rc"):
            leftover.unlink(missing_ok=True)
        page.keyboard.type(f"({command}) 2>&1 | tee ~/{name}.out; echo ${{PIPESTATUS[0]}} > ~/{name}.rc\n")
        rc = home / f"{name}.rc"
        deadline = time.monotonic() + 300
        while not (rc.is_file() and rc.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(1)
        shot(page, f"trainer-terminal-{name}")
        out = (home / f"{name}.out").read_text() if (home / f"{name}.out").is_file() else ""
        assert rc.is_file() and rc.read_text().strip() == "0", f"{command} failed:\n{out}"
        return out


def answer_for(course: Path, trainee: str, *, right: bool) -> str:
    """The officer's answer: right for their own case, or a careless one (every action passive)."""
    from labs import catalogue
    from labs.runtime import Lab

    variant = course / ".osintlab" / "variants" / LAB / trainee
    answer = Lab(catalogue.get(LAB), variant / "case", variant / "key").reference_answer("actions")
    if not right:
        answer = {k: {**v, "mode": "passive", "authorisation": "not needed"} for k, v in answer.items()}
    return f"answer = {answer!r}"


def work_and_submit(site: Site, page: Any, user: str, course: str, answer: str) -> None:
    from playwright.sync_api import expect

    site.assignments(page, user)
    released = page.locator("#released_assignments_list > .list_item", has_text=LAB)
    expect(released).to_have_count(1, timeout=60_000)
    expect(page.locator("#released_assignments_list > .list_item")).to_have_count(len(W1))
    shot(page, f"officer-{user[-1]}-assignment-list")
    released.get_by_role("button", name="Fetch").click()
    expect(page.locator("#fetched_assignments_list > .list_item", has_text=LAB)).to_have_count(1, timeout=60_000)

    site.lab(page, user, f"{course}/{LAB}/{LAB}.ipynb")
    expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=120_000)
    page.locator(".jp-CodeCell", has_text="NotImplementedError").first.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(answer)
    written = page.locator(".jp-MarkdownCell", has_text="YOUR ANSWER HERE").first
    written.dblclick()
    written.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(WRITTEN)
    page.keyboard.press("Escape")
    # The officer's own case, read from the exchange by the officer's kernel. Under load a run request
    # sent before the kernel's session answers is dropped, so try again if nothing ran.
    for attempt in range(4):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            expect(page.get_by_text("CASE BRIEF")).to_be_visible(timeout=60_000)
            break
        except AssertionError:
            if attempt == 3:
                raise
    expect(page.get_by_text("your answer has the right form")).to_be_visible(timeout=60_000)
    page.keyboard.press("Control+S")
    expect(page.get_by_text("Saving completed")).to_be_visible(timeout=30_000)
    shot(page, f"officer-{user[-1]}-answered")
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.all_inner_texts()

    site.assignments(page, user)
    page.locator("#fetched_assignments_list > .list_item", has_text=LAB).get_by_role("button", name="Submit").click()
    expect(page.locator("#submitted_assignments_list > .list_item", has_text=LAB)).to_have_count(1, timeout=60_000)
    shot(page, f"officer-{user[-1]}-submitted")


def grade_written_answer(site: Site, page: Any, course: str, points: str) -> None:
    """The trainer grades each submission's written answer in the formgrader (in its own tab)."""
    from playwright.sync_api import expect

    page.goto(f"{site.hub.base}/services/{course}/formgrader/gradebook/{LAB}/{LAB}")
    links = page.locator("table a", has_text="Submission #")
    expect(links.first).to_be_visible(timeout=60_000)
    count = links.count()
    for n in range(count):
        page.goto(f"{site.hub.base}/services/{course}/formgrader/gradebook/{LAB}/{LAB}")
        page.locator("table a", has_text="Submission #").nth(n).click()
        box = page.locator("input#justification")
        box.wait_for(timeout=60_000)
        expect(page.get_by_text(WRITTEN[:40])).to_be_visible()
        box.fill(points)
        box.press("Tab")
        expect(page.locator("input.needs_manual_grade")).to_have_count(0, timeout=30_000)
        expect(box).to_have_value(points)
        time.sleep(1)  # the formgrader saves on change
        if n == 0:
            box.scroll_into_view_if_needed()
            shot(page, "trainer-formgrader-manual-grading")


def scores(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    db = course / "gradebook.db"
    with Gradebook(f"sqlite:///{db}") as gradebook:
        return {s.student.id: float(s.score) for s in gradebook.assignment_submissions(LAB)}


def pending_manual_grading(course: Path) -> list[str]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return [s.student.id for s in gradebook.assignment_submissions(LAB) if s.needs_manual_grade]


def forbidden(page: Any, url: str) -> bool:
    response = page.goto(url)
    return response is not None and response.status in (403, 404)


@pytest.fixture(scope="module")
def classroom() -> Iterator[tuple[Hub, dict[str, Any]]]:
    if not others_can_run_python():
        pytest.fail("other accounts cannot run this venv's Python: make the venv as root with scripts/setup.sh "
                    "(it uses /usr/bin/python3 then), in a folder every account can enter")
    tag = unique("h")
    people = {"course_a": f"{tag}-mn", "course_b": f"{tag}-bd", "officers_a": [f"{tag}-o1", f"{tag}-o2"],
              "officer_b": f"{tag}-o3", "trainer_a": f"{tag}-ta", "trainer_b": f"{tag}-tb"}
    with temporary_hub() as hub:
        started = time.monotonic()
        setup_course(hub, people["course_a"], people["officers_a"], people["trainer_a"])
        setup_course(hub, people["course_b"], [people["officer_b"]], people["trainer_b"], country="BD")
        out = osintlab("hub", "start", str(hub.root)).stdout  # the README's command
        assert "The hub is running" in out
        people["setup_seconds"] = time.monotonic() - started
        yield hub, people


def test_two_cohorts_in_a_real_browser(classroom: tuple[Hub, dict[str, Any]]) -> None:
    from playwright.sync_api import expect, sync_playwright

    hub, who = classroom
    course_a, course_b = who["course_a"], who["course_b"]
    o1, o2 = who["officers_a"]
    trainer, grader = who["trainer_a"], f"grader-{course_a}"
    login = passwords(hub.root)
    assert set(login) == {o1, o2, who["officer_b"], trainer, who["trainer_b"]}
    started = time.monotonic()
    with sync_playwright() as p:
        site = Site(p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS), hub)
        try:
            # A stranger, and an officer with a wrong password, stay on the login page.
            stranger = site.person()
            stranger.goto(f"{hub.base}/hub/login")
            shot(stranger, "login-page")
            for user, password in [("mallory", "guess-1234"), (o1, "wrong-password")]:
                stranger.fill("#username_input", user)
                stranger.fill("#password_input", password)
                stranger.click("#login_submit")
                expect(stranger.get_by_text("Invalid username or password")).to_be_visible(timeout=30_000)
                assert "/hub/login" in stranger.url
            shot(stranger, "stranger-refused")

            # The trainer releases W1 from the command line of the course's JupyterLab.
            tpage = site.person()
            site.login(tpage, trainer, login[trainer])
            site.terminal(tpage, course_a, grader, "osintlab cohort release . W1", "release")
            outbound = hub.root / "exchange" / course_a / "outbound"
            assert sorted(p.name for p in outbound.iterdir()) == W1

            # Two officers fetch, answer (one right, one careless), run and submit.
            pages = {}
            for officer, right in [(o1, True), (o2, False)]:
                pages[officer] = site.person()
                site.login(pages[officer], officer, login[officer])
                answer = answer_for(hub.courses[course_a], officer, right=right)
                work_and_submit(site, pages[officer], officer, course_a, answer)

            # The trainer collects and autogrades, grades the written answers, releases feedback.
            site.terminal(tpage, course_a, grader, f"osintlab cohort collect . {LAB} && "
                          f"osintlab cohort autograde . {LAB} --workers 2", "grade")
            graded = scores(hub.courses[course_a])
            assert graded[o1] == pytest.approx(6.0) and graded[o2] < 6.0, graded
            grade_written_answer(site, tpage, course_a, "3")
            assert scores(hub.courses[course_a]) == pytest.approx({o1: 9.0, o2: graded[o2] + 3.0})
            assert not pending_manual_grading(hub.courses[course_a])
            out = site.terminal(tpage, course_a, grader, f"osintlab cohort feedback . {LAB}", "feedback")
            assert "released to 2 trainees" in out, out

            # An officer fetches and reads the feedback.
            page = pages[o1]
            site.assignments(page, o1)
            submitted = page.locator("#submitted_assignments_list > .list_item", has_text=LAB)
            submitted.get_by_role("button", name="Fetch Feedback").click()
            feedback_file = next(iter((hub.root / "home" / o1 / course_a / LAB / "feedback").rglob("*.html")), None)
            deadline = time.monotonic() + 60
            while feedback_file is None and time.monotonic() < deadline:
                time.sleep(1)
                feedback_file = next(iter((hub.root / "home" / o1 / course_a / LAB / "feedback").rglob("*.html")),
                                     None)
            assert feedback_file is not None, "the feedback never reached the officer's folder"
            relative = feedback_file.relative_to(hub.root / "home" / o1)
            page.goto(f"{hub.base}/user/{o1}/files/{relative}")
            expect(page.get_by_text("9.0 / 10.0").first).to_be_visible(timeout=60_000)
            shot(page, "officer-1-feedback")

            # What officers, trainers and strangers must not reach.
            assert forbidden(page, f"{hub.base}/services/{course_a}/formgrader"), "an officer opened the formgrader"
            shot(page, "officer-formgrader-refused")
            assert forbidden(page, f"{hub.base}/user/{o1}/formgrader"), "an officer's own server has a formgrader"
            assert forbidden(page, f"{hub.base}/services/{course_b}/lab"), "an officer opened another course"
            assert forbidden(page, f"{hub.base}/user/{o2}/lab"), "an officer reached another officer's server"
            shot(page, "officer-other-server-refused")
            site.assignments(page, o1)
            expect(page.get_by_text(course_b)).to_have_count(0)
            assert forbidden(tpage, f"{hub.base}/services/{course_b}/formgrader"), \
                "a trainer opened the other cohort's formgrader"
            # The trainer's admin page lists the trainer's own officers only.
            tpage.goto(f"{hub.base}/hub/admin")
            expect(tpage.get_by_test_id(f"user-name-div-{o1}")).to_be_visible(timeout=60_000)
            expect(tpage.get_by_test_id(f"user-name-div-{who['officer_b']}")).to_have_count(0)
            shot(tpage, "trainer-admin-page")
            anonymous = site.person()
            assert forbidden(anonymous, f"{hub.base}/user/{o1}/api/contents") or "/hub/login" in anonymous.url
        except Exception:
            for n, ctx in enumerate(site.browser.contexts):
                for m, pg in enumerate(ctx.pages):
                    pg.screenshot(path=str(ARTIFACTS / f"hub-failure-{n}-{m}.png"))
            raise
        finally:
            site.browser.close()
    browser_seconds = time.monotonic() - started

    # Files: another officer's home, the other cohort's exchange, the other course through nbgrader.
    home_o2 = hub.root / "home" / o2
    assert run_as(o1, "ls", str(home_o2)).returncode != 0
    assert run_as(o1, "cat", str(home_o2 / course_a / LAB / f"{LAB}.ipynb")).returncode != 0
    assert run_as(o1, "ls", str(hub.root / "exchange" / course_b)).returncode != 0
    assert run_as(o1, "ls", str(hub.courses[course_a] / "submitted")).returncode != 0
    assert run_as(who["officer_b"], "ls", str(hub.root / "exchange" / course_a / "outbound")).returncode != 0

    # Restart: nothing lost (logins, submissions, grades, the officer's work).
    before = scores(hub.courses[course_a])
    osintlab("hub", "stop", str(hub.root))
    assert osintlab("hub", "status", str(hub.root), check=False).returncode == 3
    osintlab("hub", "start", str(hub.root))
    assert scores(hub.courses[course_a]) == before
    with sync_playwright() as p:
        site = Site(p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS), hub)
        try:
            page = site.person()
            site.login(page, o1, login[o1])
            site.assignments(page, o1)
            expect(page.locator("#submitted_assignments_list > .list_item", has_text=LAB)).to_have_count(1,
                                                                                                      timeout=60_000)
            shot(page, "officer-1-after-restart")
        finally:
            site.browser.close()
    assert (hub.root / "home" / o1 / course_a / LAB / f"{LAB}.ipynb").is_file()
    status = osintlab("hub", "status", str(hub.root)).stdout
    assert f"course {course_a}" in status and "1 with a server running" in status
    print(f"\nhub e2e: set-up and start {who['setup_seconds']:.0f} s, browser steps {browser_seconds:.0f} s")
