"""Workshop 2 figures (issue: digital footprint analysis).

Targets, each printed with a baseline measured in the same run:
- a medium world with all the Workshop 2 material generated in <= 3 s on one core
  (baseline: the same world without the footprint step);
- the username sweep of one handle over the case's sites in <= 50 ms (baseline: the older
  fuzzy `lookup.username`, which scans every account);
- reverse image search over a medium world in <= 200 ms per query once the hashes are built
  (baseline: the pure-Python comparison loop the search used before); the one-time hashing and
  the cached reload are printed too;
- `osintlab lab check W2` (real nbgrader, five labs) in <= 3 minutes (with --lab-check).

    python benchmarks/bench_w2.py [--lab-check]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCENARIO = "scam-compound-recruitment"


def _child(code: str) -> float:
    """Seconds printed by `code`, run in a fresh process pinned to one core."""
    result = subprocess.run(["taskset", "-c", "0", sys.executable, "-c", code], cwd=REPO,
                            capture_output=True, text=True, check=True)
    return float(result.stdout.split()[-1])


def generation() -> None:
    print("== a medium world, one core (taskset -c 0), fresh process, generation only")
    with_w2 = ("import time; from synthetic_data.generator import generate_world\n"
               "generate_world('MN', 'scam-compound-recruitment', 2, 'tiny')\n"
               "t = time.perf_counter(); generate_world('MN', 'scam-compound-recruitment', 1, 'medium')\n"
               "print(time.perf_counter() - t)")
    without = with_w2.replace("from synthetic_data.generator import generate_world",
                              "from synthetic_data.generator import generate_world, footprint\n"
                              "footprint.make_footprint = lambda g: None")
    full = statistics.median(_child(with_w2) for _ in range(3))
    base = statistics.median(_child(without) for _ in range(3))
    print(f"with Workshop 2 material {full:.2f} s; without {base:.2f} s "
          f"(the footprint step costs {full - base:.2f} s, {full / base:.2f}x)")
    print(f"target medium <= 3.0 s: {'PASS' if full <= 3.0 else 'FAIL'}")


def _timed(fn, repeat: int = 20) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def tools(world: Path) -> None:
    from sandbox import open_case
    from synthetic_data.bundle import load_key

    sb = open_case(world)
    handle = load_key(world).footprints[0].seed_handle
    sb.footprint.sweep(handle)  # warm: imports, registry, account index
    sweep = _timed(lambda: sb.footprint.sweep(handle))
    permuted = _timed(lambda: sb.footprint.sweep(handle, permute=True))
    sb.lookup.username(handle)
    fuzzy = _timed(lambda: sb.lookup.username(handle), repeat=5)
    print(f"\n== username sweep over {len(sb.case.sites)} sites ({len(sb.case.accounts):,} accounts)")
    print(f"one handle {sweep * 1000:.1f} ms; with its permutations {permuted * 1000:.1f} ms; "
          f"baseline lookup.username (fuzzy over every account) {fuzzy * 1000:.1f} ms ({fuzzy / sweep:.0f}x)")
    print(f"target sweep <= 50 ms: {'PASS' if sweep <= 0.05 else 'FAIL'}")

    from sandbox.images import ImageTools

    cold = ImageTools(sb.case)
    started = time.perf_counter()
    cold.build_index()
    hashing = time.perf_counter() - started
    reload = ImageTools(sb.case)
    started = time.perf_counter()
    reload.build_index()
    cached = time.perf_counter() - started
    query = sb.case.images[len(sb.case.images) // 2].image_id
    reload.reverse_search(query)
    search = _timed(lambda: reload.reverse_search(query))
    loop = _timed(lambda: _python_loop(reload, query), repeat=3)
    print(f"\n== reverse image search over {len(sb.case.images)} images")
    print(f"hashing every image once {hashing:.2f} s; reloading the cached hashes {cached * 1000:.0f} ms")
    print(f"one query {search * 1000:.1f} ms; baseline pure-Python comparison {loop * 1000:.0f} ms "
          f"({loop / search:.0f}x)")
    print(f"target reverse search <= 200 ms: {'PASS' if search <= 0.2 else 'FAIL'}")


def _python_loop(tools, ref: str) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """The comparison the search did before it used bit counts over a matrix (the baseline)."""
    import io

    from PIL import Image as PILImage

    from sandbox.images import _views

    with PILImage.open(io.BytesIO(tools.case.read_image(ref))) as img:
        query = _views(img, mirrored=True)
    out = []
    for image in tools.case.images:
        dist, _view = min((qh - ch, qv) for qv, qh in query for _, ch in tools._hashes[image.image_id])
        if dist <= 8:
            out.append((int(dist), image.image_id))
    return out


def lab_check() -> None:
    print("\n== osintlab lab check W2 (real nbgrader: solution, blank, half-right; five labs)")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "osintlab.cli", "lab", "check", "W2"], cwd=REPO,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - started
    print(result.stdout.strip())
    print(f"{seconds:.0f} s; target <= 180 s: {'PASS' if seconds <= 180 and result.returncode == 0 else 'FAIL'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lab-check", action="store_true", help="also time osintlab lab check W2 (minutes)")
    args = parser.parse_args()
    generation()
    from synthetic_data.generator import generate_world, write_checked

    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp) / "w"
        write_checked(generate_world("MN", SCENARIO, 1, "medium"), world)
        tools(world)
    if args.lab_check:
        lab_check()
    with open("/proc/loadavg") as handle:
        print(f"\nload average while measuring: {handle.read().split()[0]} (2 cores)")


if __name__ == "__main__":
    main()
