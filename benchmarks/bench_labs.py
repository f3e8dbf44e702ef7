"""Benchmark: every lab's solution notebook in a fresh kernel (target <= 15 s, kernel start
included), and the toolkit import in a fresh kernel (target < 2 s).

Pinned to 2 cores where the OS allows. The baseline, measured in the same run, is a trivial
notebook (`1 + 1`) in a fresh kernel: the ratio says how much the lab itself costs on top of
Jupyter. Each lab's case is prepared first (as the grader does per trainee); the first-use
cost of practice mode (generating the world into the cache) is printed separately.

    .venv/bin/python benchmarks/bench_labs.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from labs import catalogue, runtime

TARGET_NOTEBOOK_S, TARGET_IMPORT_S = 15.0, 2.0
IMPORTS = "import labs, labs.scoring, sandbox.search, synthetic_data.bundle"


def run_notebook(nb: nbformat.NotebookNode, cwd: Path) -> float:
    started = time.perf_counter()
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    client.execute(stderr=subprocess.DEVNULL)  # the kernel's own log (TCP warning), not cell output
    return time.perf_counter() - started


def tiny(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])


def timed(label: str, make: object, cwd: Path, repeat: int) -> float:
    runs = [run_notebook(make(), cwd) for _ in range(repeat)]  # type: ignore[operator]
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > 2:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:2])  # kernels inherit it
    work = Path(tempfile.mkdtemp(prefix="bench-labs-"))
    os.environ[runtime.ENV_CACHE] = str(work / "cache")
    print(f"cores: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()}, "
          f"repeat: {args.repeat} (median)")

    base = timed("baseline", lambda: tiny("1 + 1"), work, args.repeat)
    imp = timed("import", lambda: tiny(IMPORTS), work, args.repeat)
    print(f"{'baseline: trivial notebook':<34} {base:6.2f} s")
    verdict = "ok" if imp - base < TARGET_IMPORT_S else "OVER"
    print(f"{'toolkit import (fresh kernel)':<34} {imp:6.2f} s  import alone {imp - base:5.2f} s "
          f"(target < {TARGET_IMPORT_S:g} s) {verdict}")

    failures = 0
    for spec in catalogue.discover():
        seed = int(spec.case["practice_seed"])
        started = time.perf_counter()
        labdir = runtime.prepare(spec.id, seed, work / spec.id)
        prep = time.perf_counter() - started
        os.environ[runtime.ENV_CASE], os.environ[runtime.ENV_KEY] = str(labdir / "case"), str(labdir / "key")
        secs = timed(spec.id, lambda spec=spec: nbformat.read(spec.notebook, as_version=4), work, args.repeat)
        ok = secs <= TARGET_NOTEBOOK_S
        failures += not ok
        print(f"{spec.id:<34} {secs:6.2f} s  x{secs / base:4.1f} baseline  prepare {prep:5.2f} s  "
              f"(target <= {TARGET_NOTEBOOK_S:g} s) {'ok' if ok else 'OVER'}")
    return 1 if failures or imp - base >= TARGET_IMPORT_S else 0


if __name__ == "__main__":
    sys.exit(main())
