"""The classroom certificate authority and the server certificate: real X.509, real TLS handshakes."""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

import pytest
from cryptography import x509

from hub.tls import ensure_certificates

NAMES = ["classroom", "classroom.local", "localhost", "127.0.0.1", "192.168.1.10"]


def _handshake(files: object, server_name: str) -> str:
    """Serve the hub's certificate on loopback and connect as a laptop that trusts only the classroom CA."""
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(str(files.cert), str(files.key))  # type: ignore[attr-defined]
    client_ctx = ssl.create_default_context(cafile=str(files.ca_cert))  # type: ignore[attr-defined]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve() -> None:
        conn, _ = listener.accept()
        try:
            with server_ctx.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(b"ok")
        except (ssl.SSLError, OSError):
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with socket.create_connection(listener.getsockname(), timeout=10) as raw, \
                client_ctx.wrap_socket(raw, server_hostname=server_name) as tls:
            return tls.recv(2).decode()
    finally:
        thread.join(timeout=10)
        listener.close()


def test_a_laptop_that_trusts_the_classroom_ca_trusts_the_hub(tmp_path: Path) -> None:
    files, made = ensure_certificates(tmp_path, NAMES)
    assert len(made) == 2
    assert _handshake(files, "localhost") == "ok"
    assert _handshake(files, "classroom.local") == "ok"
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(files, "bank.example")  # a name the certificate does not carry
    assert oct(files.key.stat().st_mode & 0o777) == "0o600"
    assert oct(files.ca_key.stat().st_mode & 0o777) == "0o600"
    assert oct(files.ca_cert.stat().st_mode & 0o777) == "0o644"


def test_the_ca_can_vouch_only_for_local_names_and_private_addresses(tmp_path: Path) -> None:
    files, _ = ensure_certificates(tmp_path, NAMES)
    ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    server = x509.load_pem_x509_certificate(files.cert.read_bytes())
    server.verify_directly_issued_by(ca)
    basic = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical and basic.value.ca and basic.value.path_length == 0
    constraints = ca.extensions.get_extension_for_class(x509.NameConstraints)
    assert constraints.critical
    permitted = {str(g.value) for g in constraints.value.permitted_subtrees}
    assert {"classroom", "local", "localhost", "192.168.0.0/16", "10.0.0.0/8", "127.0.0.0/8"} <= permitted
    assert not any(p.endswith(("com", "org", "example")) for p in permitted)
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {str(v) for v in san.get_values_for_type(x509.DNSName)} == {"classroom", "classroom.local", "localhost"}
    assert {str(v) for v in san.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "192.168.1.10"}
    eku = server.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.oid.ExtendedKeyUsageOID.SERVER_AUTH in eku
    days = (server.not_valid_after_utc - server.not_valid_before_utc).days
    assert days <= 826  # Apple devices refuse longer-lived server certificates


def test_a_new_address_reissues_the_server_certificate_with_the_same_ca(tmp_path: Path) -> None:
    files, _ = ensure_certificates(tmp_path, NAMES)
    ca_before, cert_before = files.ca_cert.read_bytes(), files.cert.read_bytes()
    assert ensure_certificates(tmp_path, NAMES)[1] == []  # nothing changes when nothing changed
    _, made = ensure_certificates(tmp_path, [*NAMES, "10.1.2.3"])
    assert made == ["the server certificate for " + ", ".join([*NAMES, "10.1.2.3"])]
    assert files.ca_cert.read_bytes() == ca_before and files.cert.read_bytes() != cert_before
    _, made = ensure_certificates(tmp_path, [*NAMES, "hub.training.example"])  # outside the CA's names
    assert made[0].startswith("a NEW certificate authority")
    assert files.ca_cert.read_bytes() != ca_before
