"""The classroom's HTTPS: a small certificate authority of the hub's own, and the server's certificate.

Officers' browsers trust the hub once the trainer installs `osintlab-classroom-ca.crt` on each
laptop (the handbook's trainer guide says how). The authority carries X.509 name constraints:
it can only vouch for the hub's own names, local names (.local, .lan, .internal, .home.arpa) and
private or loopback addresses, so a laptop that trusts it cannot be fooled about any other site
even if the authority's key were stolen. The server certificate is re-issued by the same
authority when the hub's names or addresses change, so laptops keep trusting it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_bytes
from osintlab.i18n import _

CA_CERT, CA_KEY = "osintlab-classroom-ca.crt", "ca.key"
SERVER_CERT, SERVER_KEY = "server.crt", "server.key"
CA_DAYS, SERVER_DAYS = 3650, 825  # 825 days: the longest that Apple devices accept for a server certificate
RENEW_DAYS = 30
LOCAL_SUFFIXES = ("local", "lan", "internal", "home.arpa")
PRIVATE_NETWORKS = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16",
                    "100.64.0.0/10", "fc00::/7", "::1/128")


@dataclass(frozen=True)
class TlsFiles:
    folder: Path

    @property
    def ca_cert(self) -> Path:
        return self.folder / CA_CERT

    @property
    def ca_key(self) -> Path:
        return self.folder / CA_KEY

    @property
    def cert(self) -> Path:
        return self.folder / SERVER_CERT

    @property
    def key(self) -> Path:
        return self.folder / SERVER_KEY


def machine_names() -> list[str]:
    """This machine's host name, its .local name, localhost, and its IPv4 addresses (from `hostname -I`)."""
    host = socket.gethostname().split(".")[0].lower()
    names = [host, f"{host}.local", "localhost", "127.0.0.1"]
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    for word in out.split():
        try:
            address = ipaddress.ip_address(word)
        except ValueError:
            continue
        if address.version == 4 and not address.is_loopback:
            names.append(str(address))
    return list(dict.fromkeys(names))


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _general_names(names: list[str]) -> list[object]:
    from cryptography import x509

    return [x509.IPAddress(ipaddress.ip_address(n)) if _is_ip(n) else x509.DNSName(n) for n in names]


def _constraints(names: list[str]) -> object:
    """Permitted subtrees: the hub's own names, local name suffixes, private and loopback networks."""
    from cryptography import x509

    dns = sorted({n for n in names if not _is_ip(n)} | set(LOCAL_SUFFIXES) | {"localhost"})
    networks = [ipaddress.ip_network(n) for n in PRIVATE_NETWORKS]
    for n in names:
        if _is_ip(n) and not any(ipaddress.ip_address(n) in net for net in networks):
            networks.append(ipaddress.ip_network(n))
    permitted = [x509.DNSName(d) for d in dns] + [x509.IPAddress(net) for net in networks]
    return x509.NameConstraints(permitted_subtrees=permitted, excluded_subtrees=None)


def _new_key() -> object:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)  # RSA 2048: every laptop accepts it


def _write_key(path: Path, key: object) -> None:
    from cryptography.hazmat.primitives import serialization

    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,  # type: ignore[attr-defined]
                             serialization.NoEncryption())
    atomic_write_bytes(path, data)
    os.chmod(path, 0o600)


def _write_cert(path: Path, cert: object) -> None:
    from cryptography.hazmat.primitives import serialization

    atomic_write_bytes(path, cert.public_bytes(serialization.Encoding.PEM))  # type: ignore[attr-defined]
    os.chmod(path, 0o644)


def _load(files: TlsFiles) -> tuple[object, object] | None:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    if not (files.ca_cert.is_file() and files.ca_key.is_file()):
        return None
    try:
        cert = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
        key = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
    except ValueError:
        raise UserError(_("{folder} holds a damaged certificate or key: move the folder away and run {command} "
                          "again (then install the new certificate on the laptops).").format(
            folder=files.folder, command="osintlab hub setup")) from None
    return cert, key


def _ca_covers(cert: object, names: list[str]) -> bool:
    from cryptography import x509

    constraints = cert.extensions.get_extension_for_class(x509.NameConstraints).value  # type: ignore[attr-defined]
    dns = [g.value for g in constraints.permitted_subtrees if isinstance(g, x509.DNSName)]
    nets = [g.value for g in constraints.permitted_subtrees if isinstance(g, x509.IPAddress)]
    for name in names:
        if _is_ip(name):
            if not any(ipaddress.ip_address(name) in net for net in nets):
                return False
        elif not any(name == d or name.endswith("." + d) for d in dns):
            return False
    return True


def _make_ca(files: TlsFiles, names: list[str]) -> tuple[object, object]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    key = _new_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"osintlab classroom CA ({names[0]})"[:64]),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "osintlab classroom")])
    now = dt.datetime.now(dt.UTC)
    public = key.public_key()  # type: ignore[attr-defined]
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(_constraints(names), critical=True)  # type: ignore[arg-type]
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(key, hashes.SHA256()))  # type: ignore[arg-type]
    _write_key(files.ca_key, key)
    _write_cert(files.ca_cert, cert)
    return cert, key


def _server_ok(files: TlsFiles, ca_cert: object, names: list[str]) -> bool:
    from cryptography import x509

    if not (files.cert.is_file() and files.key.is_file()):
        return False
    try:
        cert = x509.load_pem_x509_certificate(files.cert.read_bytes())
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, x509.ExtensionNotFound):
        return False
    current = {str(v) for v in san.get_values_for_type(x509.DNSName)}
    current |= {str(v) for v in san.get_values_for_type(x509.IPAddress)}
    fresh = cert.not_valid_after_utc - dt.datetime.now(dt.UTC) > dt.timedelta(days=RENEW_DAYS)
    return current == set(names) and cert.issuer == ca_cert.subject and fresh  # type: ignore[attr-defined]


def _make_server(files: TlsFiles, ca_cert: object, ca_key: object, names: list[str]) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = _new_key()
    now = dt.datetime.now(dt.UTC)
    public = key.public_key()  # type: ignore[attr-defined]
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0][:64])]))
            .issuer_name(ca_cert.subject).public_key(public)  # type: ignore[attr-defined]
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=True,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName(_general_names(names)), critical=False)  # type: ignore[arg-type]
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),  # type: ignore[attr-defined]
                           critical=False)
            .sign(ca_key, hashes.SHA256()))  # type: ignore[arg-type]
    _write_key(files.key, key)
    _write_cert(files.cert, cert)


def ensure_certificates(folder: Path, names: list[str]) -> tuple[TlsFiles, list[str]]:
    """Make what is missing or out of date; returns the files and what was made (for the trainer, in the
    current language).

    `names`: host names and IP addresses officers use to reach the hub (the first is the main one).
    """
    files = TlsFiles(Path(folder))
    files.folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    made = []
    loaded = _load(files)
    if loaded is None or not _ca_covers(loaded[0], names):
        if loaded is not None:
            made.append(_("a NEW certificate authority (install it again on every laptop)"))
        else:
            made.append(_("the certificate authority"))
        loaded = _make_ca(files, names)
    ca_cert, ca_key = loaded
    if not _server_ok(files, ca_cert, names):
        _make_server(files, ca_cert, ca_key, names)
        made.append(_("the server certificate for {names}").format(names=", ".join(names)))
    return files, made
