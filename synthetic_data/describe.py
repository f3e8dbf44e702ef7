"""A readable summary of a generated world (what `osintlab world describe` prints)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from synthetic_data.bundle import load_case


def describe(path: Path) -> str:
    case = load_case(path)
    m = case.manifest
    kinds = Counter(p.kind for p in case.pages)
    rails = Counter(t.rail for t in case.transactions)
    lines = [
        f"World: {case.root.parent if case.root else path}",
        f"Scenario: {m['scenario']['title']} ({m['scenario']['id']}, {m['scenario']['kind']})",
        f"Countries: {m['countries']['origin']} -> {m['countries']['destination']}   size: {m['size']}",
        f"Period: {m['period']['first'][:10]} to {m['period']['last'][:10]} (UTC)",
        "",
        "Brief:",
        f"  {m['scenario']['brief']}",
        "",
        "Holds:",
    ]
    for name, count in m["counts"].items():
        lines.append(f"  {name.replace('_', ' '):18} {count:>7,}")
    lines += ["", "Pages by kind:"]
    lines += [f"  {kind:18} {count:>7,}" for kind, count in kinds.most_common()]
    lines += ["", "Transactions by rail:"]
    lines += [f"  {rail:18} {count:>7,}" for rail, count in rails.most_common()]
    lines += ["", "Platforms:"]
    lines += [f"  {p['name']:18} {p['kind']:12} {p['domain']}" for p in m["platforms"]]
    return "\n".join(lines)
