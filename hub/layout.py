"""Where everything of one classroom hub lives: one folder the trainer chooses (HUB).

    HUB/hub.yml                    settings (osintlab hub setup writes them; hub/schema.json)
    HUB/jupyterhub_config.py       three lines: JupyterHub reads hub.yml through hub.jhconfig
    HUB/config.d/*.py              your own JupyterHub settings, read after ours (kept by setup)
    HUB/jupyterhub.sqlite          the hub's database: accounts, passwords (hashed), groups, tokens
    HUB/jupyterhub_cookie_secret   keeps logins valid across restarts
    HUB/tls/                       the classroom certificate authority and the server certificate
    HUB/home/<account>/            officers', trainers' and course accounts' home folders
    HUB/exchange/<course>/         nbgrader's shared exchange, one folder per course
    HUB/courses/<course>/          cohort courses created by setup (a course may live elsewhere)
    HUB/jupyter/<role>/            Jupyter config for officers', trainers' and course servers
    HUB/logs/                      hub.log (hub, proxy, servers) and nbgrader-<course>.log
    HUB/run/                       pid files and the ports of this run
    HUB/slips/                     initial passwords to print and hand out (root only)
    HUB/state/                     accounts made by this hub, the CLI's API token (root only)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PROXY_BIN = REPO_ROOT / "hub" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"


@dataclass(frozen=True)
class HubPaths:
    root: Path

    @classmethod
    def of(cls, root: Path | str | HubPaths) -> HubPaths:
        if isinstance(root, HubPaths):
            return root
        return cls(Path(root).expanduser().resolve())

    @property
    def settings(self) -> Path:
        return self.root / "hub.yml"

    @property
    def config(self) -> Path:
        return self.root / "jupyterhub_config.py"

    @property
    def config_d(self) -> Path:
        return self.root / "config.d"

    @property
    def sqlite(self) -> Path:
        return self.root / "jupyterhub.sqlite"

    @property
    def cookie_secret(self) -> Path:
        return self.root / "jupyterhub_cookie_secret"

    @property
    def tls(self) -> Path:
        return self.root / "tls"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def courses(self) -> Path:
        return self.root / "courses"

    @property
    def jupyter(self) -> Path:
        return self.root / "jupyter"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def hub_log(self) -> Path:
        return self.logs / "hub.log"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def pid_file(self) -> Path:
        return self.run / "hub.pid"

    @property
    def ports_file(self) -> Path:
        return self.run / "ports.json"

    @property
    def slips(self) -> Path:
        return self.root / "slips"

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def accounts_file(self) -> Path:
        return self.state / "accounts.json"

    @property
    def cli_token(self) -> Path:
        return self.state / "cli-token"

    def nbgrader_log(self, course_id: str) -> Path:
        return self.logs / f"nbgrader-{course_id}.log"

    def jupyter_dir(self, role: str) -> Path:
        """Config folder of one kind of server: "officer", "trainer" or "course-<id>"."""
        return self.jupyter / role
