"""`osintlab`: one entry point; each package registers its own subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from osintlab import __version__
from osintlab.errors import UserError
from osintlab.i18n import _


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="osintlab",
        description="Counter-trafficking OSINT training labs: case worlds, sandbox, labs, grading.",
    )
    parser.add_argument("--version", action="version", version=f"osintlab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # Imported here so `osintlab --help` stays fast and each package owns its commands.
    from synthetic_data import cli as world_cli

    world_cli.register(sub)
    for module in ("sandbox.cli", "labs.cli", "grader.cli", "osintlab.course", "osintlab.l10n.cli", "hub.cli"):
        try:
            mod = __import__(module, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        mod.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(_("osintlab: error: {message}").format(message=exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(_("osintlab: interrupted; nothing was left half-written."), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
