"""The hub's logins: NativeAuthenticator's password table, with JupyterHub's own login page.

NativeAuthenticator keeps bcrypt hashes in the hub's database (backed up with it, SQLite or
PostgreSQL) and locks a name after repeated wrong passwords. Its own login page (1.3.0) times
the login with JupyterHub's statsd client, which JupyterHub 6 removed, so every login failed
with an error 500; JupyterHub's own login page calls the same `authenticate`. Sign-up and the
approval pages are left out (accounts come from the rosters only); officers keep the page to
change their password.
"""

from __future__ import annotations

from typing import Any

from nativeauthenticator import NativeAuthenticator

KEPT_PAGES = ("/change-password", "/change-password/([^/]+)")


class ClassroomAuthenticator(NativeAuthenticator):  # type: ignore[misc]
    def get_handlers(self, app: Any) -> list[tuple[str, Any]]:
        return [(url, handler) for url, handler in super().get_handlers(app) if url in KEPT_PAGES]
