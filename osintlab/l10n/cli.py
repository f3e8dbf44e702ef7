"""`osintlab i18n`: update the translation catalogues, and say how complete each language is."""

from __future__ import annotations

import argparse
from pathlib import Path

from osintlab.i18n import _
from osintlab.l10n import catalogs, glossary


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    i18n = sub.add_parser("i18n", help=_("translation catalogues (PO) of lessons, labs, messages and handbook"))
    cmds = i18n.add_subparsers(dest="i18n_command", required=True, metavar="SUBCOMMAND")
    p = cmds.add_parser("update", help=_("extract the English text and merge it into each language's catalogues"))
    p.add_argument("--lang", action="append",
                   help=_("language code (default: every language with catalogues, shipped or in progress); "
                          "repeatable"))
    p.add_argument("--no-handbook", action="store_true", help=_("skip the handbook (faster)"))
    p.set_defaults(func=cmd_update)
    p = cmds.add_parser("status", help=_("how much of each catalogue is translated"))
    p.add_argument("--lang", action="append",
                   help=_("language code (default: every language with catalogues, shipped or in progress)"))
    p.set_defaults(func=cmd_status, every=True)
    p = cmds.add_parser("check", help=_("exit 1 unless the language is complete and consistent (CI runs this)"))
    p.add_argument("--lang", action="append", help=_("language code (default: every shipped language)"))
    p.add_argument("--all", dest="every", action="store_true",
                   help=_("every language with catalogues, shipped or in progress (with --partial while in progress)"))
    p.add_argument("--partial", action="store_true", help=_("ignore untranslated and fuzzy messages"))
    p.set_defaults(func=cmd_check)


def _langs(args: argparse.Namespace) -> list[str]:
    default = catalogs.available() if getattr(args, "every", False) else [lang.code for lang in catalogs.languages()]
    chosen = args.lang or default
    for code in chosen:
        catalogs.require_language(code)
    return chosen


def cmd_update(args: argparse.Namespace) -> int:
    # Every language with catalogues: one still being translated must not miss new English text.
    langs = _langs(args) if args.lang else catalogs.available()
    for line in catalogs.update(langs, handbook=not args.no_handbook):
        print(line)
    return 0


def _catalogue_files(lang: str) -> list[Path]:
    folders = [catalogs.LOCALE / lang / "LC_MESSAGES", catalogs.HANDBOOK_LOCALE / lang / "LC_MESSAGES"]
    return sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*.po"))


def cmd_status(args: argparse.Namespace) -> int:
    for lang in _langs(args):
        files = _catalogue_files(lang)
        totals = [0, 0, 0]
        for path in files:
            done, fuzzy, total = catalogs.stats(catalogs.read_catalog(path, lang))
            totals = [totals[0] + done, totals[1] + fuzzy, totals[2] + total]
            print(f"{lang}  {done:5}/{total:<5} {fuzzy:3} fuzzy  {path.relative_to(catalogs.ROOT)}")
        share = totals[0] / totals[2] if totals[2] else 0.0
        print(f"{lang}: {totals[0]}/{totals[2]} messages translated ({share:.1%}), {totals[1]} fuzzy, "
              f"{len(files)} catalogues; glossary terms without a translation: {len(glossary.missing(lang))}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    found = []
    for lang in _langs(args):
        for path in _catalogue_files(lang):
            catalog = catalogs.read_catalog(path, lang)
            where = str(path.relative_to(catalogs.ROOT))
            found += catalogs.problems(catalog, where, lang, complete=not args.partial)
            found += glossary.problems(catalog, where, lang)
    for line in found:
        print(line)
    print(f"{len(found)} problem(s).")
    return 1 if found else 0
