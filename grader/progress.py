"""Progress bars for long cohort steps (tqdm on a terminal, silent otherwise)."""

from __future__ import annotations

from typing import Any


def bar(total: int, desc: str, unit: str) -> Any:
    from tqdm import tqdm

    # disable=None: draw only on a terminal, so logs and tests stay clean
    return tqdm(total=total, desc=desc, unit=unit, disable=None, leave=True, dynamic_ncols=True)
