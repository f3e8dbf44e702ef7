"""`osintlab cohort release DIR LAB|W1|W2|W3`: each trainee gets the lab and their own case.

For each lab:
1. the lab's notebook, its instructions in the course's language (labs.notebook.built), goes into
   source/<lab>/ with a cohort pointer (osintlab-lab.json: {"lab", "cohort_cases", and "lang" unless
   English}), and nbgrader's generate_assignment makes the student version (checked for leaks);
2. every trainee's case variant is generated from the course secret (in parallel): the trainer
   keeps case + key in .osintlab/variants/, the trainee's read-only copy of the case goes to
   <exchange>/<course>/cases/<lab>/<trainee>/ (without the answer-checking hints unless asked);
3. nbgrader's release_assignment puts the notebook in the exchange for `fetch_assignment`.
Re-running is safe: existing variants are kept (a trainee's case never changes under them), and a
lab keeps the language it was first released in (officers may have fetched it already).
`give_cases` is also how officers added later (`osintlab cohort add`) get their cases.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader.cohort import (
    STATE,
    backup_gradebook,
    course_exchange,
    course_state,
    gradebook_url,
    open_gradebook,
    read_secret,
    trainees_of,
)
from grader.language import ENGLISH, lab_language, language_name
from grader.nbconfig import check_result, nbgrader_api
from grader.progress import bar
from grader.variants import cases_root, trainee_case, variant_dir
from labs import catalogue
from labs.catalogue import LabSpec
from osintlab.errors import UserError
from osintlab.fsutil import atomic_directory, atomic_write_text
from osintlab.i18n import _, ngettext

MAX_ATTEMPTS = 12  # candidate seeds per trainee and lab


def resolve_labs(target: str) -> list[LabSpec]:
    """A lab id, or W1 / W2 / W3 for every lab of that workshop."""
    if target.upper() in ("W1", "W2", "W3"):
        number = int(target[1])
        specs = [s for s in catalogue.discover() if int(s.data["workshop"]) == number]
        if not specs:
            raise UserError(_("workshop {workshop} has no labs yet: release a lab id instead "
                              "(osintlab lab list shows them).").format(workshop=target.upper()))
        return specs
    return [catalogue.get(target)]


@dataclass(frozen=True)
class VariantJob:
    course: str
    lab: str
    trainee: str
    seed: int
    country: str
    hints: bool


def release(course: Path, target: str, *, workers: int = 2, hints: bool = False,
            due: datetime | None = None) -> list[str]:
    """Release the lab(s) of `target`; returns one summary line per lab. `due` (UTC, naive as nbgrader
    keeps it) sets the lab's due date in the gradebook, against which lateness is reported."""
    course = Path(course).resolve()
    trainees = [t.trainee_id for t in trainees_of(course)]
    specs = resolve_labs(target)
    api = nbgrader_api(course)
    backup_gradebook(course, "before-release")
    refresh_pointers(course)
    lines = []
    for spec in specs:
        lang = lab_language(course, spec.id)
        _stage_source(course, spec, lang)  # nbgrader's own answer placeholders stay, as in every language
        # Translators: shown after "nbgrader could not"; {lab} is a lab id such as w1-02-opsec-audit.
        check_result(api.generate_assignment(spec.id, force=True),
                     _("generate the student version of {lab}").format(lab=spec.id))
        _refuse_leaks(course, spec)
        if due is not None:
            _set_due(course, spec.id, due)
        made, moved, apart = give_cases(course, spec, trainees, workers=workers, hints=hints)
        _remember(course, spec.id, hints, lang)
        shutil.rmtree(course_exchange(course) / "outbound" / spec.id, ignore_errors=True)
        # Translators: shown after "nbgrader could not"; {lab} is a lab id.
        check_result(api.release_assignment(spec.id), _("release {lab} to the exchange").format(lab=spec.id))
        lines.append(_release_line(spec.id, len(trainees), made, moved, apart, due, lang))
    return lines


def _release_line(lab: str, trainees: int, made: int, moved: int, apart: bool, due: datetime | None,
                  lang: str) -> str:
    details = ngettext("{count} new case variant", "{count} new case variants", made).format(count=made)
    if moved:
        details = _("{variants}, {moved} regenerated to keep variants apart").format(variants=details, moved=moved)
    line = ngettext("{lab}: released to {trainees} trainee ({details}).",
                    "{lab}: released to {trainees} trainees ({details}).", trainees).format(
        lab=lab, trainees=trainees, details=details)
    if lang != ENGLISH:
        line += " " + _("In {language} ({code}).").format(language=language_name(lang), code=lang)
    if due is not None:
        line += " " + _("Due {due} UTC.").format(due=f"{due:%Y-%m-%d %H:%M}")
    if not apart:
        line += " " + _("Warning: some variants stay close to each other (copied answers may score).")
    return line


def give_cases(course: Path, spec: LabSpec, trainees: list[str], *, workers: int,
               hints: bool) -> tuple[int, int, bool]:
    """Make the case variant of every trainee who has none yet, and keep new ones apart from the rest.

    Returns (variants made, variants regenerated to keep them apart, whether all are apart).
    """
    from synthetic_data.variants import variant_seed

    state = course_state(course)
    secret = read_secret(course)
    jobs = [VariantJob(str(course), spec.id, t, variant_seed(secret, t, spec.id), str(state["country"]), hints)
            for t in trainees]
    made = _run_variants(jobs, workers, spec.id)
    moved, apart = _spread(course, spec, jobs)
    return made, moved, apart


def released_labs(course: Path) -> dict[str, dict[str, Any]]:
    """{lab id: {"hints": bool, "lang": code (absent: English)}} for every lab this course has released."""
    path = Path(course) / STATE / "released.json"
    labs: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    for folder in sorted((Path(course) / "release").glob("*/")):  # released before released.json existed
        if folder.name not in labs:
            markers = sorted((Path(course) / STATE / "variants" / folder.name).glob("*/variant.json"))
            hints = bool(markers and json.loads(markers[0].read_text(encoding="utf-8")).get("hints"))
            labs[folder.name] = {"hints": hints}
    return labs


def _remember(course: Path, lab: str, hints: bool, lang: str) -> None:
    labs = released_labs(course)
    labs[lab] = {"hints": hints, **({"lang": lang} if lang != ENGLISH else {})}
    atomic_write_text(Path(course) / STATE / "released.json", json.dumps(labs, indent=1, sort_keys=True) + "\n")


def parse_due(text: str) -> datetime:
    """A due date typed by a trainer ("2026-11-20 17:00", or ISO 8601 with an offset such as
    "2026-11-20T17:00+08:00") as naive UTC, as nbgrader stores it. Without an offset the date is in
    this server's local time zone. Raises UserError for anything else."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(_("--due {value} is not a date and time: write it like 2026-11-20 17:00 "
                          "(the server's local time) or 2026-11-20T17:00+08:00.").format(value=repr(text))) from None
    if value.tzinfo is None:
        value = value.astimezone()  # the server's local time zone
    return value.astimezone(UTC).replace(tzinfo=None)


def _set_due(course: Path, lab: str, due: datetime) -> None:
    with open_gradebook(gradebook_url(course)) as gb:
        gb.update_or_create_assignment(lab, duedate=due)


def refresh_pointers(course: Path) -> int:
    """Point every released copy of the labs (source/, release/, the exchange's outbound/) at this
    course's cases, e.g. after the course folder was moved or copied. Returns how many were rewritten."""
    from labs.runtime import POINTER_FILE

    course = Path(course).resolve()
    folders = [course / "source", course / "release", course_exchange(course) / "outbound"]
    rewritten = 0
    for pointer in (p for folder in folders for p in sorted(folder.glob(f"*/{POINTER_FILE}"))):
        data = json.loads(pointer.read_text(encoding="utf-8"))
        wanted = str(cases_root(course, str(data.get("lab"))))
        if data.get("cohort_cases") and data["cohort_cases"] != wanted:
            mode = pointer.stat().st_mode & 0o777
            atomic_write_text(pointer, json.dumps({**data, "cohort_cases": wanted}, indent=1) + "\n")
            os.chmod(pointer, mode)
            rewritten += 1
    return rewritten


def _stage_source(course: Path, spec: LabSpec, lang: str) -> Path:
    """The lab's nbgrader source notebook in `lang`, and its cohort pointer, in source/<lab>/."""
    from labs.notebook import built
    from labs.runtime import POINTER_FILE

    folder = course / "source" / spec.id
    folder.mkdir(parents=True, exist_ok=True)
    notebook = folder / spec.notebook.name
    shutil.copy2(built(spec, None if lang == ENGLISH else lang), notebook)
    pointer = {"lab": spec.id, "cohort_cases": str(cases_root(course, spec.id)),
               **({"lang": lang} if lang != ENGLISH else {})}  # the notebook speaks it (labs.runtime)
    atomic_write_text(folder / POINTER_FILE, json.dumps(pointer, indent=1) + "\n")
    return notebook


def _refuse_leaks(course: Path, spec: LabSpec) -> None:
    from labs.check import leaks

    release = course / "release" / spec.id / spec.notebook.name
    problems = leaks(release)
    if problems:
        shutil.rmtree(release.parent, ignore_errors=True)
        raise UserError(_("{lab} was not released: {problems}. Fix the lab (osintlab lab check).").format(
            lab=spec.id, problems="; ".join(problems)))


def _run_variants(jobs: list[VariantJob], workers: int, lab: str) -> int:
    made = 0
    # Translators: the label of a progress bar while each trainee's case of lab {lab} is made (a few words).
    with bar(len(jobs), _("cases {lab}").format(lab=lab), _("trainee")) as progress:
        if workers <= 1:
            for job in jobs:
                made += make_variant(job)
                progress.update()
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for new in pool.map(make_variant, jobs):
                    made += new
                    progress.update()
    return made


def make_variant(job: VariantJob) -> int:
    """Generate one trainee's case and key (unless already there); 1 if it was made."""
    course = Path(job.course)
    vdir = variant_dir(course, job.lab, job.trainee)
    marker = vdir / "variant.json"
    made = 0
    current = json.loads(marker.read_text()) if marker.is_file() else {}
    seed = current.get("seed", job.seed)  # an existing variant is never changed under its trainee
    if not current or (job.hints and not (vdir / "case" / "hints.json").is_file()):
        seed = _prepare_first_suitable(job, seed, vdir)
        made = 1
    if not job.hints:  # graded without hints: grade with exactly the case the trainee has
        (vdir / "case" / "hints.json").unlink(missing_ok=True)
    atomic_write_text(marker, json.dumps({**current, "lab": job.lab, "trainee": job.trainee, "seed": seed,
                                          "country": job.country, "hints": job.hints}) + "\n")
    _publish_case(vdir / "case", trainee_case(course, job.lab, job.trainee))
    return made


def next_seed(seed: int, attempt: int) -> int:
    """The trainee's next candidate seed: as unpredictable without the secret as the first one."""
    digest = hashlib.sha256(f"{seed}\x1f{attempt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _prepare_first_suitable(job: VariantJob, seed: int, vdir: Path) -> int:
    from labs.runtime import UnsuitableSeed, prepare

    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            prepare(job.lab, seed, vdir, force=True, country=job.country)
            return seed
        except UnsuitableSeed:
            seed = next_seed(job.seed, attempt)
    raise UserError(_("{lab}: no suitable case for trainee {trainee} after {attempts} seeds; the lab's case size "
                      "is too small for this country: report it to the lab's author.").format(
        lab=job.lab, trainee=job.trainee, attempts=MAX_ATTEMPTS))


def _publish_case(case: Path, target: Path) -> None:
    """The trainee's read-only copy of their case."""
    with atomic_directory(target.parent, force=True) as tmp:
        shutil.copytree(case, tmp / "case")
        for root, dirs, files in os.walk(tmp):
            for name in dirs:
                os.chmod(Path(root) / name, 0o755)
            for name in files:
                os.chmod(Path(root) / name, 0o644)
        os.chmod(tmp, 0o755)



def _spread(course: Path, spec: LabSpec, jobs: list[VariantJob]) -> tuple[int, bool]:
    """Regenerate new variants whose answers come too close to another trainee's (in roster order).

    Returns (variants regenerated, whether every pair is now far enough apart). Variants checked
    in an earlier release are kept as they are: their trainees may have started.
    """
    accepted: list[Any] = []
    moved, all_apart = 0, True
    # Translators: the label of a progress bar while trainees' cases of lab {lab} are made different enough
    # from each other (so neighbours cannot copy); a few words.
    with bar(len(jobs), _("spread {lab}").format(lab=spec.id), _("trainee")) as progress:
        for job in jobs:
            vdir = variant_dir(course, job.lab, job.trainee)
            marker = json.loads((vdir / "variant.json").read_text())
            apart = marker.get("apart")
            attempt = 0
            while apart is None:
                if not _too_close(_lab(spec, vdir), accepted):
                    apart = True
                elif attempt == MAX_ATTEMPTS:
                    apart = False
                else:
                    attempt += 1
                    shutil.rmtree(vdir)
                    make_variant(VariantJob(job.course, job.lab, job.trainee, next_seed(job.seed, 100 + attempt),
                                            job.country, job.hints))
                    moved += 1
            marker = json.loads((vdir / "variant.json").read_text())
            atomic_write_text(vdir / "variant.json", json.dumps({**marker, "apart": apart}) + "\n")
            all_apart = all_apart and apart
            accepted.append(_lab(spec, vdir))
            progress.update()
    return moved, all_apart


def _lab(spec: LabSpec, vdir: Path) -> Any:
    from labs.runtime import Lab

    return Lab(spec, vdir / "case", vdir / "key")


def _too_close(lab: Any, others: list[Any]) -> bool:
    """Would one trainee's right answer score more than 1 - COPY_MARGIN on the other's case?"""
    from grader.variants import COPY_MARGIN

    generic = getattr(lab.module, "GENERIC_PARTS", set())
    for part, points in lab.module.PARTS.items():
        if part in generic:
            continue
        limit = (1 - COPY_MARGIN) * float(points)
        for other in others:
            if lab.score(part, other.reference_answer(part)) > limit:
                return True
            if other.score(part, lab.reference_answer(part)) > limit:
                return True
    return False
