"""Logins: NativeAuthenticator's accounts in the hub's database, and password slips to hand out.

Why slips, not "the first login sets the password": in a classroom anyone can type a
neighbour's user name first and take the account. So setup gives every new account a random
initial password, stores only its bcrypt hash in the hub's database (NativeAuthenticator's
own table, so a backup of the database keeps passwords, and PostgreSQL works too), and
writes a page of slips for the trainer to print and cut. Officers may change it at
/hub/change-password. Sign-up is off: nobody else can create an account, and five wrong
passwords in a row lock a name for five minutes.
"""

from __future__ import annotations

import html
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hub.layout import HubPaths
from osintlab.fsutil import atomic_write_text
from osintlab.i18n import _, language

# No 0/O, 1/l/I: a slip is read by eye and typed by hand.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_password() -> str:
    """12 random characters in three groups of four (about 59 bits), e.g. 'k7mp-x2qa-9trw'."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))


def _session(db_url: str, *, logins: bool = True):  # type: ignore[no-untyped-def]
    """A session on the hub's database, created with JupyterHub's own schema (and, with `logins`,
    NativeAuthenticator's table: importing it takes seconds, so hub.shutdown leaves it out)."""
    import logging

    from jupyterhub import orm

    if logins:
        import nativeauthenticator.orm  # noqa: F401  (registers its table with JupyterHub's metadata)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its "stamping" notes are not for the trainer
    return orm.new_session_factory(db_url)()


@contextmanager
def database(db_url: str, *, logins: bool = True) -> Iterator[Any]:
    """A session on the hub's database, closed (and its connections dropped) afterwards."""
    session = _session(db_url, logins=logins)
    try:
        yield session
    finally:
        session.close()
        session.get_bind().dispose()


def secure_sqlite(db_url: str) -> None:
    if db_url.startswith("sqlite:///"):
        path = Path(db_url.removeprefix("sqlite:///"))
        if path.is_file():
            os.chmod(path, 0o600)


def existing_logins(db_url: str) -> set[str]:
    from nativeauthenticator.orm import UserInfo

    session = _session(db_url)
    try:
        return {info.username for info in session.query(UserInfo).all()}
    finally:
        session.close()
        session.get_bind().dispose()


def set_passwords(db_url: str, passwords: dict[str, str]) -> None:
    """Create or replace the login of each user name with its password (stored as a bcrypt hash)."""
    import bcrypt
    from nativeauthenticator.orm import UserInfo

    session = _session(db_url)
    try:
        for name, password in passwords.items():
            hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
            info = UserInfo.find(session, name)
            if info is None:
                session.add(UserInfo(username=name, password=hashed, is_authorized=True))
            else:
                info.password, info.is_authorized = hashed, True
        session.commit()
    finally:
        session.close()
        session.get_bind().dispose()
    secure_sqlite(db_url)


def _html(message: str, **fields: str) -> str:
    """A translated `message` escaped for HTML, its placeholders filled with `fields` (HTML already)."""
    return html.escape(message, quote=False).format(**fields)


def write_slips(paths: HubPaths, title: str, urls: list[str], logins: dict[str, tuple[str, str]]) -> Path:
    """A printable page: one slip per login (user name -> (full name, password)), root-only, in the
    current language (the officers read it)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = paths.slips / f"{title}-{stamp}.html"
    slips = []
    address = html.escape(urls[0])
    for name, (full_name, password) in sorted(logins.items()):
        slips.append(
            f"<div class='slip'><h2>{html.escape(full_name)}</h2>"
            + "<p>" + _html(_("Open {address} in Chrome, Edge or Firefox."), address=f"<b>{address}</b>") + "</p>"
            + "<p>" + _html(_("User name: {name}"), name=f"<code>{html.escape(name)}</code>") + "<br>"
            + _html(_("Password: {password}"), password=f"<code>{html.escape(password)}</code>") + "</p>"
            + "<p class='small'>" + _html(_("After you log in, change your password at {address}. Never share it. "
                                            "Keep this slip safe or destroy it."),
                                          address=f"{address}/hub/change-password") + "</p></div>")
    title_text = html.escape(_("Password slips: {title}").format(title=title))
    page = (f"<!doctype html><html lang='{html.escape(language())}'><head><meta charset='utf-8'><title>{title_text}"
            "</title><style>body{font-family:sans-serif} .slip{border:1px dashed #555;padding:0.6em 1em;"
            "margin:0.5em 0;page-break-inside:avoid} code{font-size:1.3em} .small{font-size:0.85em}</style>"
            "</head><body>" + "".join(slips) + "</body></html>\n")
    paths.slips.mkdir(mode=0o700, parents=True, exist_ok=True)
    atomic_write_text(path, page)
    os.chmod(path, 0o600)
    return path
