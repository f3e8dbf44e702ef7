"""`osintlab hub setup`: make this machine the classroom server for one more course (or repair it).

Run once per cohort; running it again changes nothing that is right and repairs what is not.
For a course it: creates the cohort course (grader.cohort) unless it exists, on the hub's shared
exchange; makes the Unix accounts (officers from the roster, the named trainers, the course's
`grader-<course>`) and the group `nbgrader-<course>`; hands the course folder to its course
account; gives the exchange the permissions nbgrader needs and no more; makes the certificates;
writes JupyterHub's and the servers' configuration; and gives every new login an initial password
on a printable slip.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from hub import jupyterconfig, passwords, tls
from hub import settings as hubsettings
from hub.accounts import AccountBook, check_login_name, require_root
from hub.courses import HubCourse, load_course, load_courses
from hub.layout import HubPaths
from hub.settings import Settings
from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_text
from osintlab.i18n import _, ngettext

JUPYTERHUB_CONFIG = """# Written by `osintlab hub setup`. The settings are in hub.yml; your own JupyterHub settings
# go in config.d/*.py (read after ours, kept when setup runs again).
from hub.jhconfig import apply, read_extra

c = get_config()  # noqa: F821
apply(c, {root!r})
read_extra(c, {root!r})
"""
CONFIG_D_README = """Your own JupyterHub settings: put Python files here (for example 50-announcement.py with
c.JupyterHub.template_vars = {...}). They are read after osintlab's, in name order, at every start.
"""
SYSTEMD_UNIT = """[Unit]
Description=osintlab classroom hub ({root})
After=network-online.target

[Service]
ExecStart={osintlab} hub start {root} --foreground
ExecStop={osintlab} hub stop {root}
KillMode=mixed
TimeoutStopSec=120
Restart=on-failure

[Install]
WantedBy=multi-user.target
"""
MAX_COURSE_ID = 24  # "grader-" + id must be a login name (at most 32 characters)


@dataclass
class SetupOptions:
    course: Path
    trainers: list[str] = field(default_factory=list)
    country: str | None = None
    roster: Path | None = None
    lang: str | None = None  # the language of a course created with --roster (None: English)
    ip: str | None = None
    port: int | None = None
    hostnames: list[str] = field(default_factory=list)
    db_url: str | None = None
    spawner: str | None = None  # "auto", "local" or "systemd"
    memory_limit: str | None = None
    cpu_limit: float | None = None
    idle_minutes: int | None = None
    max_servers: int | None = None


def _has_systemd() -> bool:
    return Path("/run/systemd/system").is_dir()


def _updated_settings(paths: HubPaths, opts: SetupOptions) -> Settings:
    current = hubsettings.load(paths) if hubsettings.exists(paths) else Settings(hostnames=tls.machine_names())
    changes: dict[str, object] = {}
    if opts.db_url is not None and hubsettings.exists(paths) and opts.db_url != current.db_url:
        raise UserError(_("this hub's database is {database}: setup cannot move accounts to another database; make a "
                          "new hub folder for it (or move the data with JupyterHub's own tools).").format(
            database=current.db_shown(paths)))
    if opts.hostnames:
        changes["hostnames"] = list(dict.fromkeys([*opts.hostnames, "localhost", "127.0.0.1"]))
    for name in ("ip", "port", "db_url", "memory_limit", "cpu_limit", "idle_minutes", "max_servers"):
        value = getattr(opts, name)
        if value is not None:
            changes[name] = value
    if opts.spawner is not None:
        changes["spawner"] = ("systemd" if _has_systemd() else "local") if opts.spawner == "auto" else opts.spawner
    elif not hubsettings.exists(paths):
        changes["spawner"] = "systemd" if _has_systemd() else "local"
    if changes.get("spawner") == "systemd" and not _has_systemd():
        raise UserError(_("--spawner systemd needs systemd, which does not run on this machine: use --spawner local."))
    return replace(current, **changes)  # type: ignore[arg-type]


def _make_folders(paths: HubPaths) -> None:
    for folder, mode in [(paths.root, 0o755), (paths.home, 0o755), (paths.courses, 0o755), (paths.jupyter, 0o755),
                         (paths.logs, 0o755), (paths.run, 0o700), (paths.slips, 0o700), (paths.state, 0o700),
                         (paths.config_d, 0o755)]:
        folder.mkdir(mode=mode, parents=True, exist_ok=True)
        os.chmod(folder, mode)


def _plan(paths: HubPaths, opts: SetupOptions, settings: Settings) -> HubCourse:
    """The course as it will be, from its folder or from --roster; nothing is created yet."""
    from grader.cohort import STATE, exchange_root, read_roster
    from grader.language import checked, course_language

    directory = Path(opts.course).expanduser().resolve()
    listed = next((c.trainers for c in settings.courses if Path(c.dir).resolve() == directory), [])
    trainers = opts.trainers or listed
    if (directory / STATE / "course.json").is_file():
        if opts.roster is not None:
            raise UserError(_("{folder} is already a course: to add officers who join late, add them to the course "
                              "({add}), then run {setup} again without --roster.").format(
                folder=directory, add="osintlab cohort add", setup="osintlab hub setup"))
        if exchange_root(directory).resolve() != paths.exchange:
            raise UserError(_("the course {folder} uses the exchange {exchange}, not the hub's {hub_exchange}: create "
                              "the course with {option}.").format(
                folder=directory, exchange=exchange_root(directory), hub_exchange=paths.exchange,
                option=f"--exchange {paths.exchange}"))
        if opts.lang and checked(opts.lang) != course_language(directory):
            raise UserError(_("{folder} is already a course in {code}: change its language with {command}.").format(
                folder=directory, code=course_language(directory), command="osintlab cohort language"))
        course = load_course(directory, trainers)
    elif opts.country and opts.roster:
        # the id osintlab cohort init gives a course: its folder's name
        course_id = re.sub(r"[^a-z0-9-]+", "-", directory.name.lower()).strip("-") or "cohort"
        checked(opts.lang)  # a --lang without catalogues is refused before anything is made
        officers = {t.trainee_id: t.name for t in read_roster(opts.roster)}
        course = HubCourse(course_id, directory, opts.country.upper(), officers, trainers)
    else:
        raise UserError(_("{folder} is not a cohort course yet: give --country and --roster to create it (or create "
                          "it with {command}).").format(
            folder=directory, command=f"osintlab cohort init ... --exchange {paths.exchange}"))
    if not course.trainers:
        raise UserError(_("name at least one trainer of {course} with --trainer LOGIN.").format(
            course=course.course_id))
    return course


def _create_if_new(paths: HubPaths, course: HubCourse, opts: SetupOptions) -> None:
    from grader.cohort import STATE, init_course

    if not (course.dir / STATE / "course.json").is_file():
        init_course(course.dir, str(opts.country), Path(str(opts.roster)), exchange=paths.exchange, lang=opts.lang)


def _check_names(course: HubCourse) -> None:
    if len(course.course_id) > MAX_COURSE_ID:
        raise UserError(_("the course id {course} is longer than {limit} characters (it names the account "
                          "grader-<id>): rename the course folder to a shorter name.").format(
            course=repr(course.course_id), limit=MAX_COURSE_ID))
    for name in course.officers:
        check_login_name(name, _("trainee_id in the roster of {course}:").format(course=course.course_id))
    for name in course.trainers:
        check_login_name(name, "--trainer")
        if name in course.officers:
            raise UserError(_("--trainer {name} is also an officer in the roster of {course}: give the trainer an id "
                              "of their own.").format(name=name, course=course.course_id))


def _chown_tree(root: Path, uid: int, gid: int) -> None:
    for path in [root, *root.rglob("*")]:
        os.lchown(path, uid, gid)


def _runs_as(account: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["runuser", "-u", account, "--", *argv], capture_output=True, text=True, check=False)


def _check_reach(account: str, course: HubCourse) -> None:
    """The course account must run this Python and write its course: nothing on the way may be closed."""
    probe = _runs_as(account, sys.executable, "-c", "import grader.cohort, hub.layout")
    if probe.returncode != 0:
        raise UserError(_("the hub's accounts cannot run {python} with osintlab ({error}): install osintlab where "
                          "every account can read it, with a system Python ({command} in a folder such as "
                          "/opt/osintlab).").format(python=sys.executable, error=probe.stderr.strip()[-200:],
                                                    command="PYTHON=/usr/bin/python3 bash scripts/setup.sh"))
    if _runs_as(account, "test", "-w", str(course.dir)).returncode != 0:
        blocked = next((p for p in [*reversed(course.dir.parents), course.dir]
                        if _runs_as(account, "test", "-x", str(p)).returncode != 0), course.dir)
        raise UserError(_("the course account {account} cannot reach {folder} ({blocked} is closed to other "
                          "accounts): keep courses in the hub folder, or open that folder with {command}.").format(
            account=account, folder=course.dir, blocked=blocked, command="chmod o+x"))


def _permissions(paths: HubPaths, course: HubCourse) -> None:
    import pwd

    from grader.trainee_side import prepare_exchange

    grader = pwd.getpwnam(course.grader)
    _chown_tree(course.dir, grader.pw_uid, grader.pw_gid)
    folder = paths.exchange / course.course_id
    if folder.exists():  # e.g. labs released by root before the course had its account
        if folder.stat().st_uid not in (0, grader.pw_uid):
            raise UserError(_("{folder} belongs to another account: move it away (it is not the course's), then run "
                              "setup again.").format(folder=folder))
        _chown_tree(folder, grader.pw_uid, grader.pw_gid)
    # The shared exchange as nbgrader needs it (1777 root, the course's folders with nbgrader's modes),
    # and the course's folder open only to its own group: one cohort never sees another's labs.
    prepare_exchange(course.dir, paths.exchange, members=course.group)
    log = paths.nbgrader_log(course.course_id)
    log.touch(exist_ok=True)
    os.chown(log, grader.pw_uid, grader.pw_gid)
    os.chmod(log, 0o640)


def _accounts(paths: HubPaths, course: HubCourse) -> list[str]:
    book = AccountBook.load(paths)
    book.ensure_group(course.group)
    made = []
    for name, kind in [(course.grader, "course"), *((t, "trainer") for t in course.trainers),
                       *((o, "officer") for o in course.officers)]:
        if book.ensure_account(paths, name, kind):
            made.append(name)
        book.add_to_group(name, course.group)
    return made


def _logins(paths: HubPaths, settings: Settings, course: HubCourse, urls: list[str]) -> Path | None:
    db_url = settings.db(paths)
    have = passwords.existing_logins(db_url)
    names = {**{t: _("Trainer {login}").format(login=t) for t in course.trainers}, **course.officers}
    new = {name: (full, passwords.new_password()) for name, full in names.items() if name not in have}
    if not new:
        passwords.secure_sqlite(db_url)
        return None
    passwords.set_passwords(db_url, {name: pw for name, (_, pw) in new.items()})
    return passwords.write_slips(paths, course.course_id, urls, new)


def _write_configs(paths: HubPaths, course: HubCourse) -> None:
    atomic_write_text(paths.config, JUPYTERHUB_CONFIG.format(root=str(paths.root)))
    os.chmod(paths.config, 0o644)
    readme = paths.config_d / "README.txt"
    if not readme.exists():
        atomic_write_text(readme, CONFIG_D_README)
    jupyterconfig.write_user_configs(paths)
    jupyterconfig.write_course_config(paths, course.course_id)
    if not paths.cli_token.is_file():
        atomic_write_text(paths.cli_token, secrets.token_hex(32) + "\n")
        os.chmod(paths.cli_token, 0o600)
    if _has_systemd():
        osintlab = shutil.which("osintlab", path=str(Path(sys.executable).parent)) or "osintlab"
        atomic_write_text(paths.root / "osintlab-hub.service", SYSTEMD_UNIT.format(root=paths.root, osintlab=osintlab))


def setup(root: Path, opts: SetupOptions) -> list[str]:
    """Set the hub in `root` up for the course of `opts`; returns the lines to show the trainer."""
    from hub.process import public_urls, running

    require_root("osintlab hub setup")
    paths = HubPaths.of(root)
    new_settings = _updated_settings(paths, opts)
    course = _plan(paths, opts, new_settings)
    _check_names(course)
    new_settings = new_settings.with_course(course.dir, course.trainers)
    book = AccountBook.load(paths)
    book.check_free([course.grader, *course.trainers, *course.officers], [course.group])
    _make_folders(paths)
    _create_if_new(paths, course, opts)
    load_courses(new_settings)  # two courses with one id are refused before accounts are made
    made = _accounts(paths, course)
    _permissions(paths, course)
    _check_reach(course.grader, course)
    files, certs = tls.ensure_certificates(paths.tls, new_settings.hostnames)
    _write_configs(paths, course)
    hubsettings.save(paths, new_settings)
    urls = public_urls(new_settings)
    slips = _logins(paths, new_settings, course, urls)
    lines = [ngettext("Course {course}: {count} officer, trainers {trainers}; formgrader at {url}",
                      "Course {course}: {count} officers, trainers {trainers}; formgrader at {url}",
                      len(course.officers)).format(
        course=course.course_id, count=len(course.officers), trainers=", ".join(course.trainers),
        url=f"{urls[0]}/services/{course.course_id}/formgrader")]
    if made:
        lines.append(_("Accounts made: {count} ({names}).").format(
            count=len(made), names=", ".join(made[:6]) + (", ..." if len(made) > 6 else "")))
    if slips:
        lines.append(_("Initial passwords to print and hand out: {file} (root only; destroy it after the course).")
                     .format(file=slips))
    if certs:
        # Translators: {things} lists what was made, e.g. "the certificate authority; the server certificate for ...".
        lines.append(_("Made: {things}.").format(things="; ".join(certs)))
    lines.append(_("Certificate to install on each laptop: {file}").format(file=files.ca_cert))
    if new_settings.spawner == "local":
        lines.append(_("Spawner: local processes (no systemd here): officers' servers have NO memory or CPU limit."))
    if running(paths):
        lines.append(_("The hub is running: restart it to apply ({command}).").format(
            command=f"osintlab hub stop {paths.root}; osintlab hub start {paths.root}"))
    else:
        lines.append(_("Start the hub: {command}").format(command=f"osintlab hub start {paths.root}"))
    return lines


def new_password_for(root: Path, login: str) -> str:
    """A new initial password for one officer or trainer (the old one stops working at once)."""
    from hub.process import public_urls

    paths = HubPaths.of(root)
    settings = hubsettings.load(paths)
    people: dict[str, str] = {}
    for course in load_courses(settings):
        people.update({t: _("Trainer {login}").format(login=t) for t in course.trainers})
        people.update(course.officers)
    if login not in people:
        raise UserError(_("{login} is not an officer or trainer of any course on this hub: check the spelling "
                          "({command} lists the courses).").format(login=repr(login), command="osintlab hub status"))
    password = passwords.new_password()
    passwords.set_passwords(settings.db(paths), {login: password})
    slip = passwords.write_slips(paths, login, public_urls(settings), {login: (people[login], password)})
    return _("New password for {login}: {password} (slip to print: {file}). The old password no longer works.").format(
        login=login, password=password, file=slip)
