"""What a lab notebook calls: `lab = labs.open_lab("w1-01-passive-active")`.

A lab's files live in one prepared directory (see `prepare`):

    DIR/case/        the world's case (if the lab uses one) + lab.json (the exercise) + hints.json
    DIR/key/         the world's key (if any) + lab.json (the lab's answer key)

Where DIR comes from (first match wins; documented in labs/README.md):
1. environment variables OSINTLAB_CASE_DIR (DIR/case) and OSINTLAB_KEY_DIR (DIR/key): `osintlab
   lab check` sets both; the cohort grader's sandbox sets only the case (the key stays outside,
   and `grade` only records answers there, see OSINTLAB_ANSWERS_OUT);
2. a file `osintlab-lab.json` in the notebook's folder, written by the release step, either
   {"lab": ID, "case_dir": PATH, "key_dir": PATH or null} (paths relative to that file), or, for
   a cohort, {"lab": ID, "cohort_cases": ABSOLUTE PATH}: the trainee's own case is then
   <cohort_cases>/<login name>/case, the login name being the one nbgrader submits under; a
   pointer's "lang" (a cohort course's language, e.g. "mn") is the language the lab then speaks,
   unless OSINTLAB_LANG or set_language() chose one;
3. practice mode: the lab's public practice seed, prepared once into a cache
   (OSINTLAB_CACHE, default ~/.cache/osintlab/labs).
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import importlib
import json
import os
import re
import shutil
import sys
import warnings
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from labs import catalogue, scoring
from labs.catalogue import LabSpec
from osintlab import __version__
from osintlab.errors import UserError
from osintlab.fingerprint import source_fingerprint
from osintlab.fsutil import atomic_directory, atomic_write_text
from osintlab.i18n import ENV_LANG, N_, _

POINTER_FILE = "osintlab-lab.json"
ENV_CASE, ENV_KEY, ENV_CACHE = "OSINTLAB_CASE_DIR", "OSINTLAB_KEY_DIR", "OSINTLAB_CACHE"
# When set (by the grader), every hidden test appends {"part", "answer"} here as JSON lines, so
# the grader can re-score outside the trainee's kernel with `rescore` (a kernel can be tampered with).
ENV_ANSWERS = "OSINTLAB_ANSWERS_OUT"
# A folder of generated worlds shared by every lab prepared with the same country, scenario, seed
# and size (test sweeps prepare thousands; ten labs share one world spec). Off unless set.
ENV_WORLD_CACHE = "OSINTLAB_WORLD_CACHE"


class UnsuitableSeed(ValueError):
    """A lab's build() raises this when the world of a seed cannot host the exercise (for example
    too few target pages); the caller (the cohort release) then tries the trainee's next seed."""


def lab_module(spec: LabSpec) -> ModuleType:
    return importlib.import_module(spec.module)


# ---------------------------------------------------------------- preparing a lab directory


def _hash(salt: str, atom: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{atom}".encode()).hexdigest()[:16]


def hint_table(module: ModuleType, public: dict[str, Any], key: dict[str, Any], seed: int) -> dict[str, Any]:
    """Salted hashes of the expected answer atoms, each with a note that does not give it away."""
    salt = hashlib.sha256(f"hints\x1f{seed}\x1f{public['title']}".encode()).hexdigest()[:12]
    table: dict[str, Any] = {"salt": salt, "parts": {}}
    for part in module.PARTS:
        atoms: dict[str, str] = module.expected_atoms(part, public, key)
        table["parts"][part] = {_hash(salt, atom): note for atom, note in atoms.items()}
    if hasattr(module, "hint_extras"):  # public facts a per-item check needs (counts per item)
        table["extras"] = {part: module.hint_extras(part, public, key) for part in module.PARTS}
    return table


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def prepare(lab_id: str, seed: int, out: Path, *, force: bool = False, country: str | None = None) -> Path:
    """Write the lab directory for `seed` to `out` (atomically); the grader calls this per trainee.

    `country` replaces the lab's own country pack for its world (a cohort's country)."""
    spec = catalogue.get(lab_id)
    module = lab_module(spec)
    with atomic_directory(Path(out), force=force) as tmp:
        case = None
        if spec.case["world"]:
            case = _write_world(spec, seed, tmp, index=getattr(module, "USES_SEARCH", False), country=country)
        public, key = module.build(seed, case)
        _write_json(tmp / "case" / "lab.json", {"lab": lab_id, **public})
        _write_json(tmp / "case" / "hints.json", hint_table(module, public, key, seed))
        _write_json(tmp / "key" / "lab.json", {"lab": lab_id, "seed": seed, **key})
    return Path(out)


def _write_world(spec: LabSpec, seed: int, tmp: Path, *, index: bool, country: str | None) -> Any:
    from synthetic_data.bundle import load_case, world_files
    from synthetic_data.generator import generate_world

    c = spec.case
    args = {"country": country or c["country"], "scenario": c["scenario"], "seed": seed, "size": c["size"]}
    cached = _cached_world(args)
    if cached is not None:
        shutil.copytree(cached, tmp, dirs_exist_ok=True)
    else:
        files = list(world_files(generate_world(**args)))
        for rel, data in files:
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        _cache_world(args, tmp, [rel for rel, _ in files])
    if index:
        from sandbox.search import SearchEngine

        SearchEngine(tmp / "case").close()  # build the index now (in case/.index), not in the trainee's kernel
    return load_case(tmp / "case")


def _world_cache_dir(args: dict[str, Any]) -> Path | None:
    root = os.environ.get(ENV_WORLD_CACHE)
    if not root:
        return None
    version = f"{__version__}-{source_fingerprint('synthetic_data')}"
    return Path(root) / f"{args['country']}-{args['scenario']}-{args['seed']}-{args['size']}-{version}"


def _cached_world(args: dict[str, Any]) -> Path | None:
    folder = _world_cache_dir(args)
    return folder if folder is not None and (folder / "case").is_dir() else None


def _cache_world(args: dict[str, Any], made: Path, files: list[str]) -> None:
    folder = _world_cache_dir(args)
    if folder is None or folder.is_dir():
        return
    try:
        with atomic_directory(folder) as tmp:
            for rel in files:
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(made / rel, tmp / rel)
    except (OSError, UserError):
        pass  # another process cached the same world first, or the folder is not ours to write


# ---------------------------------------------------------------- locating a lab directory


def cache_root() -> Path:
    return Path(os.environ.get(ENV_CACHE) or Path.home() / ".cache" / "osintlab" / "labs")


def practice_dir(spec: LabSpec) -> Path:
    """The practice lab directory, prepared on first use. Its name carries the version and a
    fingerprint of the code that builds it, so an edited lab or generator never serves a stale case;
    in another language than English, also the language and its catalogue (the brief is written in
    it when the directory is prepared)."""
    seed = int(spec.case["practice_seed"])
    version = f"{__version__}-{source_fingerprint('synthetic_data', 'labs', 'sandbox')}"
    out = cache_root() / f"{spec.id}-seed{seed}-v{version}{_language_tag()}"
    if not (out / "key" / "lab.json").is_file():
        try:
            prepare(spec.id, seed, out, force=True)
        except FileNotFoundError:  # another kernel finished the same directory first
            if not (out / "key" / "lab.json").is_file():
                raise
    return out


def _language_tag() -> str:
    """"" in English, else "-<lang>-<12 hex digits of its messages catalogue>"."""
    from osintlab.i18n import DOMAIN, LOCALE_DIR, language

    lang = language()
    if lang == "en":
        return ""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    digest = hashlib.sha256(po.read_bytes()).hexdigest()[:12] if po.is_file() else "none"
    return f"-{lang}-{digest}"


def write_pointer(folder: Path, lab_id: str, case_dir: Path, key_dir: Path | None = None) -> Path:
    """Write `osintlab-lab.json` in a released notebook's folder (paths stored relative to it)."""
    folder = Path(folder)
    data = {"lab": lab_id, "case_dir": os.path.relpath(case_dir, folder),
            "key_dir": os.path.relpath(key_dir, folder) if key_dir else None}
    atomic_write_text(folder / POINTER_FILE, json.dumps(data, indent=1) + "\n")
    return folder / POINTER_FILE


def _from_pointer(lab_id: str, start: Path) -> tuple[Path, Path | None] | None:
    pointer = start / POINTER_FILE
    if not pointer.is_file():
        return None
    try:
        data = json.loads(pointer.read_text(encoding="utf-8"))
        case_dir, key_dir = data.get("case_dir") or data["cohort_cases"], data.get("key_dir")
    except (json.JSONDecodeError, KeyError, TypeError):
        raise UserError(_("{path} is damaged: ask your trainer to release the lab again.").format(
            path=pointer)) from None
    if data.get("lab") != lab_id:
        return None
    if isinstance(data.get("lang"), str) and data["lang"]:
        os.environ.setdefault(ENV_LANG, data["lang"])  # the course's language, below an explicit choice
    if data.get("cohort_cases"):
        return _cohort_case(Path(data["cohort_cases"])), None
    return (start / case_dir).resolve(), (start / key_dir).resolve() if key_dir else None


def login_name() -> str:
    """The name nbgrader submits under (nbgrader.utils.get_username, without importing nbgrader)."""
    name = getpass.getuser()
    return os.environ.get("JUPYTERHUB_USER", name) if name == "jovyan" else name


def _cohort_case(cases: Path) -> Path:
    user = login_name()
    case_dir = cases / user / "case"
    if not (case_dir / "lab.json").is_file():
        raise UserError(_("there is no case for trainee {user} in {folder}: ask your trainer to check that "
                          "your login name is your trainee id in the roster, and to release the lab again.").format(
            user=repr(user), folder=cases))
    return case_dir


def locate(spec: LabSpec, start: Path | None = None) -> tuple[Path, Path | None]:
    """(case dir, key dir or None) for this lab, by the order in the module docstring."""
    if os.environ.get(ENV_CASE):
        key = os.environ.get(ENV_KEY)
        return Path(os.environ[ENV_CASE]), Path(key) if key else None
    found = _from_pointer(spec.id, Path(start or Path.cwd()))
    if found:
        return found
    base = practice_dir(spec)
    return base / "case", base / "key"


# ---------------------------------------------------------------- the notebook's handle


# What a trainee's `lab.` + Tab offers: reading, searching, answering and checking. The hidden
# tests' and the trainer's side (grade, score, reference_answer, key_dir, module) is reached by
# name only (`__getattr__`): solution notebooks, hidden tests and the grader call it, but it is
# not listed, so the answer key is not one Tab away in practice mode.
HIDDEN = {"grade": "_grade", "score": "_score", "reference_answer": "_reference_answer", "key_dir": "_key_dir",
          "module": "_module"}
PUBLIC = ("show", "search", "page", "answer", "check", "sandbox", "exercise", "brief", "case", "engine")


class UnknownName(UserError, AttributeError):
    """`lab.<name>` for a name the lab does not have (a typo)."""


class Lab:
    """A lab notebook's handle: `lab = labs.open_lab(id)`, then `lab.show()`, `lab.search("...")`,
    `lab.page("pg-...")`, `lab.answer("part")` and `lab.check("part", answer)`."""

    def __init__(self, spec: LabSpec, case_dir: Path, key_dir: Path | None = None) -> None:
        self.spec = spec
        self.case_dir = Path(case_dir)
        self._key_dir = Path(key_dir) if key_dir is not None else None

    def __repr__(self) -> str:
        return (f"<lab {self.spec.id}: lab.show(), lab.search(\"...\"), lab.page(\"pg-...\"), "
                f"lab.answer(\"part\"), lab.check(\"part\", answer)>")

    def __getattr__(self, name: str) -> Any:
        if name in HIDDEN:
            return getattr(self, HIDDEN[name])
        if name.startswith("_"):
            raise AttributeError(name)
        raise UnknownName(_("the lab has nothing called {name}: use {names}.").format(
            name=repr(name), names=", ".join(f"lab.{p}" for p in PUBLIC)))

    def __dir__(self) -> list[str]:
        return sorted({*PUBLIC, "spec", "case_dir"})

    @cached_property
    def _module(self) -> ModuleType:
        return lab_module(self.spec)

    @cached_property
    def exercise(self) -> dict[str, Any]:
        """The lab's public exercise (case/lab.json): brief, items to classify, setup to audit."""
        return _read(self.case_dir / "lab.json", N_("the lab's exercise"))

    @property
    def brief(self) -> str:
        return str(self.exercise["brief"])

    @cached_property
    def case(self) -> Any:
        from sandbox import reader
        from synthetic_data.bundle import load_case

        reader.remember(self.case_dir)  # search results shown later can open their pages in place
        return load_case(self.case_dir)

    @cached_property
    def sandbox(self) -> Any:
        """The full offline toolkit over this lab's case (lookups, archive, images, widgets)."""
        from sandbox import open_case

        return open_case(self.case_dir)  # no workdir: a lab leaves no files behind

    @property
    def engine(self) -> Any:
        return self.sandbox.engine

    # ---------------------------------------------------------------- reading

    def show(self, plain: bool = False) -> None:
        """Show the brief and the exercise: as a readable page, or (`plain=True`) as plain text for
        a screen reader or a printer."""
        text = str(self._module.render(self.exercise))
        if plain or not _display(None):
            print(text)
            return
        from labs.brief import Brief

        _display(Brief(self.exercise, text, getattr(self._module, "BRIEF_SECTIONS", None)))

    def search(self, query: str, page: int = 1) -> None:
        """Run a query on the sandbox search engine and show the hits (page ids, dates, titles);
        click a hit to read its page here."""
        from sandbox import reader

        reader.remember(self.case_dir)
        results = self.engine.search(query, page=page, per_page=20)
        if not _display(results):
            print(reader.results_text(results))

    def page(self, ref: str) -> None:
        """Read one page (or archived copy, profile, image) of the case here: give its id or its
        address, with or without https://, a trailing slash or a #fragment."""
        from sandbox import reader

        view = reader.Reader(self.case, reader.resolve(self.case, ref))
        if not _display(view):
            print(repr(view))

    # ---------------------------------------------------------------- answering and checking

    def answer(self, part: str) -> Any:
        """The answer form of `part`: answer by clicking; each change is written into the part's
        answer cell (as Python) and checked with the Check button."""
        from labs import forms

        part = self._part(part)
        make = getattr(self._module, "answer_form", None)
        if make is None:
            raise UserError(_("lab {lab} has no answer form: type your answer in the answer cell.").format(
                lab=self.spec.id))
        spec = make(part, self.exercise)
        tools = self.sandbox if self.spec.case["world"] and spec.get("kind") in ("pages", "text") else None
        name = answer_variable(self.spec, part)
        panel = forms.AnswerPanel(forms.build_form(spec, tools), name=name, grade_id=f"answer-{part}",
                                  check=lambda value: self.check_text(part, value), title=spec.get("label", ""))
        panel.start(scoring.plain_or_none(_kernel_value(name)))
        return panel

    def check(self, part: str, answer: Any) -> None:
        """Visible check: print hints that help without giving the answer away."""
        print(self.check_text(part, answer))

    def check_text(self, part: str, answer: Any) -> str:
        """The visible check's text (what `check` prints and the answer form's Check button shows)."""
        part = self._part(part)
        try:
            value = scoring.plain(answer)
        except scoring.NotPlain as exc:
            return _("Check: {problem}").format(problem=exc)
        problems = self._module.answer_problems(part, value, self.exercise)
        if problems:
            return _("Check: fix these first:") + "\n- " + "\n- ".join(problems)
        return self._hint_text(part, value)

    def _hint_text(self, part: str, value: Any) -> str:
        if not (self.case_dir / "hints.json").is_file():  # a graded cohort release has no answer oracle
            return _("Check: your answer has the right form. This lab is graded, so the check does not say "
                     "which answers are right: your trainer's grading does.")
        table = _read(self.case_dir / "hints.json", N_("the lab's hints"))
        if hasattr(self.module, "feedback"):  # the lab says, per item, what kind of thing is wrong
            from labs.items import Hints

            hints = Hints.of(table, part, self.case_dir)
            return "\n".join([_("Check:"), *self.module.feedback(part, value, self.exercise, hints)])
        expected: dict[str, str] = table["parts"][part]
        given = {_hash(table["salt"], a) for a in self._module.answer_atoms(part, value, self.exercise)}
        right = given & set(expected)
        missed = [note for h, note in expected.items() if h not in given]
        unit = getattr(self._module, "HINT_UNITS", {}).get(part, "answers")
        lines = [_("Check: {right} of your {given} {unit} are right; {needed} are needed.").format(
            right=len(right), given=len(given), unit=_(unit), needed=len(expected))]
        if missed:
            notes = sorted(set(missed))[:3]
            lines.append(_("Still missing, for example: {notes}.").format(notes="; ".join(notes)))
        if right == set(expected) and len(given) == len(expected):
            lines.append(_("All correct. Well done."))
        return "\n".join(lines)

    # ---------------------------------------------------------------- hidden tests and the trainer

    def _grade(self, part: str, answer: Any) -> float:
        """Hidden test: points for `part`, from the key. A non-plain answer scores 0.

        In the grader's sandbox there is no key: the answer is only recorded (OSINTLAB_ANSWERS_OUT)
        and scored outside the trainee's kernel, so this returns 0.0 and the grader fills in the points.
        """
        part = self._part(part)
        value = scoring.plain_or_none(answer)
        recorded = _record_answer(part, value)
        if self._key_dir is None and recorded:
            return 0.0
        return self._score(part, value)

    def _score(self, part: str, value: Any) -> float:
        """Points for a plain answer value, from the key (records nothing)."""
        if value is None:
            return 0.0
        with warnings.catch_warnings():  # stderr output would make nbgrader give 0
            warnings.simplefilter("ignore")
            fraction = self._module.score(part, value, self.exercise, self._key(), case_dir=self.case_dir)
        return scoring.points(fraction, self._module.PARTS[part])

    def _reference_answer(self, part: str) -> Any:
        """The key's answer (trainer's solution notebook only: needs the key). A part whose answer is
        made by code from the case (w3-05's evidence package) has `reference_from_case` instead."""
        made = getattr(self._module, "reference_from_case", None)
        if made is not None and (value := made(self._part(part), self.exercise, self._key(), self.case)) is not None:
            return value
        return self._module.reference(self._part(part), self.exercise, self._key())

    def _key(self) -> dict[str, Any]:
        if self._key_dir is None:
            raise UserError(_("the answer key is only available when your trainer grades the lab."))
        return _read(self._key_dir / "lab.json", N_("the answer key"))

    def _part(self, part: str) -> str:
        if part not in self._module.PARTS:
            raise UserError(_("unknown part {part} of lab {lab}: use one of {parts}.").format(
                part=repr(part), lab=self.spec.id, parts=", ".join(self._module.PARTS)))
        return part


def _display(obj: Any) -> bool:
    """Display `obj` (None: only ask) in a notebook; False outside IPython."""
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    if get_ipython() is None:
        return False
    if obj is not None:
        from IPython.display import display

        display(obj)
    return True


def _kernel_value(name: str) -> Any:
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    shell = get_ipython()
    return shell.user_ns.get(name) if shell is not None else None


_GRADE_CALL = r"lab\.grade\(\s*[\"']{part}[\"']\s*,\s*([A-Za-z_]\w*)\s*\)"


def answer_variable(spec: LabSpec, part: str) -> str:
    """The variable the hidden test of `part` grades (`lab.grade("part", NAME)` in the lab's
    source); the part's name when the source cannot be read (the grading sandbox hides it)."""
    return _graded_variable(spec.source, part)


@functools.cache
def _graded_variable(source: Path, part: str) -> str:
    try:
        text = source.read_text(encoding="utf-8")
    except OSError:
        return part
    found = re.search(_GRADE_CALL.format(part=re.escape(part)), text)
    return found.group(1) if found else part


def _record_answer(part: str, value: Any) -> bool:
    target = os.environ.get(ENV_ANSWERS)
    if not target:
        return False
    line = json.dumps({"part": part, "answer": value}, ensure_ascii=False) + "\n"
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(line)
    return True


def rescore(lab_id: str, case_dir: Path, key_dir: Path, answers_file: Path) -> dict[str, float]:
    """Points per part from recorded answers, computed outside the trainee's kernel.

    The last answer recorded for a part counts; a part with no answer scores 0.
    """
    lab = Lab(catalogue.get(lab_id), Path(case_dir), Path(key_dir))
    answers: dict[str, Any] = {}
    if Path(answers_file).is_file():
        for line in Path(answers_file).read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
                answers[str(entry["part"])] = entry["answer"]
            except (json.JSONDecodeError, KeyError, TypeError):
                continue  # a damaged line scores nothing; the grader flags the mismatch
    return {part: lab._score(part, scoring.plain_or_none(answers[part])) if part in answers else 0.0
            for part in lab._module.PARTS}


def _read(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(_("{path} is missing ({what}): ask your trainer to release the lab again.").format(
            path=path, what=_(what))) from None


def open_lab(lab_id: str) -> Lab:
    """The one call a notebook makes to load its lab: practice seed, or the trainee's variant."""
    spec = catalogue.get(lab_id, check=False)
    case_dir, key_dir = locate(spec)
    return Lab(spec=spec, case_dir=case_dir, key_dir=key_dir)
