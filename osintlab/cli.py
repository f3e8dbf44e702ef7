"""`osintlab`: one entry point; each package registers its own subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from osintlab import __version__, i18n
from osintlab.errors import UserError
from osintlab.i18n import N_, _

# argparse's own words (Python's "argparse" module calls gettext's default domain, for which Python
# ships no catalogues): the ones an officer or trainer meets, translated in our catalogue.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    # Translators: argparse's error line; keep %(prog)s and %(message)s and the line break at the end.
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
)


def speak_argparse() -> None:
    """Let argparse's own words (usage:, options, errors) come from our catalogue, in the current
    language; a word the catalogue lacks stays in English, as before."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    """The `osintlab` parser, its help in the current language (OSINTLAB_LANG, or the course's)."""
    speak_argparse()
    parser = argparse.ArgumentParser(
        prog="osintlab",
        description=_("Counter-trafficking OSINT training labs: case worlds, sandbox, labs, grading."),
    )
    parser.add_argument("--version", action="version", version=f"osintlab {__version__}",
                        help=_("show program's version number and exit"))  # argparse 3.11 leaves it English
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
        with i18n.speaking(getattr(exc, "language", None) or i18n.language()):
            print(_("osintlab: error: {message}").format(message=exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(_("osintlab: interrupted; nothing was left half-written."), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
