"""`osintlab hub ...` speaks its courses' language: status, errors and the officers' password slips.

No accounts are made: the hub folder and its courses are plain files in tmp_path, and the root
check is told this process is root (status and these errors only read files).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from hub import passwords, settings
from hub.layout import HubPaths
from hub.settings import Settings
from osintlab.cli import main
from osintlab.i18n import ENV_LANG, speaking


def _roster(path: Path, officers: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["trainee_id", "name", "agency", "email"])
        writer.writerows([name, f"Officer {name}", "Police", ""] for name in officers)
    return path


def _hub(tmp_path: Path, languages: list[str]) -> Path:
    """A hub folder (hub.yml) with one course per language, on the hub's exchange; no accounts."""
    from grader.cohort import init_course

    paths = HubPaths.of(tmp_path / "hub")
    paths.root.mkdir()
    hub = Settings(hostnames=["classroom.local", "localhost"])
    for n, lang in enumerate(languages):
        course = init_course(paths.courses / f"{lang}-c{n}", "MN", _roster(tmp_path / f"r{n}.csv", ["bold", "saraa"]),
                             exchange=paths.exchange, lang=lang)
        hub = hub.with_course(course, ["tsetseg"])
    settings.save(paths, hub)
    return paths.root


@pytest.fixture
def as_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hub.accounts.os.geteuid", lambda: 0)
    monkeypatch.delenv(ENV_LANG, raising=False)


@pytest.mark.usefixtures("as_root")
def test_status_speaks_the_language_of_the_hubs_courses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hub = _hub(tmp_path, ["mn"])
    assert main(["hub", "status", str(hub)]) == 3
    out = capsys.readouterr().out
    assert f"{hub} дахь hub ажиллахгүй БАЙНА" in out, out
    assert "2 ажилтан, 0 нь сервертэй ажиллаж байна; сургагч багш tsetseg" in out, out
    assert "NOT running" not in out


@pytest.mark.usefixtures("as_root")
def test_osintlab_lang_wins_and_courses_in_two_languages_speak_english(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    hub = _hub(tmp_path, ["mn", "bn"])
    assert main(["hub", "status", str(hub)]) == 3
    assert "is NOT running" in capsys.readouterr().out
    monkeypatch.setenv(ENV_LANG, "bn")
    assert main(["hub", "status", str(hub)]) == 3
    out = capsys.readouterr().out
    assert f"{hub}-এর হাব চলছে না" in out and "2 জন কর্মকর্তা" in out, out


@pytest.fixture
def no_accounts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Setup must stop at its error: if it ever went on, it would make real accounts on this machine."""
    def refuse(cmd: list[str], *args: object, **kwargs: object) -> None:
        raise AssertionError(f"hub setup went on to run {cmd}")

    monkeypatch.setattr("hub.accounts._run", refuse)


@pytest.mark.usefixtures("as_root", "no_accounts")
def test_a_setup_error_is_in_the_courses_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hub = _hub(tmp_path, ["mn"])
    course = next((hub / "courses").iterdir())
    before = (hub / "hub.yml").read_text()
    assert main(["hub", "setup", str(hub), "--course", str(course), "--trainer", "bold"]) == 2  # bold is an officer
    err = capsys.readouterr().err
    assert f"--trainer bold нь {course.name}-ийн нэрсийн жагсаалтад ажилтан бас байна" in err, err
    assert err.startswith("osintlab: алдаа: "), err  # the prefix in the message's language, not English
    assert (hub / "hub.yml").read_text() == before and not (hub / "state").exists()


@pytest.mark.usefixtures("as_root", "no_accounts")
def test_setup_lang_chooses_the_language_of_a_new_course(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "hub" / "courses" / "bn-c1"
    assert main(["hub", "setup", str(tmp_path / "hub"), "--course", str(folder), "--lang", "bn"]) == 2  # no roster
    assert f"{folder} এখনো কোনো কোহর্ট কোর্স নয়: তৈরি করতে --country ও --roster দিন" in capsys.readouterr().err
    assert not folder.exists()


def test_the_root_check_is_translated(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hub.accounts.os.geteuid", lambda: 1000)
    monkeypatch.setenv(ENV_LANG, "mn")
    assert main(["hub", "stop", str(tmp_path)]) == 2
    assert "osintlab hub stop нь hub-ийн бүртгэл, түлхүүр, серверүүдийг уншиж, өөрчилдөг" in capsys.readouterr().err


def test_slips_are_in_the_officers_language(tmp_path: Path) -> None:
    paths = HubPaths.of(tmp_path)
    with speaking("mn"):
        slip = passwords.write_slips(paths, "mn-c1", ["https://classroom"], {"bold": ("Bold <b>B</b>", "aaaa-bbbb")})
    text = slip.read_text()
    assert "<html lang='mn'>" in text and "Bold &lt;b&gt;B&lt;/b&gt;" in text
    assert "Хэрэглэгчийн нэр: <code>bold</code>" in text and "Нууц үг: <code>aaaa-bbbb</code>" in text
    assert "<b>https://classroom</b>-ийг Chrome, Edge эсвэл Firefox-д нээ." in text
    assert "User name" not in text and "Password" not in text


def test_the_login_page_speaks_the_courses_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from traitlets.config import Config

    from hub.jhconfig import apply

    monkeypatch.delenv(ENV_LANG, raising=False)
    hub = _hub(tmp_path, ["mn"])
    c = Config()
    apply(c, hub)
    assert c.JupyterHub.template_vars["announcement_login"].startswith("Хуудсан дээрх хэрэглэгчийн нэр, нууц үгээр")
    monkeypatch.setenv(ENV_LANG, "bn")  # the hub's own environment chooses for a hub of several languages
    apply(c, hub)
    assert c.JupyterHub.template_vars["announcement_login"].startswith("আপনার স্লিপে থাকা ইউজার নেম")


def test_the_formgrader_service_is_described_in_its_courses_language(tmp_path: Path) -> None:
    from hub.courses import load_courses
    from hub.jhconfig import course_service

    hub = _hub(tmp_path, ["mn", "bn"])  # two languages: each course's service speaks its own
    described = {c.course_id: course_service(HubPaths.of(hub), c, 9999, "/usr/bin")["info"]["description"]
                 for c in load_courses(settings.load(HubPaths.of(hub)))}
    assert described == {"mn-c0": "mn-c0 курсын formgrader (MN)", "bn-c1": "bn-c1-এর formgrader (MN)"}
