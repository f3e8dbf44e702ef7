"""What every Workshop 2 lab shares: the OPSEC part, the world's key, and reading answers.

**OPSEC is graded in every lab.** Each lab's last hidden test records the loud actions the
notebook took (the sandbox's activity log: following, messaging, liking, joining a group,
asking for a password reset, a logged-in visit a site reports to its owner) together with the
lab's other answers. The `opsec` part is worth the share of the lab's other points the trainee
earned, less a quarter for each loud action: an investigation counts only as far as it stayed
passive, so a blank lab earns nothing here and a loud one loses points on every action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from labs import scoring
from osintlab.i18n import _

OPSEC = "opsec"
LOUD_COST = 0.25  # share of the opsec part lost for each loud action


def opsec_answer(answers: Mapping[str, Any], loud: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The value the opsec hidden test records: the loud actions and the lab's other answers."""
    return {"loud": list(loud or []), "answers": dict(answers)}


def loud_count(value: Any) -> int:
    if type(value) is not dict or type(value.get("loud")) is not list:
        return 0
    return sum(1 for entry in value["loud"] if type(entry) is dict and entry.get("loud") is True)


def opsec_score(value: Any, parts: Mapping[str, float], score: Callable[..., float], exercise: dict[str, Any],
                key: dict[str, Any], case_dir: Any) -> float:
    """Share of the other parts' points earned, times (1 - LOUD_COST per loud action), floored at 0."""
    if type(value) is not dict or type(value.get("answers")) is not dict:
        return 0.0
    answers = value["answers"]
    others = {p: pts for p, pts in parts.items() if p != OPSEC}
    total = sum(others.values())
    earned = sum(pts * score(p, scoring.plain_or_none(answers.get(p)), exercise, key, case_dir)
                 for p, pts in others.items() if answers.get(p) is not None)
    return max(0.0, earned / total * (1 - LOUD_COST * loud_count(value)))


def opsec_form() -> dict[str, Any]:
    return {"kind": "auto", "label": _("Recorded automatically when the notebook is graded: your answers and "
                                       "the loud actions the notebook took.")}


def opsec_problems(value: Any) -> list[str]:
    if type(value) is not dict or "answers" not in value:
        return [_("this part is recorded by the notebook itself: run the cell as it is.")]
    return []


def opsec_render_line() -> str:
    return _("OPSEC: this brief is passive. Every loud action (follow, like, comment, message, call, join a group, "
             "password reset, a logged-in visit the site reports to its owner) costs a quarter of the OPSEC points.")


# ---------------------------------------------------------------- the world behind a lab


@lru_cache(maxsize=4)
def _case(case_dir: str) -> Any:
    from synthetic_data.bundle import load_case

    return load_case(Path(case_dir))


def case_at(case_dir: Any) -> Any:
    """The case of a lab directory (cached: the grader scores many parts on one case)."""
    return _case(str(Path(case_dir).resolve()))


def world_key(case: Any) -> Any:
    from synthetic_data.bundle import load_key

    return load_key(case.root.parent)


def bare_url(url: str) -> str:
    """A URL compared the way the sandbox compares them: no scheme, no trailing slash, host in lower case."""
    text = url.strip()
    for scheme in ("https://", "http://"):
        if text.lower().startswith(scheme):
            text = text[len(scheme):]
    text = text.rstrip("/")
    host, _, path = text.partition("/")
    return host.casefold().removeprefix("www.") + ("/" + path if path else "")


def words(value: Any) -> list[str]:
    """A trainee's list of labels: a list of strings, or one string with commas or spaces."""
    if type(value) is str:
        value = value.replace(",", " ").split()
    if type(value) is not list:
        return []
    return [scoring.norm(v) for v in value if type(v) is str and scoring.norm(v)]
