"""Safety scanner throughput (issue: safe identifiers and the world validator).

Target: the scan of a medium world (~10,000 pages, ~6 MB of text, 200 JPEGs) well under 0.3 s,
inside generation's 3-second budget. Baselines measured in the same run on the same bytes:
  floor  - counting newlines in every file (a memory-speed pass that finds nothing)
  naive  - ONE simple e-mail regex over the decoded text (what a first scanner does for one
           of the eight kinds it must find)

    python benchmarks/bench_safety_scan.py [--size small|medium|large] [--repeat N]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic_data import safety
from synthetic_data.bundle import world_files
from synthetic_data.generator import generate_world

NAIVE_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
CACHES = (safety._valid_reason, safety._e164_reason, safety._local_reason, safety._authority_reason)


def best_of(repeat: int, fn: Callable[[], object], cold: bool = False) -> float:
    """Best CPU time of `repeat` runs (CPU time: other work on the machine does not count)."""
    times = []
    for _ in range(repeat):
        if cold:
            for cache in CACHES:
                cache.cache_clear()
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    files = list(world_files(generate_world("MN", "scam-compound-recruitment", 1, args.size)))
    texts = [data for name, data in files if not name.endswith(".jpg")]
    images = [(name, data) for name, data in files if name.endswith(".jpg")]
    mb = sum(map(len, texts)) / 1e6
    print(
        f"world: MN scam-compound-recruitment seed 1 {args.size}: {len(files)} files, {mb:.1f} MB text, "
        f"{len(images)} JPEGs"
    )
    safety.scan_bytes(files[:2])  # load the country packs' phone formats once, as generation has

    floor = best_of(args.repeat, lambda: [t.count(b"\n") for t in texts])
    naive = best_of(args.repeat, lambda: [list(NAIVE_EMAIL.finditer(t.decode())) for t in texts])
    cold = best_of(args.repeat, lambda: safety.scan_bytes(files), cold=True)
    warm = best_of(args.repeat, lambda: safety.scan_bytes(files))
    text_only = best_of(args.repeat, lambda: safety.scan_bytes((str(i), t) for i, t in enumerate(texts)), cold=True)
    exif = best_of(args.repeat, lambda: safety.scan_bytes(images))
    findings = len(safety.scan_bytes(files))

    print(f"{'':34}{'CPU s':>8}{'MB/s':>9}")
    for label, seconds in [
        ("baseline floor (count newlines)", floor),
        ("baseline naive (1 e-mail regex)", naive),
        ("scanner, text files only", text_only),
        ("scanner, JPEG EXIF only", exif),
        ("scanner, whole world (cold caches)", cold),
        ("scanner, whole world (warm caches)", warm),
    ]:
        print(f"{label:34}{seconds:8.3f}{mb / seconds if seconds else float('inf'):9.1f}")
    print(f"findings: {findings} (a generated world must have none)")
    print(f"ratio scanner(8 kinds)/naive(1 kind): {cold / naive:.2f}x; scanner/floor: {cold / floor:.0f}x")
    print(f"share of the 3 s generation budget: {cold / 3:.1%}; target < 0.3 s: {'met' if cold < 0.3 else 'MISSED'}")


if __name__ == "__main__":
    main()
