"""Logins in the hub's database: bcrypt hashes in NativeAuthenticator's table, and printable slips."""

from __future__ import annotations

import re
from pathlib import Path

from hub import passwords
from hub.layout import HubPaths


def test_passwords_are_random_and_easy_to_type() -> None:
    made = {passwords.new_password() for _ in range(200)}
    assert len(made) == 200
    for word in made:
        assert re.fullmatch(r"[a-km-z2-9]{4}-[a-km-z2-9]{4}-[a-km-z2-9]{4}", word)
        assert not set(word) & set("01ilo")


def test_logins_are_stored_as_hashes_that_check(tmp_path: Path) -> None:
    from nativeauthenticator.orm import UserInfo

    db = f"sqlite:///{tmp_path / 'jupyterhub.sqlite'}"
    passwords.set_passwords(db, {"bold": "k7mp-x2qa-9trw", "saraa": "abcd-efgh-jkmn"})
    assert passwords.existing_logins(db) == {"bold", "saraa"}
    assert b"k7mp-x2qa-9trw" not in (tmp_path / "jupyterhub.sqlite").read_bytes()
    assert oct((tmp_path / "jupyterhub.sqlite").stat().st_mode & 0o777) == "0o600"
    passwords.set_passwords(db, {"bold": "new1-pass-word"})  # a reset replaces the old one
    session = passwords._session(db)
    try:
        bold = UserInfo.find(session, "bold")
        assert bold.is_authorized and bold.is_valid_password("new1-pass-word")
        assert not bold.is_valid_password("k7mp-x2qa-9trw")
    finally:
        session.close()


def test_slips_escape_names_and_are_root_only(tmp_path: Path) -> None:
    paths = HubPaths.of(tmp_path)
    slip = passwords.write_slips(paths, "mn-c1", ["https://classroom"], {"bold": ("Bold <b>B</b>", "aaaa-bbbb-cccc")})
    text = slip.read_text()
    assert "Bold &lt;b&gt;B&lt;/b&gt;" in text and "aaaa-bbbb-cccc" in text and "https://classroom" in text
    assert oct(slip.stat().st_mode & 0o777) == "0o600"
