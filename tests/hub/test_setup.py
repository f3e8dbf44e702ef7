"""`osintlab hub setup` on this machine: real accounts and groups, permissions, configuration, and
the Zero to JupyterHub values validated against the chart's own schema. Needs root (useradd)."""

from __future__ import annotations

import grp
import json
import pwd
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.hub.hubkit import Hub, osintlab, passwords, setup_course, temporary_hub, unique, write_roster

Z2JH = Path(__file__).with_name("z2jh")  # the chart's schema and defaults, copied unchanged (BSD licence)

pytestmark = [pytest.mark.slow]  # real accounts: hubkit.temporary_hub skips, or fails in CI, without them


@pytest.fixture(scope="module")
def hub() -> Iterator[tuple[Hub, dict[str, Any]]]:
    tag = unique("s")
    who = {"a": f"{tag}-a", "b": f"{tag}-b", "officers": [f"{tag}-o1", f"{tag}-o2"], "other": f"{tag}-o3",
           "trainer": f"{tag}-t1", "trainer_b": f"{tag}-t2"}
    with temporary_hub() as hub:
        setup_course(hub, who["a"], who["officers"], who["trainer"])
        # The second course is made with cohort init (--exchange) first, as the README allows; its config for
        # a one-course server goes to the hub folder, not the machine's /etc/jupyter (other tests run here).
        roster = write_roster(hub.root / "b.csv", [who["other"]])
        course_b = hub.root / "courses" / who["b"]
        osintlab("cohort", "init", str(course_b), "--country", "BD", "--roster", str(roster),
                 "--exchange", str(hub.root / "exchange"), "--trainee-config", str(hub.root / "one-course.py"))
        osintlab("hub", "setup", str(hub.root), "--course", str(course_b), "--trainer", who["trainer_b"])
        hub.courses[who["b"]] = course_b
        yield hub, who


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_exchange_is_left_alone_for_a_group_that_does_not_exist(hub: tuple[Hub, dict[str, Any]]) -> None:
    from grader.trainee_side import prepare_exchange
    from osintlab.errors import UserError

    h, who = hub
    folder = h.root / "exchange" / who["a"]
    before = [(p.stat().st_uid, p.stat().st_gid, _mode(p)) for p in [folder, *folder.iterdir()]]
    with pytest.raises(UserError, match=f"the group '{who['a']}-nobody' does not exist"):
        prepare_exchange(h.courses[who["a"]], h.root / "exchange", members=f"{who['a']}-nobody")
    assert [(p.stat().st_uid, p.stat().st_gid, _mode(p)) for p in [folder, *folder.iterdir()]] == before


def test_accounts_groups_and_permissions(hub: tuple[Hub, dict[str, Any]]) -> None:
    h, who = hub
    a = who["a"]
    for name in [*who["officers"], who["trainer"], f"grader-{a}"]:
        entry = pwd.getpwnam(name)
        assert entry.pw_dir == str(h.root / "home" / name)
        assert _mode(Path(entry.pw_dir)) == 0o700 and Path(entry.pw_dir).stat().st_uid == entry.pw_uid
        assert name in grp.getgrnam(f"nbgrader-{a}").gr_mem
    assert who["other"] not in grp.getgrnam(f"nbgrader-{a}").gr_mem
    exchange = h.root / "exchange"
    assert _mode(exchange) == 0o1777 and exchange.stat().st_uid == 0
    folder = exchange / a
    assert _mode(folder) == 0o750
    assert pwd.getpwuid(folder.stat().st_uid).pw_name == f"grader-{a}"
    assert grp.getgrgid(folder.stat().st_gid).gr_name == f"nbgrader-{a}"
    # nbgrader's own modes for the course's folders (grader.trainee_side.prepare_exchange)
    assert {p: _mode(folder / p) for p in ("inbound", "outbound", "feedback")} == \
        {"inbound": 0o2733, "outbound": 0o755, "feedback": 0o711}
    course = h.courses[a]
    assert all(p.stat().st_uid == pwd.getpwnam(f"grader-{a}").pw_uid for p in [course, *course.rglob("*")])
    for secret in ["hub.yml", "jupyterhub.sqlite", "state/cli-token", "tls/ca.key", "tls/server.key"]:
        assert _mode(h.root / secret) & 0o077 == 0, secret
    assert set(passwords(h.root)) == {*who["officers"], who["other"], who["trainer"], who["trainer_b"]}
    recorded = json.loads((h.root / "state" / "accounts.json").read_text())
    assert recorded["accounts"][who["trainer"]]["kind"] == "trainer"
    assert sorted(recorded["groups"]) == sorted([f"nbgrader-{a}", f"nbgrader-{who['b']}"])


def test_setup_again_changes_nothing(hub: tuple[Hub, dict[str, Any]]) -> None:
    h, who = hub
    slips = sorted((h.root / "slips").iterdir())
    before = (h.root / "hub.yml").read_text()
    out = osintlab("hub", "setup", str(h.root), "--course", str(h.courses[who["a"]])).stdout
    assert "Accounts made" not in out and "Initial passwords" not in out and "Made " not in out
    assert sorted((h.root / "slips").iterdir()) == slips
    assert (h.root / "hub.yml").read_text() == before


@pytest.mark.parametrize(("change", "message"), [
    ("trainer_is_officer", "is also an officer"),
    ("system_account", "is already an account on this machine"),
    ("other_exchange", "not the hub's"),
    ("long_id", "longer than 24 characters"),
    ("systemd", "needs systemd"),
    ("no_trainer", "name at least one trainer"),
])
def test_bad_input_is_one_sentence_and_changes_nothing(hub: tuple[Hub, dict[str, Any]], tmp_path: Path,
                                                       change: str, message: str) -> None:
    h, _who = hub
    tag = unique("x")
    course = h.root / "courses" / f"{tag}-c"
    args = ["hub", "setup", str(h.root), "--course", str(course), "--country", "MN", "--trainer", f"{tag}-t"]
    officers = [f"{tag}-o"]
    if change == "trainer_is_officer":
        officers.append(f"{tag}-t")
    elif change == "system_account":
        officers.append("daemon")
    elif change == "long_id":
        course = h.root / "courses" / ("x" * 30)
        args[4] = str(course)
    elif change == "systemd":
        args += ["--spawner", "systemd"]
    elif change == "no_trainer":
        args = args[:-2]
    if change == "other_exchange":
        osintlab("cohort", "init", str(course), "--country", "MN", "--roster",
                 str(write_roster(tmp_path / "r.csv", officers)))
        args = [*args[:5], "--trainer", f"{tag}-t"]
    else:
        args += ["--roster", str(write_roster(tmp_path / "r.csv", officers))]
    before = (h.root / "state" / "accounts.json").read_text()
    proc = osintlab(*args, check=False)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert (h.root / "state" / "accounts.json").read_text() == before
    assert not any(n.startswith(tag) for n in (p.pw_name for p in pwd.getpwall()))


def test_jupyterhub_config(hub: tuple[Hub, dict[str, Any]]) -> None:
    from traitlets.config import Config

    from hub.jhconfig import apply, read_extra

    h, who = hub
    a, b = who["a"], who["b"]
    (h.root / "config.d" / "50-mine.py").write_text("c.JupyterHub.template_vars = {'announcement': 'Welcome'}\n")
    c = Config()
    apply(c, h.root)
    assert read_extra(c, h.root) == [h.root / "config.d" / "50-mine.py"]
    assert c.JupyterHub.template_vars == {"announcement": "Welcome"}
    assert c.JupyterHub.bind_url == f"https://127.0.0.1:{h.port}/"
    assert c.Authenticator.allowed_users == {*who["officers"], who["other"], who["trainer"], who["trainer_b"]}
    assert c.Authenticator.admin_users == set()
    assert c.JupyterHub.load_groups[f"formgrade-{a}"] == {"users": [who["trainer"]]}
    assert c.JupyterHub.load_groups[f"nbgrader-{a}"] == {"users": sorted([*who["officers"], who["trainer"]])}
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert f"access:services!service={a}" in roles[f"formgrade-{a}"]["scopes"]
    assert not any(f"service={b}" in s for s in roles[f"formgrade-{a}"]["scopes"])
    services = {s["name"]: s for s in c.JupyterHub.services}
    assert services[a]["user"] == f"grader-{a}" and services[a]["cwd"] == str(h.courses[a])
    assert "--timeout=3600" in services["idle-culler"]["command"]
    assert c.JupyterHub.spawner_class == "hub.spawner.ClassroomSpawner"
    config_path = c.Spawner.environment["JUPYTER_CONFIG_PATH"]

    class Fake:
        def __init__(self, name: str) -> None:
            self.user = type("U", (), {"name": name})()

    assert config_path(Fake(who["trainer"])).endswith("jupyter/trainer")
    assert config_path(Fake(who["officers"][0])).endswith("jupyter/officer")
    officer = json.loads((h.root / "jupyter" / "officer" / "jupyter_server_config.json").read_text())
    extensions = officer["ServerApp"]["jpserver_extensions"]
    assert extensions["nbgrader.server_extensions.formgrader"] is False
    assert extensions["nbgrader.server_extensions.assignment_list"] is True


def _merge(base: Any, override: Any) -> Any:
    """Helm's merge of a values file over the chart's defaults: maps merge, everything else replaces."""
    if isinstance(base, dict) and isinstance(override, dict):
        return {k: _merge(base[k], override[k]) if k in base and k in override else base.get(k, override.get(k))
                for k in {*base, *override}}
    return override


def test_k8s_values_validate_against_the_charts_schema(hub: tuple[Hub, dict[str, Any]], tmp_path: Path) -> None:
    import jsonschema

    h, who = hub
    out = tmp_path / "values.yaml"
    osintlab("hub", "k8s-values", str(h.root), "--image", "registry.example/osintlab:2026.1",
             "--hub-image", "registry.example/osintlab-hub:2026.1", "--out", str(out))
    mine = yaml.safe_load(out.read_text())
    defaults = yaml.safe_load((Z2JH / "values.yaml").read_text())
    schema = yaml.safe_load((Z2JH / "values.schema.yaml").read_text())
    merged = _merge(defaults, mine)
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(merged)]
    assert errors == []
    # and the schema does catch a mistake in such a file
    broken = _merge(merged, {"singleuser": {"storage": {"capacity": 5}}})
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))

    for name, code in mine["hub"]["extraConfig"].items():
        compile(code, name, "exec")  # the hub runs these snippets at start
    namespace: dict[str, Any] = {"c": type("C", (), {"KubeSpawner": type("K", (), {})(), "JupyterHub":
                                                      type("J", (), {})()})()}
    exec(mine["hub"]["extraConfig"]["osintlab-spawn"], namespace)
    data = namespace["OSINTLAB"]
    officer = who["officers"][0]
    assert data["uids"][officer] == pwd.getpwnam(officer).pw_uid
    assert data["uids"][who["trainer"]] == pwd.getpwnam(f"grader-{who['a']}").pw_uid
    assert data["gids"][who["a"]] == grp.getgrnam(f"nbgrader-{who['a']}").gr_gid

    class Spawner:
        uid = gid = None

        def __init__(self, name: str) -> None:
            self.supplemental_gids: list[int] = []
            self.user = type("U", (), {"name": name})()
            self.environment: dict[str, str] = {}
            self.volumes: list[dict[str, Any]] = []
            self.volume_mounts: list[dict[str, Any]] = []

    trainer = Spawner(who["trainer"])
    namespace["osintlab_pre_spawn"](trainer)
    assert trainer.volume_mounts == [{"name": f"osintlab-course-{who['a']}", "mountPath": f"/home/jovyan/{who['a']}"}]
    assert trainer.environment["JUPYTER_CONFIG_PATH"].startswith(f"/etc/osintlab/jupyter/trainer-{who['a']}")
    assert mine["cull"] == {"enabled": True, "timeout": 3600, "every": 600}
    assert mine["singleuser"]["memory"]["limit"] == "2G"
    assert mine["singleuser"]["image"] == {"name": "registry.example/osintlab", "tag": "2026.1"}
    assert mine["singleuser"]["storage"]["extraVolumes"][0]["persistentVolumeClaim"]["claimName"] == \
        "osintlab-exchange"
    assert sorted(mine["hub"]["config"]["Authenticator"]["allowed_users"]) == sorted(
        [*who["officers"], who["other"], who["trainer"], who["trainer_b"]])

    bad = osintlab("hub", "k8s-values", str(h.root), "--image", "osintlab", "--hub-image", "a/b:1", check=False)
    assert bad.returncode == 2 and "needs a tag" in bad.stderr


def test_a_new_password_replaces_the_old_one(hub: tuple[Hub, dict[str, Any]]) -> None:
    from hub import passwords as hubpasswords

    h, who = hub
    officer = who["officers"][1]
    out = osintlab("hub", "password", str(h.root), officer).stdout
    new = out.split(": ")[1].split(" ")[0]
    session = hubpasswords._session(f"sqlite:///{h.root / 'jupyterhub.sqlite'}")
    try:
        from nativeauthenticator.orm import UserInfo

        assert UserInfo.find(session, officer).is_valid_password(new)
    finally:
        session.close()
    assert osintlab("hub", "password", str(h.root), "nobody-here", check=False).returncode == 2


def test_remove_accounts_removes_exactly_the_hubs(hub: tuple[Hub, dict[str, Any]]) -> None:
    h, who = hub
    status = osintlab("hub", "status", str(h.root), check=False)
    assert status.returncode == 3 and "NOT running" in status.stdout
    out = osintlab("hub", "remove-accounts", str(h.root)).stdout
    assert "Removed 7 accounts" in out  # 3 officers, 2 trainers, 2 course accounts (failed set-ups made none)
    for name in [*who["officers"], who["trainer"], f"grader-{who['a']}"]:
        with pytest.raises(KeyError):
            pwd.getpwnam(name)
    pwd.getpwnam("daemon")  # never touched
    assert (h.root / "home" / who["officers"][0]).is_dir()  # homes kept unless --delete-homes
