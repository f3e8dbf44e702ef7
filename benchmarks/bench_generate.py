"""World generation figures (issue: case-world engine).

Targets: a medium world in at most 3 s on one core with peak memory under 500 MB; a cohort
of 30 medium worlds (30 variants of one lab) in at most 60 s on both cores; a medium world of
the slowest country pack (pages in the country's language included) in at most 3 s (issue 17).
Also prints how time and size grow from small to large, and, as the baseline measured in the
same run, the cost of simply writing the same medium world's files (the floor any generator pays).

    python benchmarks/bench_generate.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from synthetic_data.bundle import world_files, write_world
from synthetic_data.generator import generate_world, write_checked
from synthetic_data.variants import variant_seed

REPO = Path(__file__).resolve().parents[1]

SCENARIO = "scam-compound-recruitment"


def one_world(seed: int, size: str = "medium", out: str | None = None, country: str = "MN") -> float:
    started = time.perf_counter()
    world = generate_world(country, SCENARIO, seed, size)
    if out:
        write_checked(world, Path(out), force=True)
    return time.perf_counter() - started


def _child_peak(size: str, country: str = "MN") -> tuple[float, float]:
    """Time and peak RSS (MB) of generating + checking + writing one world in a fresh process
    pinned to one core."""
    code = (
        "import resource, tempfile\n"
        "from benchmarks.bench_generate import one_world\n"
        f"seconds = one_world(1, {size!r}, tempfile.mkdtemp() + '/w', {country!r})\n"
        "print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    result = subprocess.run(["taskset", "-c", "0", sys.executable, "-c", code], cwd=REPO,
                            capture_output=True, text=True, check=True)
    seconds, peak = result.stdout.split()
    return float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the large world and use a 6-world cohort")
    parser.add_argument("--packs", action="store_true", help="only the per-pack figures (issue 17)")
    args = parser.parse_args()
    if args.packs:
        slowest_pack()
        return

    print("== one world, one core (taskset -c 0), fresh process: generate + safety scan + write")
    sizes = ["small", "medium"] if args.quick else ["small", "medium", "large"]
    figures = {}
    for size in sizes:
        seconds, peak = _child_peak(size)
        figures[size] = seconds
        print(f"{size:7} {seconds:6.2f} s   peak RSS {peak:7.1f} MB")
    print(f"growth medium/small {figures['medium'] / figures['small']:.1f}x"
          + (f", large/medium {figures['large'] / figures['medium']:.1f}x" if "large" in figures else ""))
    medium_ok = figures["medium"] <= 3.0
    print(f"target medium <= 3.0 s: {'PASS' if medium_ok else 'FAIL'}")

    print("\n== baseline: only writing the files of an already generated medium world")
    world = generate_world("MN", SCENARIO, 1, "medium")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        write_world(world, Path(tmp) / "w")
        write_only = time.perf_counter() - started
    total_bytes = sum(len(data) for _, data in world_files(world))
    print(f"write only {write_only:.2f} s for {total_bytes / 1e6:.1f} MB; "
          f"full generation is {figures['medium'] / write_only:.1f}x the cost of writing")

    cohort = 6 if args.quick else 30
    print(f"\n== a cohort of {cohort} medium variants of one lab, 2 worker processes")
    secret = b"benchmark-course-secret-0123456789"
    seeds = [variant_seed(secret, f"trainee-{i:02}", "w1-03-search-operators") for i in range(cohort)]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(one_world, seeds, ["medium"] * cohort, [f"{tmp}/{i}" for i in range(cohort)]))
        parallel = time.perf_counter() - started
    per_world = figures["medium"]
    print(f"{cohort} worlds in {parallel:.1f} s ({parallel / cohort:.2f} s each; "
          f"{per_world * cohort / parallel:.2f}x a one-core serial run)")
    if cohort == 30:
        print(f"target 30 worlds <= 60 s: {'PASS' if parallel <= 60 else 'FAIL'}")
    print(f"max RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    slowest_pack()


def _child_cpu(country: str, english_only: bool = False) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of generate + scan + write of one medium world in a
    fresh process pinned to one core. CPU time is what the target means on a shared machine:
    on an idle core the two agree."""
    code = (
        "import resource, tempfile, time\n"
        "from synthetic_data.generator import language\n"
        + ("language.localise = lambda g: None\n" if english_only else "")
        + "from benchmarks.bench_generate import one_world\n"
        "before = resource.getrusage(resource.RUSAGE_SELF)\n"
        f"seconds = one_world(1, 'medium', tempfile.mkdtemp() + '/w', {country!r})\n"
        "after = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print(seconds, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)\n"
    )
    result = subprocess.run(["taskset", "-c", "0", sys.executable, "-c", code], cwd=REPO,
                            capture_output=True, text=True, check=True)
    wall, cpu = result.stdout.split()
    return float(wall), float(cpu)


def slowest_pack() -> None:
    """Every pack's medium world (generate + scan + write, one core, fresh process); the slowest
    against the 3 s target; the baseline in the same run is the same world without the
    language step (what pages in the country's language cost)."""
    from synthetic_data.country import list_countries

    print(f"\n== a medium world of every country pack, one core, fresh process: generate + scan + write "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    cpu = {}
    for pack in list_countries():
        wall, cpu[pack.code] = _child_cpu(pack.code)
        print(f"{pack.code}  {cpu[pack.code]:5.2f} s CPU   {wall:5.2f} s wall")
    slowest = max(cpu, key=lambda code: cpu[code])
    _, english = _child_cpu(slowest, english_only=True)
    print(f"slowest pack {slowest}: {cpu[slowest]:.2f} s CPU; the same world without its local-language pages "
          f"{english:.2f} s ({cpu[slowest] / english:.2f}x)")
    print(f"target slowest pack's medium world <= 3.0 s (CPU): {'PASS' if cpu[slowest] <= 3.0 else 'FAIL'}")


if __name__ == "__main__":
    main()
