"""Shared fixtures. Every test runs with the network blocked: only loopback and Unix
sockets may connect (Jupyter kernels talk over 127.0.0.1), so any attempt to reach the
internet fails loudly."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


class NetworkBlocked(RuntimeError):
    pass


def _is_local(host: Any) -> bool:
    if host in (None, "", "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _guard(sock: socket.socket, address: Any) -> None:
    if sock.family == getattr(socket, "AF_UNIX", None):
        return
    host = address[0] if isinstance(address, tuple) else address
    if not _is_local(host):
        raise NetworkBlocked(f"test tried to open a network connection to {address!r}")


def _connect(self: socket.socket, address: Any) -> None:
    _guard(self, address)
    return _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    _guard(self, address)
    return _real_connect_ex(self, address)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_local(host):
        raise NetworkBlocked(f"test tried to resolve {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", _getaddrinfo)


@pytest.fixture(autouse=True, scope="session")
def _shared_world_cache(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Labs prepared with the same world spec share one generated world (labs.runtime.ENV_WORLD_CACHE):
    the validity sweeps prepare thousands of variants, and ten labs use the same tiny world."""
    import os

    from labs.runtime import ENV_WORLD_CACHE

    old = os.environ.get(ENV_WORLD_CACHE)
    os.environ[ENV_WORLD_CACHE] = str(tmp_path_factory.getbasetemp() / "world-cache")
    yield
    if old is None:
        os.environ.pop(ENV_WORLD_CACHE, None)
    else:
        os.environ[ENV_WORLD_CACHE] = old
