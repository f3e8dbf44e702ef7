"""Sandbox start-up figures (issue: sandbox tools). Target: import of the sandbox and first
search in a fresh kernel under 2 s.

Each figure is measured in a fresh Python process (as a new notebook kernel is), on a
medium world: `import sandbox`, `open_case`, the first search with the index already
built (the normal case: the index is cached beside the world) and with no index (the very
first use of a world). The baseline, measured in the same run, is a bare interpreter that
imports nothing. Also printed: the first call of each other tool, for information.

    python benchmarks/bench_sandbox_import.py [--size medium] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_S = 2.0

# Runs in the child; prints one JSON object of timings in seconds.
CHILD = """
import json, sys, time
t0 = time.perf_counter()
import sandbox
t1 = time.perf_counter()
sb = sandbox.open_case(sys.argv[1], workdir=sys.argv[2])
t2 = time.perf_counter()
res = sb.search("work visa")
t3 = time.perf_counter()
out = {"import": t1 - t0, "open": t2 - t1, "search": t3 - t2, "total": t3 - t0, "hits": res.total}
if sys.argv[3] == "tools":
    for name, call in [
        ("lookup.username", lambda: sb.lookup.username(sb.case.accounts[0].username)),
        ("archive.index", lambda: sb.archive.index(sb.case.platforms[0].domain)),
        ("images.exif_table", lambda: sb.images.exif_table()),
        ("images.reverse_search", lambda: sb.images.reverse_search(sb.case.images[0].image_id)),
        ("images.reverse_search again", lambda: sb.images.reverse_search(sb.case.images[1].image_id)),
        ("widgets.search", lambda: sb.widgets.search()),
    ]:
        start = time.perf_counter()
        call()
        out[name] = time.perf_counter() - start
print(json.dumps(out))
"""


def child(case: Path, work: Path, mode: str = "") -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", CHILD, str(case), str(work), mode or "-"], capture_output=True,
                            text=True, check=True, cwd=ROOT)
    return json.loads(result.stdout)


def bare() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from synthetic_data.bundle import write_world
    from synthetic_data.generator import generate_world

    tmp = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    try:
        world = write_world(generate_world("MN", "scam-compound-recruitment", 1, args.size), tmp / "w")
        counts = json.loads((world / "case" / "manifest.json").read_text())["counts"]
        print(f"{args.size} world: {counts['pages']} pages, {counts['accounts']} accounts, {counts['images']} images")

        cold = child(world, tmp / "work")  # builds the search index beside the case
        warm = [child(world, tmp / "work") for _ in range(args.runs)]
        base = statistics.median(bare() for _ in range(args.runs))

        def med(key: str) -> float:
            return statistics.median(r[key] for r in warm)

        print(f"baseline: bare interpreter start       {base * 1000:8.1f} ms")
        for key in ("import", "open", "search"):
            print(f"import sandbox + first search: {key:<9} {med(key) * 1000:8.1f} ms")
        total = med("total") + base
        print(f"fresh process to first result (median of {args.runs}): {total * 1000:.1f} ms "
              f"= {total / TARGET_S:.2f} x the {TARGET_S:.0f} s target; "
              f"{med('total') / base:.1f} x the bare interpreter start")
        print(f"first ever search (index built):      {(cold['total'] + base) * 1000:8.1f} ms "
              f"= {(cold['total'] + base) / TARGET_S:.2f} x target")
        tools = child(world, tmp / "work", "tools")
        for key, value in tools.items():
            if "." in key:
                print(f"  first {key:<28} {value * 1000:8.1f} ms")
        verdict = "MEETS" if total <= TARGET_S else "MISSES"
        print(f"{verdict} the target of {TARGET_S:.0f} s to first search in a fresh kernel")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
