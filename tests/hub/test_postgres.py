"""The hub's own database on a real PostgreSQL server (--db-url): logins survive a restart.

The server is started for this test only, in a temporary folder, on a Unix socket (no TCP port).
"""

from __future__ import annotations

import http.cookiejar
import re
import ssl
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from tests.hub.hubkit import Hub, osintlab, passwords, setup_course, temporary_hub, unique
from tests.postgres import postgres_bin, temporary_postgres
from tests.realaccounts import require_accounts

pytestmark = [pytest.mark.slow]  # real accounts: hubkit.temporary_hub skips, or fails in CI, without them


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    require_accounts()
    with temporary_postgres("hub") as url:
        yield url


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _login(hub: Hub, user: str, password: str) -> bool:
    """Log in through the hub's own login form (over HTTPS, trusting the hub's CA); True if it let us in
    (JupyterHub answers a good login with a redirect away from the login page)."""
    context = ssl.create_default_context(cafile=str(hub.root / "tls" / "osintlab-classroom-ca.crt"))
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                         urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    page = opener.open(f"https://localhost:{hub.port}/hub/login", timeout=30).read().decode()
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page) or re.search(r'xsrf_token: "([^"]+)"', page)
    form = {"username": user, "password": password, **({"_xsrf": xsrf.group(1)} if xsrf else {})}
    try:
        opener.open(f"https://localhost:{hub.port}/hub/login", urllib.parse.urlencode(form).encode(), timeout=30)
    except urllib.error.HTTPError as exc:
        return exc.code == 302 and "/hub/login" not in (exc.headers.get("Location") or "")
    return False


@pytest.fixture(scope="module")
def hub_on_postgres(postgres_url: str) -> Iterator[tuple[Hub, str]]:
    tag = unique("p")
    with temporary_hub() as hub:
        setup_course(hub, f"{tag}-c", [f"{tag}-o1"], f"{tag}-t", extra=("--db-url", postgres_url))
        yield hub, f"{tag}-o1"


def test_logins_live_in_postgresql_and_survive_a_restart(hub_on_postgres: tuple[Hub, str], postgres_url: str) -> None:
    hub, officer = hub_on_postgres
    login = passwords(hub.root)
    assert not (hub.root / "jupyterhub.sqlite").exists()
    osintlab("hub", "start", str(hub.root))
    assert _login(hub, officer, login[officer])
    assert not _login(hub, officer, "not-the-password")
    assert not _login(hub, "stranger", "not-the-password")
    osintlab("hub", "stop", str(hub.root))
    osintlab("hub", "start", str(hub.root))
    assert _login(hub, officer, login[officer])
    tables = subprocess.run(["runuser", "-u", "postgres", "--", postgres_bin("psql"), "-h",
                             postgres_url.split("host=")[1], "-U", "postgres", "-d", "hub", "-At", "-c",
                             "select username from users_info order by username"],
                            capture_output=True, text=True, check=True).stdout.split()
    assert officer in tables
    assert not (hub.root / "jupyterhub.sqlite").exists()
    other = osintlab("hub", "setup", str(hub.root), "--course", str(next(iter(hub.courses.values()))),
                     "--db-url", "sqlite:////tmp/elsewhere.sqlite", check=False)
    assert other.returncode == 2 and "cannot move" in other.stderr
