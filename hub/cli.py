"""`osintlab hub ...`: the classroom server (JupyterHub with nbgrader) for several cohorts.

Every command speaks the language of the hub's courses (grader.language) when they share one
(`hub setup`: the language of the course it sets up); OSINTLAB_LANG, when set, wins, so the trainer
of a hub with courses in several languages chooses. The help is in the language of OSINTLAB_LANG
(the parser is made before the hub is known).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
from collections.abc import Callable
from pathlib import Path

from osintlab.i18n import _, ngettext


def _port(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(_("--port {value} must be between 1 and 65535").format(value=text))
    return value


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    hub = sub.add_parser("hub", help=_("the classroom server: JupyterHub with nbgrader for several cohorts"),
                         description=_("The classroom server: officers log in from their laptops over HTTPS on the "
                                     "local network; trainers grade in each course's formgrader."))
    cmds = hub.add_subparsers(dest="hub_command", required=True, metavar="SUBCOMMAND")

    p = cmds.add_parser("setup", help=_("set the server up for a course (run once per cohort; safe to run again)"))
    p.add_argument("hub", type=Path, help=_("the hub's folder, e.g. /srv/osintlab-hub (made if missing)"))
    p.add_argument("--course", type=Path, required=True,
                   help=_("the cohort course folder, e.g. /srv/osintlab-hub/courses/mn-2026-cohort1"))
    p.add_argument("--trainer", action="append", default=[], metavar="LOGIN",
                   help=_("a trainer of this course (repeat for several); they get the course's formgrader"))
    p.add_argument("--country", help=_("with --roster: create the course for this country pack, e.g. MN"))
    p.add_argument("--roster", type=Path, help=_("with --country: CSV trainee_id,name,agency,email; "
                   "trainee ids are the officers' login names"))
    p.add_argument("--lang", help=_("with --roster: the new course's language, for officers and for these "
                                    "commands (en, or a language with catalogues: osintlab i18n status; default en)"))
    p.add_argument("--host", action="append", default=[], metavar="NAME",
                   help=_("a name or IP address officers type to reach the server (repeat; default: this "
                        "machine's name and addresses); all go into the certificate"))
    p.add_argument("--ip", help=_("address to listen on (default: every network card)"))
    p.add_argument("--port", type=_port, help=_("HTTPS port (default 443)"))
    p.add_argument("--db-url", help=_("the hub's database, e.g. postgresql://hub:PASSWORD@localhost/hub "
                   "(default SQLite in the hub folder)"))
    p.add_argument("--spawner", choices=("auto", "local", "systemd"),
                   help=_("how officers' servers run: systemd (memory and CPU limits) or local processes "
                        "(no limits); default auto"))
    p.add_argument("--memory", dest="memory_limit", help=_("memory per officer server, e.g. 2G (systemd only)"))
    p.add_argument("--cpus", dest="cpu_limit", type=float, help=_("CPUs per officer server, e.g. 1 (systemd only)"))
    p.add_argument("--idle-minutes", type=int, help=_("stop servers idle this long (default 60; 0: never)"))
    p.add_argument("--max-servers", type=int, help=_("officers' servers running at once (default 0: no limit)"))
    p.set_defaults(func=_speaking(cmd_setup))

    p = cmds.add_parser("start", help=_("start the hub in the background (logs in HUB/logs)"))
    p.add_argument("hub", type=Path, help=_("the hub's folder"))
    p.add_argument("--foreground", action="store_true", help=_("stay in the foreground (for a systemd unit)"))
    p.set_defaults(func=_speaking(cmd_start))

    p = cmds.add_parser("stop", help=_("stop the hub and every server; accounts, work and grades are kept"))
    p.add_argument("hub", type=Path, help=_("the hub's folder"))
    p.set_defaults(func=_speaking(cmd_stop))

    p = cmds.add_parser("status", help=_("is the hub running, at which address, who is online (exit 3: stopped)"))
    p.add_argument("hub", type=Path, help=_("the hub's folder"))
    p.set_defaults(func=_speaking(cmd_status))

    p = cmds.add_parser("logs", help=_("the end of the hub's log (hub, proxy, officers' servers)"))
    p.add_argument("hub", type=Path, help=_("the hub's folder"))
    p.add_argument("--lines", type=int, default=60, help=_("how many lines (default 60)"))
    p.add_argument("--follow", action="store_true", help=_("keep printing new lines (Ctrl+C stops)"))
    p.add_argument("--course", help=_("nbgrader's log of this course id instead"))
    p.set_defaults(func=_speaking(cmd_logs))

    p = cmds.add_parser("password", help=_("give a login a new initial password (on a new slip)"))
    p.add_argument("hub", type=Path, help=_("the hub's folder"))
    p.add_argument("login", help=_("the officer's or trainer's login name"))
    p.set_defaults(func=_speaking(cmd_password))

    p = cmds.add_parser("remove-accounts", help=_("at the end: delete the Unix accounts and groups this hub made"))
    p.add_argument("hub", type=Path, help=_("the hub's folder"))
    p.add_argument("--delete-homes", action="store_true", help=_("also delete their home folders (their work)"))
    p.set_defaults(func=_speaking(cmd_remove_accounts))

    p = cmds.add_parser("k8s-values", help=_("a Zero to JupyterHub values file for the same set-up on Kubernetes"))
    p.add_argument("hub", type=Path, help=_("the hub's folder"))
    p.add_argument("--image", required=True, help=_("the single-user image with osintlab, e.g. "
                   "registry.example/osintlab:2026.1"))
    p.add_argument("--hub-image", required=True, help=_("the chart's hub image with osintlab[hub] installed, e.g. "
                   "registry.example/osintlab-hub:2026.1"))
    p.add_argument("--storage-class", default="nfs-client",
                   help=_("a storage class whose volumes many nodes can mount at once (ReadWriteMany) for the "
                        "exchange and the courses (default nfs-client)"))
    p.add_argument("--out", type=Path, default=Path("osintlab-values.yaml"), help=_("the values file to write"))
    p.set_defaults(func=_speaking(cmd_k8s_values))


def hub_language(hub: Path, course: Path | None = None) -> str | None:
    """The language `osintlab hub` speaks for the hub in `hub`: the language of `course` when given,
    else the one language its courses share; None (English, or OSINTLAB_LANG) when they have several,
    or the hub is not set up yet."""
    from grader.language import course_language
    from hub import settings
    from hub.courses import shared_language
    from hub.layout import HubPaths
    from osintlab.errors import UserError

    if course is not None:
        return course_language(course)
    paths = HubPaths.of(hub)
    if not settings.exists(paths):
        return None
    try:
        return shared_language(settings.load(paths))
    except (UserError, OSError):  # a broken or unreadable hub.yml: the command says so, in English or OSINTLAB_LANG
        return None


def _setup_language(args: argparse.Namespace) -> str | None:
    """`hub setup` speaks the language of the course it sets up (--lang for a new one)."""
    from osintlab.errors import UserError
    from osintlab.l10n.catalogs import require_language

    try:
        return require_language(args.lang) if args.lang else hub_language(args.hub, args.course)
    except UserError:  # a --lang without catalogues: setup says so, in English
        return None


def _speaking(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """`command` in the hub's language (unless OSINTLAB_LANG or set_language() chose one), giving
    back the language chosen before it once it is done."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        from osintlab import i18n

        before = i18n.chosen_language()
        try:
            if before is None and not os.environ.get(i18n.ENV_LANG):
                i18n.set_language(_setup_language(args) if command is cmd_setup else hub_language(args.hub))
            return command(args)
        finally:
            i18n.set_language(before)

    return run


def _hub(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from hub.layout import HubPaths

    return HubPaths.of(args.hub)


def cmd_setup(args: argparse.Namespace) -> int:
    from hub.provision import SetupOptions, setup

    opts = SetupOptions(course=args.course, trainers=args.trainer, country=args.country, roster=args.roster,
                        lang=args.lang,
                        ip=args.ip, port=args.port, hostnames=args.host, db_url=args.db_url, spawner=args.spawner,
                        memory_limit=args.memory_limit, cpu_limit=args.cpu_limit, idle_minutes=args.idle_minutes,
                        max_servers=args.max_servers)
    print("\n".join(setup(args.hub, opts)))
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    from hub.accounts import require_root
    from hub.process import start

    require_root("osintlab hub start")
    urls = start(_hub(args), foreground=args.foreground)
    logs = f"osintlab hub logs {args.hub}"
    if len(urls) > 1:
        print(_("The hub is running. Officers open {url} (or {others}). Logs: {command}").format(
            url=urls[0], others=", ".join(urls[1:3]), command=logs))
    else:
        print(_("The hub is running. Officers open {url}. Logs: {command}").format(url=urls[0], command=logs))
    return 0


def cmd_stop(args: argparse.Namespace) -> int:
    from hub.accounts import require_root
    from hub.process import stop

    require_root("osintlab hub stop")
    print(stop(_hub(args)))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from hub.accounts import require_root
    from hub.process import status

    require_root("osintlab hub status")
    up, lines = status(_hub(args))
    print("\n".join(lines))
    return 0 if up else 3


def cmd_logs(args: argparse.Namespace) -> int:
    from hub.accounts import require_root
    from hub.process import show_logs

    require_root("osintlab hub logs")
    with contextlib.suppress(KeyboardInterrupt):
        show_logs(_hub(args), lines=args.lines, follow=args.follow, course=args.course)
    return 0


def cmd_password(args: argparse.Namespace) -> int:
    from hub.accounts import require_root
    from hub.provision import new_password_for

    require_root("osintlab hub password")
    print(new_password_for(_hub(args), args.login))
    return 0


def cmd_remove_accounts(args: argparse.Namespace) -> int:
    from hub.accounts import AccountBook, require_root
    from hub.process import running
    from osintlab.errors import UserError

    require_root("osintlab hub remove-accounts")
    paths = _hub(args)
    if running(paths):
        raise UserError(_("the hub is running: stop it first ({command}).").format(
            command=f"osintlab hub stop {paths.root}"))
    removed = AccountBook.load(paths).remove_all(delete_homes=args.delete_homes, paths=paths)
    done = ngettext("Removed {count} account and this hub's groups.", "Removed {count} accounts and this hub's groups.",
                    len(removed)).format(count=len(removed))
    if not args.delete_homes:
        done += " " + _("Their home folders are kept in {folder}.").format(folder=paths.home)
    print(done)
    return 0


def cmd_k8s_values(args: argparse.Namespace) -> int:
    from hub.accounts import require_root
    from hub.k8s import write_values

    require_root("osintlab hub k8s-values")
    path = write_values(args.hub, args.out, image=args.image, hub_image=args.hub_image,
                        storage_class=args.storage_class)
    # Translators: keep the helm command as it is; 'Beyond one server' is the trainer guide's section title.
    print(_("Zero to JupyterHub values: {path} ({command}; see the trainer guide, 'Beyond one server').").format(
        path=path, command=f"helm upgrade --install osintlab jupyterhub/jupyterhub --values {path}"))
    return 0
