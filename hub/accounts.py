"""The Unix accounts and groups a hub makes: one account per officer, trainer and course.

Each officer's server runs as the officer's own account, so officers cannot read each other's
files (homes are 0700) and nbgrader can tell who submitted what. Each course's formgrader runs
as the course account `grader-<course>`, which owns the course folder. The Unix group
`nbgrader-<course>` (officers, trainers and the course account) is the only one that can enter
the course's folder in the exchange, so one cohort never sees another's labs.

Every account and group made is recorded in HUB/state/accounts.json; the hub never changes or
removes an account it did not make (`remove_all` deletes exactly the recorded ones).
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from hub.layout import HubPaths
from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_text
from osintlab.i18n import N_, _

# Login names: what useradd accepts, and nbgrader can use as a folder name (not all digits: a uid).
LOGIN_NAME = re.compile(r"^(?![0-9]+$)[a-z0-9_][a-z0-9_.-]{0,31}$")
KINDS = ("officer", "trainer", "course")
# What a login of each kind is called in a message about its name.
KIND_IDS = {"officer": N_("the officer id"), "trainer": N_("the trainer id"), "course": N_("the course account")}


def require_root(what: str) -> None:
    if os.geteuid() != 0:
        # Translators: {command} is a command such as "osintlab hub start"; keep the sudo command as it is.
        raise UserError(_("{command} reads and changes the hub's accounts, keys and servers: run it as root "
                          "(sudo .venv/bin/osintlab hub ...).").format(command=what))


def check_login_name(name: str, what: str) -> None:
    """UserError unless `name` can be a login; `what` names the field it came from, in the current language."""
    if not LOGIN_NAME.match(name):
        # Translators: {what} names where the name came from, e.g. "the trainer id" or "--trainer".
        raise UserError(_("{what} {name} cannot be a login name on this server: use 1-32 lower-case letters, "
                          "digits, '.', '-' or '_', not only digits.").format(what=what, name=repr(name)))


TAKEN = N_("{name} is already an account on this machine, not one this hub made: give that officer or trainer "
           "another id (in the roster or --trainer).")
GROUP_TAKEN = N_("the group {group} already exists on this machine and was not made by this hub: rename the course "
                 "folder (the course id names the group).")


def grader_account(course_id: str) -> str:
    return f"grader-{course_id}"


def course_group(course_id: str) -> str:
    return f"nbgrader-{course_id}"


def account_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def _run(cmd: list[str], failed: str, **fields: str) -> None:
    """Run `cmd`; if it fails, UserError `failed` (a translated message) filled with `fields` and
    {error}, what the command printed."""
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise UserError(failed.format(error=proc.stderr.strip() or proc.stdout.strip(), **fields))


@dataclass
class AccountBook:
    """The accounts and groups this hub made (HUB/state/accounts.json, root only)."""

    path: Path
    accounts: dict[str, dict[str, object]] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, paths: HubPaths) -> AccountBook:
        path = paths.accounts_file
        if not path.is_file():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, dict(data["accounts"]), list(data["groups"]))
        except (json.JSONDecodeError, KeyError, TypeError):
            raise UserError(_("{path} is damaged: restore it from your backup of {folder}.").format(
                path=path, folder=paths.root)) from None

    def save(self) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write_text(self.path, json.dumps({"accounts": self.accounts, "groups": self.groups}, indent=1) + "\n")
        os.chmod(self.path, 0o600)

    def names(self, kind: str | None = None) -> list[str]:
        return sorted(n for n, a in self.accounts.items() if kind is None or a.get("kind") == kind)

    def check_free(self, names: list[str], groups: list[str]) -> None:
        """UserError naming the first account or group that exists on this machine but was not made here."""
        for name in names:
            if account_exists(name) and name not in self.accounts:
                raise UserError(_(TAKEN).format(name=repr(name)))
        for group in groups:
            if group_exists(group) and group not in self.groups:
                raise UserError(_(GROUP_TAKEN).format(group=repr(group)))

    def ensure_group(self, name: str) -> None:
        if group_exists(name):
            if name not in self.groups:
                raise UserError(_(GROUP_TAKEN).format(group=repr(name)))
            return
        _run(["groupadd", name], _("could not create the group {group}: {error}"), group=name)
        self.groups.append(name)
        self.save()

    def ensure_account(self, paths: HubPaths, name: str, kind: str) -> bool:
        """Make the account (home in HUB/home) unless this hub made it already; True if it was made."""
        check_login_name(name, _(KIND_IDS[kind]))
        if account_exists(name):
            if name not in self.accounts:
                raise UserError(_(TAKEN).format(name=repr(name)))
            return False
        home = paths.home / name
        _run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash", "--user-group",
              "--comment", f"osintlab hub {kind}", name], _("could not create the account {name}: {error}"), name=name)
        entry = pwd.getpwnam(name)
        shutil.chown(home, entry.pw_uid, entry.pw_gid)
        os.chmod(home, 0o700)
        self.accounts[name] = {"kind": kind, "uid": entry.pw_uid}
        self.save()
        return True

    def add_to_group(self, name: str, group: str) -> None:
        if name not in grp.getgrnam(group).gr_mem:
            _run(["gpasswd", "--add", name, group], _("could not add {name} to the group {group}: {error}"),
                 name=name, group=group)

    def remove_all(self, *, delete_homes: bool, paths: HubPaths) -> list[str]:
        """Delete every account and group this hub made (never another); returns the names removed."""
        removed = []
        for name in sorted(self.accounts):
            if account_exists(name):
                _run(["userdel", name], _("could not remove the account {name}: {error}"), name=name)
                removed.append(name)
            if delete_homes:
                shutil.rmtree(paths.home / name, ignore_errors=True)
            del self.accounts[name]
            self.save()
        for group in sorted(self.groups):
            if group_exists(group):
                _run(["groupdel", group], _("could not remove the group {group}: {error}"), group=group)
            self.groups.remove(group)
            self.save()
        return removed
