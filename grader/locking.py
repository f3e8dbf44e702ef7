"""One lock for the gradebook across parallel grading workers.

A worker holds the lock for a whole nbgrader autograde call, except while the trainee's kernel
runs (grader.execute releases it then), so gradebook writes never overlap while the slow part
runs in parallel. SQLite needs this; PostgreSQL does not mind it. Outside a worker (formgrader,
a serial run) there is no lock and both context managers do nothing.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_fd: int | None = None


def use(lock_file: Path) -> None:
    """Make this process take `lock_file` in `held()` (called once per worker)."""
    global _fd
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    _fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)


@contextmanager
def held() -> Iterator[None]:
    if _fd is None:
        yield
        return
    fcntl.flock(_fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(_fd, fcntl.LOCK_UN)


@contextmanager
def released() -> Iterator[None]:
    """Inside `held()`: let others take the lock for the duration (no-op without a lock)."""
    if _fd is None:
        yield
        return
    fcntl.flock(_fd, fcntl.LOCK_UN)
    try:
        yield
    finally:
        fcntl.flock(_fd, fcntl.LOCK_EX)
