"""`osintlab lab ...`: list the labs and self-test them with real nbgrader."""

from __future__ import annotations

import argparse
from pathlib import Path

from osintlab.i18n import _


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lab = sub.add_parser("lab", help=_("list and self-test graded labs"),
                         description=_("List the graded labs and self-test them with real nbgrader."))
    cmds = lab.add_subparsers(dest="lab_command", required=True, metavar="SUBCOMMAND")

    p = cmds.add_parser("list", help=_("every lab with its workshop, time, points and skills"))
    p.set_defaults(func=cmd_list)

    p = cmds.add_parser("check", help=_("autograde solution (full), blank (0) and half-right (partial)"))
    p.add_argument("labs", nargs="*", metavar="LAB", help=_("lab ids, or W1/W2/W3 for a workshop (default: every lab)"))
    p.add_argument("--keep", type=Path, default=None, help=_("keep the temporary course under this directory"))
    p.add_argument("--lang", default=None, help=_("check the notebooks built in this language (en, mn, bn)"))
    p.add_argument("--jobs", type=int, default=1, help=_("labs checked at once (default 1; 2 on a 2-core machine)"))
    p.set_defaults(func=cmd_check)

    p = cmds.add_parser("prepare", help=_("write a lab's case and key for one seed (what the grader does per trainee)"))
    p.add_argument("lab", metavar="LAB")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--force", action="store_true", help=_("replace a non-empty --out"))
    p.set_defaults(func=cmd_prepare)


def cmd_list(args: argparse.Namespace) -> int:
    from labs import catalogue

    print(f"{'lab':<28} {'wk':>2} {'min':>4} {'pts':>4} {'manual':>6}  title / skills")
    for spec in catalogue.discover():
        d = spec.data
        print(f"{spec.id:<28} {d['workshop']:>2} {d['minutes']:>4} {d['points']:>4g} {d.get('manual_points', 0):>6g}"
              f"  {spec.title} [{', '.join(d['skills'])}]")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from labs import check
    from osintlab.errors import UserError
    from osintlab.l10n.catalogs import require_language

    lang = require_language(args.lang)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    if args.jobs < 1:
        raise UserError(_("--jobs {jobs} must be 1 or more.").format(jobs=args.jobs))
    results = check.check_labs(args.labs or None, keep=args.keep, lang=lang, jobs=args.jobs)
    print(check.table(results))
    return 0 if all(r.ok for r in results) else 1


def cmd_prepare(args: argparse.Namespace) -> int:
    from labs import runtime

    out = runtime.prepare(args.lab, args.seed, args.out, force=args.force)
    print(_("wrote {case} (give to the trainee) and {key} (grading only)").format(case=out / "case", key=out / "key"))
    return 0
