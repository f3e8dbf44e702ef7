"""Static inspection of a submitted notebook against the released one.

Finds what nbgrader restores quietly (edited, deleted or retyped graded cells) and code that has
no place in a lab: changing how later cells run, replacing grading code, running fetched code,
the network, shell commands, or reaching outside the lab folder. Code is read with the `ast`
module after IPython syntax (`%magic`, `!shell`) is turned into Python, so `!curl ...` is seen
as the shell call it is. Nothing here runs the trainee's code. A finding is a flag for the
trainer, never a score: the sandbox and the trusted re-score keep the grade fair either way.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Any

from nbformat import NotebookNode

from grader.flags import Flag
from osintlab.i18n import _

# IPython/system attributes whose change alters how later cells run or errors are shown.
HOOK_ATTRS = {"input_transformers_cleanup", "input_transformers_post", "ast_transformers", "register_magic_function",
              "register_magics", "set_custom_exc", "settrace", "setprofile", "displayhook", "excepthook",
              "run_cell", "run_cell_async", "showtraceback", "set_hook", "prefilter_manager"}
GRADING_ATTRS = {"grade", "check", "score", "reference_answer", "open_lab", "rescore"}
NETWORK_MODULES = {"socket", "urllib", "urllib3", "http", "requests", "httpx", "ftplib", "smtplib", "telnetlib",
                   "aiohttp", "websocket", "websockets", "paramiko"}
PROCESS_MODULES = {"subprocess", "pty", "ctypes", "signal", "multiprocessing", "importlib", "runpy", "nbgrader"}
OS_CALLS = {"system", "popen", "execv", "execve", "execl", "execlp", "execvp", "spawnl", "spawnv", "fork",
            "forkpty", "_exit", "kill", "killpg", "setuid", "chroot"}
DYNAMIC_CALLS = {"exec", "eval", "compile", "__import__"}
# A path with a segment that names grading material ("../key/lab.json", "course/gradebook.db").
GRADING_PATH = re.compile(r"(^|/)(\.\.|gradebook(\.db)?|\.osintlab|autograded|submitted|exchange|source|key|secret"
                          r"|variants|nbgrader_config\.py)(/|$)")
ENV_PREFIXES = ("NBGRADER", "OSINTLAB", "JUPYTER")
SYSTEM_PATH = re.compile(r"^(~/|/(etc|root|home|proc|sys|srv|var|tmp|usr|work|opt|mnt|dev|lib|lib64|bin|sbin|run|boot"
                         r"|lab|media)(/|$))")


def inspect_submission(submitted: NotebookNode, released: NotebookNode) -> list[Flag]:
    """Every flag for this submission, in cell order."""
    found: list[tuple[int, Flag]] = []
    cells = list(submitted.get("cells", []))
    by_id = {_meta(c).get("grade_id"): (i, c) for i, c in enumerate(cells) if _meta(c).get("grade_id")}
    for grade_id, copies in duplicates(submitted).items():
        found.append((copies[-1], Flag("duplicate-cell", _(
            "The cell {cell} appears {count} times (cells {cells}); the last copy was graded.").format(
            cell=grade_id, count=len(copies), cells=", ".join(str(i + 1) for i in copies)), grade_id)))
    changed: set[int] = set()
    for rel in released.get("cells", []):
        meta = _meta(rel)
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        if grade_id not in by_id:
            found.append((len(cells), Flag("cell-deleted", _("The cell {cell} is missing.").format(cell=grade_id),
                                           grade_id)))
            continue
        index, sub = by_id[grade_id]
        if sub.get("cell_type") != rel.get("cell_type"):
            found.append((index, Flag("cell-retyped", _("The cell {cell} was changed from {before} to {after}.").format(
                cell=grade_id, before=rel.get("cell_type"), after=sub.get("cell_type")), grade_id)))
        elif meta.get("locked") and _locked_change(sub, rel):
            changed.add(index)
            edited = _("The read-only cell {cell} was edited: {change}.").format(
                cell=grade_id, change=_first_difference(sub, rel))
            found.append((index, Flag("locked-cell-changed", edited, grade_id)))
    locked_ids = {_meta(c).get("grade_id") for c in released.get("cells", []) if _meta(c).get("locked")}
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        if _meta(cell).get("grade_id") in locked_ids and index not in changed:
            continue  # our own unchanged test code
        name = _meta(cell).get("grade_id") or _("cell {number}").format(number=index + 1)
        problems = sorted(set(suspicious(_source(cell))))
        if problems:
            found.append((index, Flag("suspicious-code", "; ".join(problems) + ".", name)))
        error = syntax_error(_source(cell))
        if error and _meta(cell).get("solution"):
            broken = _("The answer cell {cell} is not valid Python ({error}); it could not run, so the answers it "
                       "holds scored 0.").format(cell=name, error=error)
            found.append((index, Flag("syntax-error", broken, name)))
    return [flag for _, flag in sorted(found, key=lambda pair: pair[0])]


def duplicates(notebook: NotebookNode) -> dict[str, list[int]]:
    """{grade_id: [cell indexes]} for every nbgrader cell id that appears more than once."""
    seen: dict[str, list[int]] = {}
    for index, cell in enumerate(notebook.get("cells", [])):
        grade_id = _meta(cell).get("grade_id")
        if grade_id:
            seen.setdefault(str(grade_id), []).append(index)
    return {k: v for k, v in seen.items() if len(v) > 1}


def normalise(notebook: NotebookNode) -> NotebookNode:
    """The submission as nbgrader can grade it, changed only where nbgrader would fail or write an invalid
    file: a pasted copy of a graded cell keeps its nbgrader id only in its last copy (nbgrader 0.9 stops
    with KeyError 'grade_id' otherwise), and code outputs left on non-code cells are dropped."""
    for copies in duplicates(notebook).values():
        for index in copies[:-1]:
            notebook.cells[index].metadata.pop("nbgrader", None)
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    return notebook


def syntax_error(source: str) -> str | None:
    """"line N: message" when the cell's code (IPython syntax allowed) is not valid Python, else None."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)
    except Exception:  # a cell IPython cannot read either: nothing more to say than its error when run
        return None
    try:
        ast.parse(source)
    except SyntaxError as exc:
        return _("line {line}: {message}").format(line=exc.lineno, message=exc.msg)
    except ValueError as exc:
        return str(exc)
    return None


def suspicious(source: str) -> Iterator[str]:
    """Plain-words findings for one cell's code, in the current language (nothing if it does not parse)."""
    tree = _parse(source)
    if tree is None:
        return
    for node in ast.walk(tree):
        yield from _node_findings(node)


def _node_findings(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Attribute) and node.attr in HOOK_ATTRS:
        yield _("changes how cells run ({name})").format(name=node.attr)
    if isinstance(node, ast.Attribute) and node.attr == "register" and _attr_name(node.value) == "events":
        yield _("registers an IPython event hook")
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield from _import_findings(node)
    if isinstance(node, ast.Call):
        yield from _call_findings(node)
    if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            yield from _assignment_findings(target)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield from _string_findings(node.value)
    if isinstance(node, ast.Name) and node.id == "__builtins__":
        # Translators: this and the next few are what a submission's code does that grading refuses:
        # "the submission touches __builtins__", "imports os", "runs os.system", "changes lab.score".
        yield _("touches {name}").format(name="__builtins__")


def _import_findings(node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
    for name in names:
        top = name.split(".")[0]
        if top in NETWORK_MODULES:
            yield _("uses the network module {module}").format(module=name)
        elif top in PROCESS_MODULES:
            yield _("imports {module}").format(module=name)
        elif top == "builtins":
            yield _("imports {module}").format(module="builtins")


def _call_findings(node: ast.Call) -> Iterator[str]:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    literal_args = all(isinstance(a, ast.Constant) for a in node.args)
    if name in DYNAMIC_CALLS and not literal_args:
        yield _("runs code it builds or fetches ({name})").format(name=name)
    if name in ("__import__", "import_module") and node.args and isinstance(node.args[0], ast.Constant):
        top = str(node.args[0].value).split(".")[0]
        if top in NETWORK_MODULES | PROCESS_MODULES:
            yield _("imports {module} by name").format(module=node.args[0].value)
    if name == "import_module" and not literal_args:
        yield _("imports a module chosen at run time")
    if isinstance(func, ast.Attribute) and _attr_name(func.value) == "os" and name in OS_CALLS:
        yield _("runs {name}").format(name=f"os.{name}")
    if name in ("system", "getoutput") and _is_ipython(func):
        yield _("runs shell commands (!)")
    if name in ("run_line_magic", "run_cell_magic") and node.args and isinstance(node.args[0], ast.Constant):
        magic = str(node.args[0].value)
        if magic in ("load_ext", "autoreload", "aimport", "run", "load", "sx", "system", "bash", "sh", "script",
                     "writefile", "env", "pip"):
            yield _("uses the magic {magic}").format(magic=f"%{magic}")
    if name == "setattr" and node.args and _attr_name(node.args[0]) in ("lab", "labs", "runtime", "Lab", "nbgrader"):
        yield _("replaces part of the lab with setattr")


def _assignment_findings(target: ast.AST) -> Iterator[str]:
    if isinstance(target, ast.Attribute) and target.attr in GRADING_ATTRS:
        yield _("replaces grading code ({name})").format(name=f"{_attr_name(target.value)}.{target.attr}")
    if isinstance(target, ast.Attribute) and _attr_name(target.value) in ("builtins", "sys"):
        yield _("changes {name}").format(name=f"{_attr_name(target.value)}.{target.attr}")
    if isinstance(target, ast.Subscript) and _attr_name(target.value) in ("modules", "__builtins__", "environ"):
        yield _("changes {name}").format(name=f"{_attr_name(target.value)}[...]")


def _string_findings(text: str) -> Iterator[str]:
    if len(text) > 300 or "\n" in text:
        return
    if SYSTEM_PATH.match(text):
        yield _("names a path outside the lab ({path})").format(path=_short(text))
    elif "/" in text and " " not in text and "://" not in text and GRADING_PATH.search(text):
        yield _("names a grading path ({path})").format(path=_short(text))
    elif text.startswith(ENV_PREFIXES) and text.upper() == text and " " not in text:
        yield _("reads the grader's environment variables ({name})").format(name=_short(text))


def _is_ipython(func: ast.Attribute) -> bool:
    value = func.value
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "get_ipython"


def _attr_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _attr_name(node.func)
    return ""


def _parse(source: str) -> ast.Module | None:
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)
    except Exception:  # a cell IPython cannot read either: nothing to inspect
        return None
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def _locked_change(sub: NotebookNode, rel: NotebookNode) -> bool:
    keys = ("grade", "solution", "points", "locked")
    same_meta = all(_meta(sub).get(k) == _meta(rel).get(k) for k in keys)
    return not same_meta or _norm(_source(sub)) != _norm(_source(rel))


def _first_difference(sub: NotebookNode, rel: NotebookNode) -> str:
    for key in ("points", "grade", "solution", "locked"):
        if _meta(sub).get(key) != _meta(rel).get(key):
            return _("its {setting} was changed from {before} to {after}").format(
                setting=key, before=repr(_meta(rel).get(key)), after=repr(_meta(sub).get(key)))
    new = [line for line in _norm(_source(sub)).splitlines() if line not in _norm(_source(rel)).splitlines()]
    return _("it now reads {line}").format(line=repr(_short(new[0]))) if new else _("lines were removed")


def _meta(cell: Any) -> dict[str, Any]:
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    nbgrader = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return nbgrader if isinstance(nbgrader, dict) else {}


def _source(cell: Any) -> str:
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    return "".join(source) if isinstance(source, list) else str(source)


def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
