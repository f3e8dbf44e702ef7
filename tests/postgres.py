"""A real PostgreSQL server for one test module, in a temporary folder, on a Unix socket (no TCP
port). PostgreSQL comes from Debian (scripts/setup.sh installs it)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.fail(f"PostgreSQL's {name} is not installed: run `make setup` (it installs the Debian package).")
    return found[-1]


@contextlib.contextmanager
def temporary_postgres(database: str) -> Iterator[str]:
    """Start a server (as the `postgres` account when run as root), create `database`, and yield
    its SQLAlchemy URL; the server and its files are gone afterwards."""
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = Path(tempfile.mkdtemp(prefix="osintlab-pg-", dir="/tmp"))
    data, sockets = base / "data", base / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
    subprocess.run([*as_postgres, postgres_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"],
                   check=True, capture_output=True)
    server = subprocess.Popen([*as_postgres, postgres_bin("postgres"), "-D", str(data), "-k", str(sockets),
                               "-c", "listen_addresses=", "-p", "5432"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if (sockets / ".s.PGSQL.5432").exists():
                break
            time.sleep(0.1)
        subprocess.run([*as_postgres, postgres_bin("createdb"), "-h", str(sockets), "-U", "postgres", database],
                       check=True, capture_output=True)
        yield f"postgresql+psycopg2://postgres@/{database}?host={sockets}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(base, ignore_errors=True)
