"""`osintlab hub k8s-values`: the same classroom on a Kubernetes cluster (Zero to JupyterHub).

What maps to what (one machine -> cluster):
- accounts and logins: the same users and groups, the same NativeAuthenticator logins (the hub
  image must contain osintlab with its `hub` extra, for `hub.auth.ClassroomAuthenticator`);
- officers' servers: one pod each (KubeSpawner), with the memory and CPU limits of hub.yml
  (enforced by Kubernetes), each running as the officer's own uid from this machine, so file
  permissions in the shared exchange mean the same as here (nbgrader's exchange needs that);
- the shared exchange: one ReadWriteMany volume (`osintlab-exchange`, e.g. NFS) in every pod;
- each course's formgrader: in its trainers' own servers (nbgrader's "one class, one grader"
  set-up), which run as the course account and mount the course's volume
  (`osintlab-course-<id>`, ReadWriteMany) in the home; use a PostgreSQL gradebook there (SQLite
  must not live on NFS). A trainer of several courses grades the first one on the cluster;
- the idle culler: the chart's own `cull`; HTTPS: the hub's certificate as a Kubernetes secret.
The values file is checked against the chart's values schema (tests/hub/test_k8s.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from hub import jupyterconfig
from hub.accounts import AccountBook
from hub.courses import HubCourse, load_courses
from hub.jhconfig import SERVER_SCOPES, course_roles, groups
from hub.layout import HubPaths
from hub.settings import Settings, load
from hub.tls import _is_ip
from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_text
from osintlab.i18n import _

EXCHANGE_CLAIM = "osintlab-exchange"
EXCHANGE_MOUNT = "/srv/osintlab/exchange"
HOME = "/home/jovyan"  # the chart's home mount path in every pod
CONFIG_MOUNT = "/etc/osintlab/jupyter"
TLS_SECRET = "osintlab-tls"
HEADER = """# Zero to JupyterHub values for the osintlab classroom hub {root}
# Written by `osintlab hub k8s-values`; read the trainer guide, "Beyond one server", before using it.
# Before `helm upgrade --install`, create in the namespace:
#   - the PersistentVolumeClaim {exchange} (ReadWriteMany, storage class {storage}),
#   - one PersistentVolumeClaim osintlab-course-<course id> per course (ReadWriteMany),
#     holding the course folder (copy it from this machine with its owners: rsync -a),
#   - the TLS secret: kubectl create secret tls {secret} --cert={cert} --key={key}
"""

SPAWN_HOOK = '''
# osintlab: each officer's pod runs as the officer's own uid (as on the classroom server), in the
# groups of their courses. A trainer's pod runs as the course account of their (first) course, with
# the course folder mounted in the home: the formgrader runs there, at /user/<trainer>/formgrader.
import json as _json

OSINTLAB = _json.loads({data!r})


def osintlab_pre_spawn(spawner):
    name = spawner.user.name
    if name not in OSINTLAB["uids"]:
        raise ValueError(f"{{name}} has no account in the osintlab values: run osintlab hub k8s-values again")
    spawner.uid = OSINTLAB["uids"][name]
    spawner.gid = 100
    spawner.supplemental_gids = [OSINTLAB["gids"][c] for c in OSINTLAB["member_of"].get(name, [])]
    courses = OSINTLAB["trainer_of"].get(name, [])
    paths = [OSINTLAB["config_mount"] + "/trainer-" + courses[0]] if courses else []
    paths.append(OSINTLAB["config_mount"] + ("/trainer" if courses else "/officer"))
    spawner.environment["JUPYTER_CONFIG_PATH"] = ":".join(paths)
    for course in courses:
        claim = "osintlab-course-" + course
        spawner.volumes.append({{"name": claim, "persistentVolumeClaim": {{"claimName": claim}}}})
        spawner.volume_mounts.append({{"name": claim, "mountPath": OSINTLAB["home"] + "/" + course}})


c.KubeSpawner.pre_spawn_hook = osintlab_pre_spawn
'''
COURSE_SUBCONFIG = """# osintlab: a trainer's formgrader on the cluster grades this course (mounted in the home).
c = get_config()  # noqa: F821
load_subconfig({config!r})  # noqa: F821
c.NbGrader.logfile = {log!r}
"""


def _image(reference: str, what: str) -> dict[str, str]:
    name, sep, tag = reference.rpartition(":")
    if not sep or not name or "/" in tag:
        raise UserError(_("{option} {image} needs a tag: write it as registry.example/osintlab:2026.1.").format(
            option=what, image=repr(reference)))
    return {"name": name, "tag": tag}


def _spawn_data(paths: HubPaths, courses: list[HubCourse]) -> dict[str, Any]:
    import grp

    book = AccountBook.load(paths)
    uids = {name: int(entry["uid"]) for name, entry in book.accounts.items()}  # type: ignore[call-overload]
    needed = {n for c in courses for n in [*c.officers, *c.trainers, c.grader]}
    missing = sorted(needed - set(uids))
    if missing:
        raise UserError(_("no account was made on this machine for {names}: run {command} for every course first "
                          "(the cluster keeps the same uids).").format(
            names=", ".join(missing[:5]), command=f"osintlab hub setup {paths.root}"))
    gids = {}
    for course in courses:
        try:
            gids[course.course_id] = grp.getgrnam(course.group).gr_gid
        except KeyError:
            raise UserError(_("the group {group} is missing on this machine: run {command} again.").format(
                group=course.group, command="osintlab hub setup")) from None
    member_of: dict[str, list[str]] = {}
    trainer_of: dict[str, list[str]] = {}
    pods: dict[str, int] = {}
    for course in courses:
        for name in [*course.officers, *course.trainers]:
            member_of.setdefault(name, []).append(course.course_id)
        for name in course.officers:
            pods[name] = uids[name]
        for name in course.trainers:
            trainer_of.setdefault(name, []).append(course.course_id)
            pods.setdefault(name, uids[course.grader])  # the course account of their first course
    return {"uids": dict(sorted(pods.items())), "gids": gids, "member_of": member_of, "trainer_of": trainer_of,
            "config_mount": CONFIG_MOUNT, "home": HOME}


def _jupyter_files(courses: list[HubCourse]) -> dict[str, Any]:
    """The officers' and trainers' Jupyter config (as on the classroom server), as files in every pod."""
    exchange = jupyterconfig.EXCHANGE_CONFIG.format(exchange=EXCHANGE_MOUNT)
    files: dict[str, Any] = {}
    for kind in ("officer", "trainer"):
        base = f"{CONFIG_MOUNT}/{kind}"
        files[f"osintlab-{kind}-nbgrader"] = {"mountPath": f"{base}/nbgrader_config.py", "stringData": exchange}
        files[f"osintlab-{kind}-server"] = {"mountPath": f"{base}/jupyter_server_config.json",
                                            "stringData": json.dumps(_trainer_server(kind), indent=1)}
        files[f"osintlab-{kind}-lab"] = {"mountPath": f"{base}/labconfig/page_config.json",
                                         "stringData": json.dumps(_page_config(kind), indent=1)}
    for course in courses:
        config = COURSE_SUBCONFIG.format(config=f"{HOME}/{course.course_id}/nbgrader_config.py",
                                         log=f"{HOME}/nbgrader-{course.course_id}.log")
        files[f"osintlab-course-{course.course_id}"] = {
            "mountPath": f"{CONFIG_MOUNT}/trainer-{course.course_id}/nbgrader_config.py", "stringData": config}
    return files


def _page_config(kind: str) -> dict[str, Any]:
    config = jupyterconfig._page_config(kind)
    if kind == "trainer":  # the trainer's own server grades on the cluster
        config["disabledExtensions"]["@jupyter/nbgrader:formgrader"] = False  # type: ignore[index]
        config["disabledExtensions"]["@jupyter/nbgrader:create-assignment"] = False  # type: ignore[index]
    return config


def _trainer_server(kind: str) -> dict[str, Any]:
    """On the cluster the formgrader runs in the trainers' own servers (their course folder is mounted)."""
    config = jupyterconfig._server_config(kind)
    if kind == "trainer":
        config["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] = True  # type: ignore[index]
    return config


def values(paths: HubPaths, settings: Settings, courses: list[HubCourse], *, image: str, hub_image: str,
           storage_class: str) -> dict[str, Any]:
    """The values (a plain dict) for the chart; `image`/`hub_image` are 'name:tag' references."""
    officers = sorted({n for c in courses for n in c.officers})
    trainers = sorted({n for c in courses for n in c.trainers})
    roles: dict[str, Any] = {"server": {"scopes": SERVER_SCOPES}}
    for course in courses:
        for role in course_roles(course):
            name = role.pop("name")
            role["scopes"] = [s for s in role["scopes"] if not s.startswith(("access:services", "read:services"))]
            roles[name] = role
    hub: dict[str, Any] = {
        "image": _image(hub_image, "--hub-image"),
        "config": {
            "JupyterHub": {"authenticator_class": "hub.auth.ClassroomAuthenticator", "admin_access": False},
            "Authenticator": {"allowed_users": officers + trainers, "admin_users": [],
                              "allow_existing_users": False},
            "ClassroomAuthenticator": {"enable_signup": False, "open_signup": False, "check_common_password": True,
                                       "minimum_password_length": 8, "allowed_failed_logins": 5,
                                       "seconds_before_next_try": 300},
        },
        "loadRoles": roles,
        "extraConfig": {
            "osintlab-groups": f"c.JupyterHub.load_groups = {json.dumps(groups(courses), sort_keys=True)}\n",
            "osintlab-spawn": SPAWN_HOOK.format(data=json.dumps(_spawn_data(paths, courses), sort_keys=True)),
        },
        "db": ({"type": "postgres", "url": settings.db_url} if settings.db_url and settings.db_url.startswith(
            "postgresql") else {"type": "sqlite-pvc", "pvc": {"storage": "1Gi"}}),
    }
    if settings.max_servers:
        hub["activeServerLimit"] = settings.max_servers
    hosts = [h for h in settings.hostnames if not _is_ip(h) and h != "localhost"]
    singleuser: dict[str, Any] = {
        "image": _image(image, "--image"),
        "cmd": "jupyterhub-singleuser",
        "defaultUrl": "/lab",
        "uid": 1000,  # replaced per officer by the spawn hook
        "fsGid": 100,
        "storage": {
            "type": "dynamic", "capacity": "2Gi", "dynamic": {"storageClass": storage_class},
            "extraVolumes": [{"name": EXCHANGE_CLAIM, "persistentVolumeClaim": {"claimName": EXCHANGE_CLAIM}}],
            "extraVolumeMounts": [{"name": EXCHANGE_CLAIM, "mountPath": EXCHANGE_MOUNT}],
        },
        "extraFiles": _jupyter_files(courses),
        "extraEnv": {"LANG": "C.UTF-8"},
    }
    if settings.memory_limit:
        singleuser["memory"] = {"limit": settings.memory_limit, "guarantee": "1G"}
    if settings.cpu_limit:
        singleuser["cpu"] = {"limit": settings.cpu_limit, "guarantee": min(0.5, settings.cpu_limit)}
    return {
        "hub": hub,
        "proxy": {"https": {"enabled": True, "type": "secret", "secret": {"name": TLS_SECRET}, "hosts": hosts}},
        "singleuser": singleuser,
        "cull": {"enabled": settings.idle_minutes > 0, "timeout": max(60, settings.idle_minutes * 60),
                 "every": max(60, min(600, settings.idle_minutes * 15))},
        "scheduling": {"userScheduler": {"enabled": True}},
    }


def write_values(root: Path, out: Path, *, image: str, hub_image: str | None, storage_class: str) -> Path:
    """Write the values file (atomically); UserError if the hub is not set up or an image has no tag."""
    from hub.tls import TlsFiles

    paths = HubPaths.of(root)
    settings = load(paths)
    courses = load_courses(settings)
    if not courses:
        raise UserError(_("the hub in {folder} has no course yet: run {command} with --course first.").format(
            folder=paths.root, command="osintlab hub setup"))
    if not hub_image:
        raise UserError(_("give --hub-image: the chart's hub image with osintlab installed ({command}), e.g. "
                          "registry.example/osintlab-hub:2026.1; the trainer guide shows how.").format(
            command="pip install 'osintlab[hub]'"))
    data = values(paths, settings, courses, image=image, hub_image=hub_image, storage_class=storage_class)
    files = TlsFiles(paths.tls)
    header = HEADER.format(root=paths.root, exchange=EXCHANGE_CLAIM, storage=storage_class, secret=TLS_SECRET,
                           cert=files.cert, key=files.key)
    out = Path(out)
    atomic_write_text(out, header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    out.chmod(0o600)  # it may carry the PostgreSQL URL
    return out
