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
        raise UserError(f"this hub's database is {current.db_shown(paths)}: setup cannot move accounts to another "
                        "database; make a new hub folder for it (or move the data with JupyterHub's own tools).")
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
        raise UserError("--spawner systemd needs systemd, which does not run on this machine: use --spawner local.")
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

    directory = Path(opts.course).expanduser().resolve()
    listed = next((c.trainers for c in settings.courses if Path(c.dir).resolve() == directory), [])
    trainers = opts.trainers or listed
    if (directory / STATE / "course.json").is_file():
        if opts.roster is not None:
            raise UserError(f"{directory} is already a course: to add officers who join late, add them to the "
                            "course (osintlab cohort add), then run osintlab hub setup again without --roster.")
        if exchange_root(directory).resolve() != paths.exchange:
            raise UserError(f"the course {directory} uses the exchange {exchange_root(directory)}, not the hub's "
                            f"{paths.exchange}: create the course with --exchange {paths.exchange}.")
        course = load_course(directory, trainers)
    elif opts.country and opts.roster:
        # the id osintlab cohort init gives a course: its folder's name
        course_id = re.sub(r"[^a-z0-9-]+", "-", directory.name.lower()).strip("-") or "cohort"
        officers = {t.trainee_id: t.name for t in read_roster(opts.roster)}
        course = HubCourse(course_id, directory, opts.country.upper(), officers, trainers)
    else:
        raise UserError(f"{directory} is not a cohort course yet: give --country and --roster to create it "
                        f"(or create it with osintlab cohort init ... --exchange {paths.exchange}).")
    if not course.trainers:
        raise UserError(f"name at least one trainer of {course.course_id} with --trainer LOGIN.")
    return course


def _create_if_new(paths: HubPaths, course: HubCourse, opts: SetupOptions) -> None:
    from grader.cohort import STATE, init_course

    if not (course.dir / STATE / "course.json").is_file():
        init_course(course.dir, str(opts.country), Path(str(opts.roster)), exchange=paths.exchange)


def _check_names(course: HubCourse) -> None:
    if len(course.course_id) > MAX_COURSE_ID:
        raise UserError(f"the course id {course.course_id!r} is longer than {MAX_COURSE_ID} characters (it names "
                        "the account grader-<id>): rename the course folder to a shorter name.")
    for name in course.officers:
        check_login_name(name, f"trainee_id in the roster of {course.course_id}:")
    for name in course.trainers:
        check_login_name(name, "--trainer")
        if name in course.officers:
            raise UserError(f"--trainer {name} is also an officer in the roster of {course.course_id}: "
                            "give the trainer an id of their own.")


def _chown_tree(root: Path, uid: int, gid: int) -> None:
    for path in [root, *root.rglob("*")]:
        os.lchown(path, uid, gid)


def _runs_as(account: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["runuser", "-u", account, "--", *argv], capture_output=True, text=True, check=False)


def _check_reach(account: str, course: HubCourse) -> None:
    """The course account must run this Python and write its course: nothing on the way may be closed."""
    probe = _runs_as(account, sys.executable, "-c", "import grader.cohort, hub.layout")
    if probe.returncode != 0:
        raise UserError(f"the hub's accounts cannot run {sys.executable} with osintlab ({probe.stderr.strip()[-200:]}):"
                        " install osintlab where every account can read it, with a system Python "
                        "(PYTHON=/usr/bin/python3 bash scripts/setup.sh in a folder such as /opt/osintlab).")
    if _runs_as(account, "test", "-w", str(course.dir)).returncode != 0:
        blocked = next((p for p in [*reversed(course.dir.parents), course.dir]
                        if _runs_as(account, "test", "-x", str(p)).returncode != 0), course.dir)
        raise UserError(f"the course account {account} cannot reach {course.dir} ({blocked} is closed to other "
                        "accounts): keep courses in the hub folder, or open that folder with chmod o+x.")


def _permissions(paths: HubPaths, course: HubCourse) -> None:
    import pwd

    from grader.trainee_side import prepare_exchange

    grader = pwd.getpwnam(course.grader)
    _chown_tree(course.dir, grader.pw_uid, grader.pw_gid)
    folder = paths.exchange / course.course_id
    if folder.exists():  # e.g. labs released by root before the course had its account
        if folder.stat().st_uid not in (0, grader.pw_uid):
            raise UserError(f"{folder} belongs to another account: move it away (it is not the course's), "
                            "then run setup again.")
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
    names = {**{t: f"Trainer {t}" for t in course.trainers}, **course.officers}
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
    lines = [f"Course {course.course_id}: {len(course.officers)} officers, trainers {', '.join(course.trainers)}; "
             f"formgrader at {urls[0]}/services/{course.course_id}/formgrader"]
    if made:
        lines.append(f"Accounts made: {len(made)} ({', '.join(made[:6])}{', ...' if len(made) > 6 else ''}).")
    if slips:
        lines.append(f"Initial passwords to print and hand out: {slips} (root only; destroy it after the course).")
    if certs:
        lines.append(f"Made {' and '.join(certs)}.")
    lines.append(f"Certificate to install on each laptop: {files.ca_cert}")
    if new_settings.spawner == "local":
        lines.append("Spawner: local processes (no systemd here): officers' servers have NO memory or CPU limit.")
    if running(paths):
        lines.append(f"The hub is running: restart it to apply (osintlab hub stop {paths.root}; osintlab hub start "
                     f"{paths.root}).")
    else:
        lines.append(f"Start the hub: osintlab hub start {paths.root}")
    return lines


def new_password_for(root: Path, login: str) -> str:
    """A new initial password for one officer or trainer (the old one stops working at once)."""
    from hub.process import public_urls

    paths = HubPaths.of(root)
    settings = hubsettings.load(paths)
    people: dict[str, str] = {}
    for course in load_courses(settings):
        people.update({t: f"Trainer {t}" for t in course.trainers})
        people.update(course.officers)
    if login not in people:
        raise UserError(f"{login!r} is not an officer or trainer of any course on this hub: check the spelling "
                        "(osintlab hub status lists the courses).")
    password = passwords.new_password()
    passwords.set_passwords(settings.db(paths), {login: password})
    slip = passwords.write_slips(paths, login, public_urls(settings), {login: (people[login], password)})
    return f"New password for {login}: {password} (slip to print: {slip}). The old password no longer works."
