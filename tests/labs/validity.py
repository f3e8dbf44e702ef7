"""Does a lab's grade mean the skill? The sweep every lab's validity tests run.

Over many seeds (each a trainee's case variant), three kinds of answerer fill in every part:

- **no-skill** answerers: answers that need no skill (the same label everywhere, every label,
  nothing, everything visible, operators without words, keyword rules over the brief);
- the **neighbour**: another trainee's right answer (the key of another seed) handed in on
  this trainee's case;
- the **careful reader**: an independent solver that uses only what a trainee sees (the printed
  exercise, the case through the sandbox: search, pages, lookups) and follows the brief's rules.

Each answer is scored by the lab's own `score` with the key of the trainee's case. The lab is
valid when, per graded part, every no-skill answerer's median share is at most 40 %, the
neighbour's at most 75 %, and the careful reader's median at least 90 % (figures in the team's
standards, DESIGN.md "Valid grading").

Answerers live in the tests (tests/labs/...), never in the installed packages: a careful reader
is a solver, and a trainee's kernel must not be able to import one.

    sweep = run_sweep("w1-04-job-ad-triage", no_skill={"one label": one_label}, careful=reader)
    print(sweep.table()); sweep.assert_valid()

`python -m tests.labs.validity` prints the table of every lab that registers answerers in
`tests/labs/answerers/` (a module per lab exposing NO_SKILL and CAREFUL).
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from labs import catalogue, runtime, scoring

NO_SKILL_MAX = 0.40  # median share of a part's points an answer needing no skill may earn
NEIGHBOUR_MAX = 0.75  # median share another trainee's right answer may earn on this case
CAREFUL_MIN = 0.90  # median share the careful reader must earn on every part
SEEDS = int(os.environ.get("OSINTLAB_VALIDITY_SEEDS", "200"))
WORKERS = 2
NEIGHBOUR = "neighbour's answer"
CAREFUL = "careful reader"


@dataclass
class TraineeView:
    """What a trainee sees of one variant: the exercise (case/lab.json) and the case. Never the key."""

    lab_id: str
    seed: int
    exercise: dict[str, Any]
    case_dir: Path

    @cached_property
    def module(self) -> Any:
        return runtime.lab_module(catalogue.get(self.lab_id))

    @property
    def brief_text(self) -> str:
        """The exercise as the notebook prints it (`lab.show()` in plain text)."""
        return str(self.module.render(self.exercise))

    @cached_property
    def sandbox(self) -> Any:
        """The offline toolkit over the trainee's case: search, lookups, archive, images."""
        from sandbox import open_case

        return open_case(self.case_dir)

    @cached_property
    def case(self) -> Any:
        from synthetic_data.bundle import load_case

        return load_case(self.case_dir)


Answerer = Callable[[TraineeView], Mapping[str, Any]]  # part -> answer; a missing part is "no answer"


@dataclass
class Sweep:
    """Shares (score / part points, 0..1) per answerer, per part, one per seed."""

    lab_id: str
    parts: dict[str, float]
    generic: frozenset[str]
    no_skill: list[str]
    shares: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    country: str | None = None  # None: the lab's own country pack

    def median(self, answerer: str, part: str) -> float:
        return statistics.median(self.shares[answerer][part])

    def seeds(self) -> int:
        return len(next(iter(self.shares[CAREFUL].values())))

    def problems(self) -> list[str]:
        out = []
        for part in self.parts:
            for name in self.no_skill:
                if self.median(name, part) > NO_SKILL_MAX:
                    out.append(f"{part}: no-skill answer {name!r} earns {self.median(name, part):.0%} (max 40%)")
            if part not in self.generic and self.median(NEIGHBOUR, part) > NEIGHBOUR_MAX:
                out.append(f"{part}: a neighbour's answer earns {self.median(NEIGHBOUR, part):.0%} (max 75%)")
            if self.median(CAREFUL, part) < CAREFUL_MIN:
                out.append(f"{part}: the careful reader earns only {self.median(CAREFUL, part):.0%} (min 90%)")
        return out

    def table(self) -> str:
        """Markdown table: median share (and worst seed for the careful reader) per answerer and part."""
        parts = list(self.parts)
        where = f", {self.country} worlds" if self.country else ""
        lines = [f"### {self.lab_id} ({self.seeds()} seeds{where})", "",
                 "| answerer | " + " | ".join(f"{p} ({self.parts[p]:g} pts)" for p in parts) + " |",
                 "|---|" + "---|" * len(parts)]
        for name in [*self.no_skill, NEIGHBOUR, CAREFUL]:
            cells = []
            for part in parts:
                values = self.shares[name][part]
                cell = f"{statistics.median(values):.0%}"
                if name == CAREFUL:
                    cell += f" (min {min(values):.0%})"
                cells.append(cell)
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def assert_valid(self) -> None:
        """Keep the table in test-artifacts/validity/ (figures for lab authors and closing notes), then
        fail with the problems and the table if any threshold is missed."""
        problems = self.problems()
        folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "validity"
        folder.mkdir(parents=True, exist_ok=True)
        where = f"-{self.country}" if self.country else ""
        (folder / f"{self.lab_id}{where}-{self.seeds()}-seeds.md").write_text(self.table() + "\n", encoding="utf-8")
        assert not problems, "\n".join([*problems, "", self.table()])


# ---------------------------------------------------------------- running a sweep


@dataclass
class _Job:
    lab_id: str
    no_skill: dict[str, Answerer]
    careful: Answerer
    country: str | None = None


_JOB: _Job | None = None  # set before forking: workers inherit the answerers (lambdas are fine)


def _variant(lab_id: str, seed: int, work: Path, country: str | None = None) -> tuple[runtime.Lab, TraineeView] | None:
    """Prepare one variant (in `country`'s world: a cohort's country); the key is moved away from
    the case so a solver cannot find it."""
    try:
        out = runtime.prepare(lab_id, seed, work / f"s{seed}", country=country)
    except runtime.UnsuitableSeed:
        return None  # the cohort release skips such seeds too
    key_dir = work / f"key-{seed}"
    shutil.move(str(out / "key"), key_dir)
    spec = catalogue.get(lab_id)
    lab = runtime.Lab(spec, out / "case", key_dir)
    view = TraineeView(lab_id, seed, dict(lab.exercise), out / "case")
    return lab, view


def _share(lab: runtime.Lab, part: str, answer: Any) -> float:
    return lab.score(part, scoring.plain_or_none(answer)) / lab.module.PARTS[part]


def _run_chunk(seeds: list[int]) -> dict[str, dict[str, list[float]]]:
    assert _JOB is not None
    job = _JOB
    out: dict[str, dict[str, list[float]]] = {}

    def add(name: str, part: str, value: float) -> None:
        out.setdefault(name, {}).setdefault(part, []).append(value)

    with tempfile.TemporaryDirectory(prefix="validity-") as tmp:
        previous_reference: dict[str, Any] | None = None
        variants = (_variant(job.lab_id, seed, Path(tmp), job.country) for seed in seeds)
        for made in variants:
            if made is None:
                continue
            lab, view = made
            parts = lab.module.PARTS
            answers = {name: dict(answerer(view)) for name, answerer in job.no_skill.items()}
            answers[CAREFUL] = dict(job.careful(view))
            reference = {part: lab.reference_answer(part) for part in parts}
            if previous_reference is not None:
                answers[NEIGHBOUR] = previous_reference
            for name, given in answers.items():
                for part in parts:
                    add(name, part, _share(lab, part, given[part]) if part in given else 0.0)
            previous_reference = reference
            shutil.rmtree(view.case_dir.parent, ignore_errors=True)
    return out


def run_sweep(lab_id: str, *, no_skill: Mapping[str, Answerer], careful: Answerer,
              seeds: Iterable[int] | None = None, workers: int = WORKERS, country: str | None = None) -> Sweep:
    """Score every answerer on every seed's variant of `lab_id` (in `workers` processes), in the
    lab's own country pack or in `country`'s (as a cohort in that country gets it)."""
    global _JOB
    spec = catalogue.get(lab_id)
    module = runtime.lab_module(spec)
    seed_list = list(seeds if seeds is not None else range(1, SEEDS + 1))
    _JOB = _Job(lab_id, dict(no_skill), careful, country)
    chunks = [seed_list[i::workers] for i in range(workers)] if workers > 1 else [seed_list]
    try:
        if workers > 1:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_run_chunk, chunks)
        else:
            results = [_run_chunk(seed_list)]
    finally:
        _JOB = None
    sweep = Sweep(lab_id, dict(module.PARTS), frozenset(getattr(module, "GENERIC_PARTS", ())), list(no_skill),
                  country=country)
    for result in results:
        for name, per_part in result.items():
            for part, values in per_part.items():
                sweep.shares.setdefault(name, {}).setdefault(part, []).extend(values)
    return sweep


def main(argv: list[str]) -> int:
    """Print the validity table of each lab with answerers (all, or those named)."""
    folder = Path(__file__).parent / "answerers"
    names = sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))
    chosen = [n for n in names if not argv or any(a.replace("-", "_") in n for a in argv)]
    for name in chosen:
        answerers = importlib.import_module(f"tests.labs.answerers.{name}")
        sweep = run_sweep(answerers.LAB, no_skill=answerers.NO_SKILL, careful=answerers.CAREFUL)
        print(sweep.table(), "\n")
        for problem in sweep.problems():
            print("PROBLEM:", problem)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
