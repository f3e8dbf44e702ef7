"""The classroom server end to end, in a real browser (Playwright driving Debian's chromium).

On loopback with a free port and a temporary hub folder: two cohorts are set up with the README's
commands and the hub is started with `osintlab hub start`. A trainer logs in straight to the
course's JupyterLab and releases W1 from its terminal; two officers (real local accounts) log in,
see the lab in their assignment list, fetch it, answer, run it and submit; one of them is also on
the other cohort's roster and sees both courses' labs. The trainer collects and autogrades from the
terminal, grades the written answers in the formgrader and releases feedback; an officer fetches
and reads the feedback. An officer cannot open the formgrader, another officer's server or files,
or the other cohort's course; a trainer cannot open the other cohort's formgrader; a stranger
cannot log in. The hub is stopped (no process of it left, no server recorded as running) and
started again: logins, submissions and grades are all still there; an officer who reloads the lab
left open gets a new server by itself, and another officer's new login starts a new server.
Screenshots go to test-artifacts/hub-*.png; the time of each step is printed.

The officers' steps are interleaved (both log in while the trainer releases; both notebooks open
before either is answered), as in a classroom, so the servers and kernels start side by side.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
import pytest

from hub import shutdown
from hub.layout import HubPaths
from labs import catalogue
from tests.hub.hubkit import (
    ARTIFACTS,
    BROWSER_ARGS,
    CHROMIUM,
    OSINTLAB,
    Hub,
    osintlab,
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
SPAWN_MS = 300_000  # a loaded 2-core machine starts a server slowly
LOAD_MS = 120_000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by scripts/setup.sh"),
]


class Steps:
    """A stopwatch over the test's steps, printed at the end (where the time goes)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.monotonic() - started

    def table(self) -> str:
        total = sum(self.seconds.values())
        return "\n".join([*(f"  {name:<34} {s:6.1f} s" for name, s in self.seconds.items()),
                          f"  {'total':<34} {total:6.1f} s"])


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"hub-{name}.png"))


class Site:
    """The browser: one context (its own cookies) per person."""

    def __init__(self, browser: Any, hub: Hub) -> None:
        self.browser, self.hub = browser, hub

    def person(self) -> Any:
        return self.browser.new_context(ignore_https_errors=True, viewport={"width": 1300, "height": 850}).new_page()

    def send_login(self, page: Any, user: str, password: str, next_path: str = "") -> None:
        """Fill in and send the login form; the server starts (or the next page loads) in the background."""
        page.goto(f"{self.hub.base}/hub/login" + (f"?next={next_path}" if next_path else ""))
        page.fill("#username_input", user)
        page.fill("#password_input", password)
        page.click("#login_submit", no_wait_after=True)

    def lab(self, page: Any, user: str) -> None:
        """JupyterLab of `user` once the server is up, with a fresh workspace (no tabs from an earlier visit)."""
        page.wait_for_url(f"**/user/{user}/lab**", timeout=SPAWN_MS)
        page.goto(f"{self.hub.base}/user/{user}/lab?reset")
        page.wait_for_selector(".jp-LauncherCard", timeout=LOAD_MS)

    def assignments(self, page: Any, course: str) -> Any:
        """Nbgrader > Assignment List in the open JupyterLab, showing `course`."""
        from playwright.sync_api import expect

        tab = page.locator(".lm-TabBar-tab", has_text="Assignments")
        if tab.count():
            tab.click()
            page.locator("#refresh_assignments_list").click()
        else:
            page.get_by_role("menuitem", name="Nbgrader").click()
            page.get_by_role("menuitem", name="Assignment List").click()
        page.locator("#released_assignments_list_loading").wait_for(state="hidden", timeout=60_000)
        shown = page.locator("#course_list_default")
        expect(shown).not_to_have_text("Loading, please wait...", timeout=60_000)
        if shown.inner_text().strip() != course:
            page.locator("#course_list_dropdown").click()
            page.locator("#course_list a", has_text=course).click()
            expect(shown).to_have_text(course, timeout=30_000)
            page.locator("#released_assignments_list_loading").wait_for(state="hidden", timeout=60_000)
        return page


class Terminal:
    """The trainer's command line: a terminal of the course's JupyterLab, kept open between commands."""

    def __init__(self, site: Site, page: Any, course: str, account: str) -> None:
        self.site, self.page, self.account = site, page, account
        page.wait_for_url(f"**/services/{course}/lab**", timeout=LOAD_MS)
        page.wait_for_selector(".jp-LauncherCard", timeout=LOAD_MS)
        page.locator(".jp-LauncherCard", has_text="Terminal").click()
        page.locator(".jp-Terminal").first.wait_for(timeout=60_000)
        time.sleep(1.5)  # the terminal's websocket connects after it is drawn
        page.locator(".jp-Terminal").first.click()

    def run(self, command: str, name: str) -> str:
        """Type `command`; returns what it printed (tee'd to a file in the course account's home)."""
        home = self.site.hub.root / "home" / self.account
        out, rc = home / f"{name}.out", home / f"{name}.rc"
        for leftover in (out, rc):
            leftover.unlink(missing_ok=True)
        self.page.keyboard.type(f"({command}) 2>&1 | tee ~/{name}.out; echo ${{PIPESTATUS[0]}} > ~/{name}.rc\n")
        deadline = time.monotonic() + 300
        while not (rc.is_file() and rc.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.5)
        shot(self.page, f"trainer-terminal-{name}")
        printed = out.read_text() if out.is_file() else ""
        assert rc.is_file() and rc.read_text().strip() == "0", f"{command} failed:\n{printed}"
        return printed


def _variant(course: Path, trainee: str) -> Any:
    """The lab as the trainer's course made it for this officer (the officer's own case and key)."""
    from labs.runtime import Lab

    variant = course / ".osintlab" / "variants" / LAB / trainee
    return Lab(catalogue.get(LAB), variant / "case", variant / "key")


def answer_for(course: Path, trainee: str, *, right: bool) -> str:
    """The officer's answer: right for their own case, or a careless one (every action passive)."""
    answer = _variant(course, trainee).reference_answer("actions")  # action -> decision id
    if not right:
        answer = dict.fromkeys(answer, "passive")
    return f"answer = {answer!r}"


def fetch(site: Site, page: Any, user: str, course: str, other_course: str | None) -> None:
    """The officer sees W1 in the assignment list (and, if on two rosters, the other course's lab too) and
    fetches the lab."""
    from playwright.sync_api import expect

    released = page.locator("#released_assignments_list > .list_item")
    if other_course:
        site.assignments(page, other_course)
        expect(released.filter(has_text=other_course)).to_have_count(1, timeout=60_000)
        shot(page, f"officer-{user[-1]}-other-course")
    site.assignments(page, course)
    expect(released.filter(has_text=LAB)).to_have_count(1, timeout=60_000)
    expect(released).to_have_count(len(W1))
    shot(page, f"officer-{user[-1]}-assignment-list")
    released.filter(has_text=LAB).get_by_role("button", name="Fetch").click()
    expect(page.locator("#fetched_assignments_list > .list_item", has_text=LAB)).to_have_count(1, timeout=60_000)


def open_notebook(page: Any) -> None:
    """Open the fetched lab from the assignment list (its kernel starts)."""
    fetched = page.locator("#fetched_assignments_list")
    fetched.locator("a.assignment-notebooks-link", has_text=LAB).click()
    fetched.locator(".nested_list_item a", has_text=LAB).click()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=LOAD_MS)


def answer_and_submit(site: Site, page: Any, user: str, course: str, answer: str) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=LOAD_MS)
    page.locator(".jp-CodeCell", has_text="NotImplementedError").first.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(answer)
    written = page.locator(".jp-MarkdownCell", has_text="YOUR ANSWER HERE").first
    written.dblclick()
    written.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(WRITTEN)
    page.keyboard.press("Escape")
    # Under load a run request sent before the kernel's session answers is dropped, so try again if nothing
    # ran. The last cells' output shows it ran (JupyterLab draws only the cells near the view).
    for attempt in range(4):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            expect(page.get_by_text("your answer has the right form")).to_be_visible(timeout=60_000)
            break
        except AssertionError:
            if attempt == 3:
                raise
    page.keyboard.press("Control+S")
    expect(page.get_by_text("Saving completed")).to_be_visible(timeout=30_000)
    shot(page, f"officer-{user[-1]}-answered")
    # The saved notebook: the officer's own case, read from the exchange by the officer's kernel, and no error.
    saved = nbformat.read(site.hub.root / "home" / user / course / LAB / f"{LAB}.ipynb", as_version=4)
    outputs = [out for cell in saved.cells if cell.cell_type == "code" for out in cell.outputs]
    brief = _variant(site.hub.courses[course], user).exercise["brief"]
    shown = [out.get("text", "") + out.get("data", {}).get("text/plain", "") for out in outputs]
    assert any(brief in text for text in shown), "the lab did not show the officer's own case"
    errors = [out for out in outputs if out.output_type == "error" or out.get("name") == "stderr"]
    assert not errors, errors

    site.assignments(page, course)
    page.locator("#fetched_assignments_list > .list_item", has_text=LAB).get_by_role("button", name="Submit").click()
    expect(page.locator("#submitted_assignments_list > .list_item", has_text=LAB)).to_have_count(1, timeout=60_000)
    shot(page, f"officer-{user[-1]}-submitted")


def grade_written_answers(site: Site, page: Any, course: str, points: str) -> None:
    """The trainer grades each submission's written answer in the formgrader (in its own tab); each grade
    counts once the formgrader has saved it (its PUT answered)."""
    from playwright.sync_api import expect

    gradebook = f"{site.hub.base}/services/{course}/formgrader/gradebook/{LAB}/{LAB}"
    page.goto(gradebook)
    links = page.locator("table a", has_text="Submission #")
    expect(links.first).to_be_visible(timeout=60_000)
    for n in range(links.count()):
        page.goto(gradebook)
        page.locator("table a", has_text="Submission #").nth(n).click()
        box = page.locator("input#justification")
        expect(box).to_have_class(re.compile(r"\bneeds_manual_grade\b"), timeout=60_000)  # its grade has loaded
        expect(page.get_by_text(WRITTEN[:40])).to_be_visible()
        box.fill(points)
        with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT",
                                  timeout=60_000) as saved:
            box.press("Tab")
        assert saved.value.ok, f"the formgrader did not save the grade ({saved.value.status})"
        expect(page.locator("input.needs_manual_grade")).to_have_count(0, timeout=30_000)
        if n == 0:
            box.scroll_into_view_if_needed()
            shot(page, "trainer-formgrader-manual-grading")


def scores(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {s.student.id: float(s.score) for s in gradebook.assignment_submissions(LAB)}


def pending_manual_grading(course: Path) -> list[str]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return [s.student.id for s in gradebook.assignment_submissions(LAB) if s.needs_manual_grade]


def forbidden(page: Any, url: str) -> bool:
    response = page.goto(url)
    return response is not None and response.status in (403, 404)


def feedback_file(hub: Hub, officer: str, course: str, seconds: float = 60) -> Path | None:
    folder = hub.root / "home" / officer / course / LAB / "feedback"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = next(iter(folder.rglob("*.html")), None)
        if found:
            return found
        time.sleep(0.5)
    return None


@pytest.fixture(scope="module")
def classroom() -> Iterator[tuple[Hub, dict[str, Any], Steps]]:
    steps = Steps()
    tag = unique("h")
    people = {"course_a": f"{tag}-mn", "course_b": f"{tag}-bd", "officers_a": [f"{tag}-o1", f"{tag}-o2"],
              "officer_b": f"{tag}-o3", "trainer_a": f"{tag}-ta", "trainer_b": f"{tag}-tb"}
    with temporary_hub() as hub:
        with steps("set-up of two cohorts"):
            setup_course(hub, people["course_a"], people["officers_a"], people["trainer_a"])
            # o2 is on both rosters: an officer in two courses
            setup_course(hub, people["course_b"], [people["officer_b"], people["officers_a"][1]], people["trainer_b"],
                         country="BD")
        with steps("hub start"):
            out = osintlab("hub", "start", str(hub.root)).stdout  # the README's command
        assert "The hub is running" in out
        try:
            yield hub, people, steps
        finally:
            with steps("hub stop at the end"):
                osintlab("hub", "stop", str(hub.root), check=False)
            print(f"\nhub e2e, time per step:\n{steps.table()}")


def test_two_cohorts_in_a_real_browser(classroom: tuple[Hub, dict[str, Any], Steps]) -> None:
    from playwright.sync_api import expect, sync_playwright

    hub, who, steps = classroom
    course_a, course_b = who["course_a"], who["course_b"]
    o1, o2 = who["officers_a"]
    trainer, grader = who["trainer_a"], f"grader-{course_a}"
    login = passwords(hub.root)
    assert set(login) == {o1, o2, who["officer_b"], trainer, who["trainer_b"]}
    with sync_playwright() as p:
        site = Site(p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS), hub)
        try:
            with steps("stranger and wrong password"):
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

            with steps("trainer releases W1; officers log in"), tempfile.TemporaryFile(mode="w+") as printed:
                # The trainer goes straight to the course's JupyterLab (no server of their own); the officers
                # log in meanwhile, and the other cohort's trainer releases the lab on the command line.
                tpage = site.person()
                site.send_login(tpage, trainer, login[trainer], f"/services/{course_a}/lab")
                pages = {officer: site.person() for officer in (o1, o2)}
                for officer, page in pages.items():
                    site.send_login(page, officer, login[officer])
                other = subprocess.Popen(["runuser", "-u", f"grader-{course_b}", "--", OSINTLAB, "cohort", "release",
                                          ".", LAB], cwd=hub.courses[course_b], stdout=printed,
                                         stderr=subprocess.STDOUT, text=True)
                terminal = Terminal(site, tpage, course_a, grader)
                terminal.run("osintlab cohort release . W1", "release")
                outbound = hub.root / "exchange" / course_a / "outbound"
                assert sorted(p.name for p in outbound.iterdir()) == W1
                if other.wait(timeout=300) != 0:
                    printed.seek(0)
                    raise AssertionError(f"the release of {course_b} failed:\n{printed.read()}")

            # Two officers fetch, answer (one right, one careless), run and submit.
            with steps("officers fetch and open the lab"):
                for officer in (o1, o2):
                    site.lab(pages[officer], officer)
                    fetch(site, pages[officer], officer, course_a, course_b if officer == o2 else None)
                    open_notebook(pages[officer])
            with steps("officers answer and submit"):
                for officer, right in [(o1, True), (o2, False)]:
                    answer = answer_for(hub.courses[course_a], officer, right=right)
                    answer_and_submit(site, pages[officer], officer, course_a, answer)

            with steps("trainer collects and autogrades"):
                terminal.run(f"osintlab cohort collect . {LAB} && osintlab cohort autograde . {LAB} --workers 2",
                             "grade")
                graded = scores(hub.courses[course_a])
                assert graded[o1] == pytest.approx(6.0) and graded[o2] < 6.0, graded
            with steps("trainer grades written answers"):
                formgrader = tpage.context.new_page()
                grade_written_answers(site, formgrader, course_a, "3")
                assert scores(hub.courses[course_a]) == pytest.approx({o1: 9.0, o2: graded[o2] + 3.0})
                assert not pending_manual_grading(hub.courses[course_a])
            with steps("trainer releases feedback"):
                out = terminal.run(f"osintlab cohort feedback . {LAB}", "feedback")
                assert "released to 2 trainees" in out, out

            with steps("officer reads feedback"):
                page = pages[o1]
                site.assignments(page, course_a)
                submitted = page.locator("#submitted_assignments_list > .list_item", has_text=LAB)
                submitted.get_by_role("button", name="Fetch Feedback").click()
                found = feedback_file(hub, o1, course_a)
                assert found is not None, "the feedback never reached the officer's folder"
                page.goto(f"{hub.base}/user/{o1}/files/{found.relative_to(hub.root / 'home' / o1)}")
                expect(page.get_by_text("9.0 / 10.0").first).to_be_visible(timeout=60_000)
                shot(page, "officer-1-feedback")

            with steps("what must stay out of reach"):
                assert forbidden(page, f"{hub.base}/services/{course_a}/formgrader"), "an officer opened the formgrader"
                shot(page, "officer-formgrader-refused")
                assert forbidden(page, f"{hub.base}/user/{o1}/formgrader"), "an officer's own server has a formgrader"
                assert forbidden(page, f"{hub.base}/services/{course_b}/lab"), "an officer opened another course"
                assert forbidden(page, f"{hub.base}/user/{o2}/lab"), "an officer reached another officer's server"
                shot(page, "officer-other-server-refused")
                assert forbidden(formgrader, f"{hub.base}/services/{course_b}/formgrader"), \
                    "a trainer opened the other cohort's formgrader"
                # The trainer's admin page lists the trainer's own officers only.
                formgrader.goto(f"{hub.base}/hub/admin")
                expect(formgrader.get_by_test_id(f"user-name-div-{o1}")).to_be_visible(timeout=60_000)
                expect(formgrader.get_by_test_id(f"user-name-div-{who['officer_b']}")).to_have_count(0)
                shot(formgrader, "trainer-admin-page")
                anonymous = site.person()
                assert forbidden(anonymous, f"{hub.base}/user/{o1}/api/contents") or "/hub/login" in anonymous.url
                cookies = pages[o1].context.storage_state()  # o1's browser, to come back after the restart
        except Exception:
            for n, ctx in enumerate(site.browser.contexts):
                for m, pg in enumerate(ctx.pages):
                    pg.screenshot(path=str(ARTIFACTS / f"hub-failure-{n}-{m}.png"))
            raise
        finally:
            site.browser.close()

    # Files: another officer's home, the other cohort's exchange, the other course through nbgrader.
    home_o2 = hub.root / "home" / o2
    assert run_as(o1, "ls", str(home_o2)).returncode != 0
    assert run_as(o1, "cat", str(home_o2 / course_a / LAB / f"{LAB}.ipynb")).returncode != 0
    assert run_as(o1, "ls", str(hub.root / "exchange" / course_b)).returncode != 0
    assert run_as(o1, "ls", str(hub.courses[course_a] / "submitted")).returncode != 0
    assert run_as(who["officer_b"], "ls", str(hub.root / "exchange" / course_a / "outbound")).returncode != 0

    restart(hub, course_a, (o1, cookies), (o2, login[o2]), steps)


def restart(hub: Hub, course: str, back: tuple[str, Any], again: tuple[str, str], steps: Steps) -> None:
    """Stop and start the hub: nothing of it keeps running and nothing is lost. The officer `back` reloads
    the lab in the browser used before the restart (still logged in: a new server starts by itself); the
    officer `again` logs in anew and is sent to start a new server (to /user/<name>/ would be an old server
    the hub wrongly thinks still runs: the login would hang there)."""
    from playwright.sync_api import expect, sync_playwright

    paths = HubPaths.of(hub.root)
    before = scores(hub.courses[course])
    with steps("hub stop"):
        out = osintlab("hub", "stop", str(hub.root)).stdout
    assert "no process of the hub is left" in out, out
    assert shutdown.hub_processes(paths) == []
    assert shutdown.recorded_servers(f"sqlite:///{paths.sqlite}") == []
    assert osintlab("hub", "status", str(hub.root), check=False).returncode == 3
    with steps("hub start again"):
        osintlab("hub", "start", str(hub.root))
    assert scores(hub.courses[course]) == before
    (officer, cookies), (other, password) = back, again
    with steps("officers come back after the restart"), sync_playwright() as p:
        site = Site(p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS), hub)
        try:
            page = site.browser.new_context(ignore_https_errors=True, viewport={"width": 1300, "height": 850},
                                            storage_state=cookies).new_page()
            page.goto(f"{hub.base}/user/{officer}/lab")  # the reload of a tab left open
            site.lab(page, officer)
            fresh = site.person()
            with fresh.expect_response(lambda r: "/hub/login" in r.url and r.request.method == "POST",
                                       timeout=60_000) as answer:
                site.send_login(fresh, other, password)
            assert "/hub/spawn" in (answer.value.headers.get("location") or ""), answer.value.headers
            site.lab(fresh, other)
            for who, shown in [(officer, page), (other, fresh)]:
                site.assignments(shown, course)
                expect(shown.locator("#submitted_assignments_list > .list_item", has_text=LAB)).to_have_count(
                    1, timeout=60_000)
                shot(shown, f"officer-{who[-1]}-after-restart")
        except Exception:
            for n, ctx in enumerate(site.browser.contexts):
                for m, pg in enumerate(ctx.pages):
                    pg.screenshot(path=str(ARTIFACTS / f"hub-failure-restart-{n}-{m}.png"))
            raise
        finally:
            site.browser.close()
    assert (hub.root / "home" / officer / course / LAB / f"{LAB}.ipynb").is_file()
    status = osintlab("hub", "status", str(hub.root)).stdout
    assert f"course {course}" in status and "2 with a server running" in status, status
