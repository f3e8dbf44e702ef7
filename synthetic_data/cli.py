"""`osintlab world ...`: list, generate, validate and describe case worlds."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from osintlab.errors import UserError
from osintlab.i18n import _, ngettext


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    world = sub.add_parser(
        "world",
        help=_("generate and check synthetic case worlds"),
        description=_("Generate, check and describe synthetic case worlds."),
    )
    cmds = world.add_subparsers(dest="world_command", required=True, metavar="SUBCOMMAND")

    p = cmds.add_parser("list", help=_("countries and scenarios available"))
    p.set_defaults(func=cmd_list)

    p = cmds.add_parser("generate", help=_("generate a world into DIR/case and DIR/key"))
    p.add_argument("--country", default="MN", help=_("origin country code (default MN)"))
    p.add_argument("--scenario", default="scam-compound-recruitment", help=_("scenario id (see world list)"))
    p.add_argument("--seed", type=int, default=1, help=_("seed: the same seed gives the same world"))
    p.add_argument("--size", default="small", choices=["small", "medium", "large"])
    p.add_argument("--out", type=Path, required=True, help=_("output directory (must be new or empty)"))
    p.add_argument("--force", action="store_true", help=_("replace a non-empty --out"))
    p.set_defaults(func=cmd_generate)

    p = cmds.add_parser(
        "validate", help=_("exit 1 and list every unsafe identifier and every inconsistency in a world")
    )
    p.add_argument("dir", type=Path)
    p.set_defaults(func=cmd_validate)

    p = cmds.add_parser("describe", help=_("summarise a world: counts, dates, platforms, scenario"))
    p.add_argument("dir", type=Path)
    p.set_defaults(func=cmd_describe)


def cmd_list(args: argparse.Namespace) -> int:
    from synthetic_data.country import list_countries
    from synthetic_data.coverage import coverage, list_line
    from synthetic_data.scenario import list_scenarios

    packs = list_countries()
    # Translators: 'Country packs' is the title of the handbook page.
    print(_("Countries ({count}; what each covers: handbook 'Country packs'):").format(count=len(packs)))
    for pack in packs:
        print(list_line(coverage(pack)))
    print("\n" + _("Scenarios:"))
    for scenario in list_scenarios():
        print(f"  {scenario.summary}")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from synthetic_data.generator import generate_world, write_checked

    if args.seed < 0:
        raise UserError(_("--seed {seed} is negative; use a whole number of 0 or more.").format(seed=args.seed))
    started = time.perf_counter()
    world = generate_world(args.country.upper(), args.scenario, args.seed, args.size)
    write_checked(world, args.out, force=args.force)
    counts = world.case.manifest["counts"]
    print(_("Generated {folder} in {seconds} s: {pages} pages, {accounts} accounts, {images} images, {transactions} "
            "transactions. Trainees get {case}; keep {key} apart.").format(
        folder=args.out, seconds=f"{time.perf_counter() - started:.1f}", pages=f"{counts['pages']:,}",
        accounts=f"{counts['accounts']:,}", images=counts["images"], transactions=f"{counts['transactions']:,}",
        case=args.out / "case", key=args.out / "key"))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from synthetic_data.bundle import case_dir, load_world
    from synthetic_data.consistency import format_violations, violations
    from synthetic_data.safety import format_findings, scan_world

    case_dir(args.dir)  # a clear error if this is not a world
    findings = scan_world(args.dir)
    if findings:
        print(format_findings(findings))
        print(ngettext("{count} unsafe identifier in {folder}.", "{count} unsafe identifiers in {folder}.",
                       len(findings)).format(count=len(findings), folder=args.dir), file=sys.stderr)
    if not (Path(args.dir) / "key" / "truth.json").is_file():
        print(_("{folder}: no key/ beside the case, so its consistency was not checked (the trainer has it).").format(
            folder=args.dir))
        problems: list[str] = []
    else:
        try:
            problems = violations(load_world(args.dir))
        except UserError as exc:  # a damaged file: say so with the rest, do not stop
            problems = [str(exc)]
        if problems:
            print(format_violations(problems, limit=len(problems)))
            print(ngettext("{count} inconsistency in {folder}.", "{count} inconsistencies in {folder}.",
                           len(problems)).format(count=len(problems), folder=args.dir), file=sys.stderr)
    if findings or problems:
        return 1
    print(_("{folder}: every identifier is a safe synthetic one, and the world holds together.").format(
        folder=args.dir))
    return 0


def cmd_describe(args: argparse.Namespace) -> int:
    from synthetic_data.describe import describe

    print(describe(args.dir))
    return 0
