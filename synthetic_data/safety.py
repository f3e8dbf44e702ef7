"""Safe synthetic identifiers, and the scanner that proves a world contains no other kind.

Safe means impossible to confuse with a real person's or machine's identifier: reserved
domains (RFC 2606/6761), documentation IP ranges (RFC 5737, 3849, 9637), the documentation MAC
block (RFC 7042), phone numbers that no operator holds or that regulators publish for fiction,
Bitcoin testnet/regtest addresses (BIP 173/350), onion v3 names whose key is no ed25519 point
(so no service can ever hold them) and marked synthetic OpenPGP fingerprints. Rules:
shared/reference/safe-identifiers.md and docs/case-bundle.md.

The scanner runs over every file of a world before it is written, so it must be fast: each
file is decoded once and searched with one compiled regex; the expensive checks
(phonenumbers, ipaddress, checksums) run only on the few candidates it finds.
"""

from __future__ import annotations

import hashlib
import ipaddress
import random
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import phonenumbers

RESERVED_TLDS = ("example", "test", "invalid")
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")

_TEST_NETS_V4 = tuple(ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"))
_DOC_NETS_V6 = tuple(ipaddress.ip_network(n) for n in ("2001:db8::/32", "3fff::/20"))
_DOC_MAC_PREFIX = "00:00:5e:00:53:"

# Published fiction ranges, as E.164: UK Ofcom drama numbers, Australian ACMA fictitious
# numbers, and NANP 555-0100..0199 in any area code.
_FICTION_PHONE = re.compile(
    r"\+44(?:7700900\d{3}|1632960\d{3}|2079460\d{3})"
    r"|\+61(?:[2378](?:5550|7010)\d{4}|49157015[6-9]|491570110)"
    r"|\+1[2-9]\d\d55501\d\d"
)

# URLs whose host is an XML namespace or schema, not anyone's identifier (GraphML headers).
_NAMESPACE_URLS = ("http://graphml.graphdrawing.org/", "http://www.w3.org/")

# Generic TLDs seen in the wild often enough to matter for bare host names (every country-code
# TLD is added from phonenumbers' region list). Hosts in URLs and e-mail addresses are judged
# without this list: anything not reserved is unsafe there.
_GENERIC_TLDS = frozenset(
    """com net org info biz edu gov mil int app dev ai io co me tv cc ws asia mobi pro jobs tel
    travel xyz online site shop store top club vip live life world today news tech cloud space
    website link click email work agency group company solutions services network digital media
    money cash bank finance loan loans capital fund exchange market trade trading crypto bet casino
    games dating love date chat social team global center city tours fun icu buzz cyou sbs cfd bond
    lat uno monster ltd inc llc red blue pink gold support help zone one plus best cheap deals sale
    lol page blog wiki host press studio design art photo photos pics video uk eu su""".split()
)
# Country-code TLDs that are also common file extensions: judged only inside URLs and e-mails,
# so "notes.md" or "model.py" is not reported as a host.
_FILE_EXTENSIONS = frozenset({"md", "py", "sh", "pl", "rs", "ps", "so", "ai", "cc", "pro"})


@cache
def _bare_host_tlds() -> frozenset[str]:
    cc = {r.lower() for r in phonenumbers.SUPPORTED_REGIONS}
    return frozenset((cc | _GENERIC_TLDS) - _FILE_EXTENSIONS)


# ---------------------------------------------------------------- predicates


def is_safe_domain(host: str) -> bool:
    """True for a reserved TLD or reserved domain, or any subdomain of one."""
    host = host.strip().rstrip(".").lower()
    reserved = RESERVED_TLDS + RESERVED_DOMAINS
    return any(host == r or host.endswith("." + r) for r in reserved)


def is_safe_email(addr: str) -> bool:
    local, at, domain = addr.strip().rpartition("@")
    return bool(local and at) and is_safe_domain(domain)


def is_safe_ip(addr: str) -> bool:
    """IPv4 TEST-NET-1/2/3, IPv6 2001:db8::/32 and 3fff::/20."""
    try:
        ip = ipaddress.ip_address(addr.strip().strip("[]").split("%")[0])
    except ValueError:
        return False
    nets = _TEST_NETS_V4 if ip.version == 4 else _DOC_NETS_V6
    return any(ip in net for net in nets)  # type: ignore[operator]


def is_safe_mac(addr: str) -> bool:
    """The RFC 7042 documentation block 00:00:5e:00:53:00-ff (any separator, any case)."""
    return addr.lower().replace("-", ":").startswith(_DOC_MAC_PREFIX)


def parse_e164(e164: str) -> phonenumbers.PhoneNumber | None:
    """The number, or None if it has no known country code. Builds the PhoneNumber directly:
    8x faster than phonenumbers.parse, which matters when a world has thousands of numbers."""
    digits = re.sub(r"\D", "", e164)
    for k in (1, 2, 3):
        code, national = int(digits[:k] or 0), digits[k:]
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:  # country codes are prefix-free
            if not national:
                return None
            if national.startswith("0"):  # leading zeros need parse()'s handling
                try:
                    return phonenumbers.parse("+" + digits)
                except phonenumbers.NumberParseException:
                    return None
            return phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
    return None


def is_safe_phone(e164: str) -> bool:
    """Possible but not valid per phonenumbers (no operator holds it) and outside every range a
    country pack avoids (toll-free, hotlines, short codes), or a published fiction number."""
    number = "+" + re.sub(r"\D", "", e164)
    if _FICTION_PHONE.fullmatch(number):
        return True
    parsed = parse_e164(number)
    return (
        parsed is not None
        and phonenumbers.is_possible_number(parsed)
        and not phonenumbers.is_valid_number(parsed)
        and avoided_reason(parsed) is None
    )


@cache
def _avoided_ranges() -> dict[int, tuple[tuple[str, str, str], ...]]:
    """country calling code -> (leading national digits, why, pack code) from every country pack's
    `phone.avoid_prefixes`: numbers libphonenumber calls invalid that someone answers anyway."""
    from synthetic_data.country import list_countries

    out: dict[int, tuple[tuple[str, str, str], ...]] = {}
    for pack in list_countries():
        rules = tuple((a.digits, a.why, pack.code) for a in pack.avoid_prefixes)
        out[pack.phone_country_code] = out.get(pack.phone_country_code, ()) + rules
    return out


def avoided_reason(number: phonenumbers.PhoneNumber) -> str | None:
    """Why a possible number lies in a range a country pack avoids (`phone.avoid_prefixes`), or None."""
    national = str(number.national_number)
    for digits, why, code in _avoided_ranges().get(number.country_code, ()):
        if national.startswith(digits):
            return f"a {code} number in an avoided range ({why}); use an unallocated prefix from the pack"
    return None


# ---------------------------------------------------------------- bech32 (BIP 173 / BIP 350)

_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_SET = frozenset(_BECH32_CHARSET)
_BECH32_VALUE = {c: i for i, c in enumerate(_BECH32_CHARSET)}
_BECH32_CONST, _BECH32M_CONST = 1, 0x2BC830A3
_SAFE_HRPS = ("tb", "bcrt")


_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
# XOR of the generator values for each 5-bit "top" (BIP 173's inner loop, precomputed: 5x faster).
_POLYMOD_TABLE = tuple(
    (_GEN[0] if t & 1 else 0) ^ (_GEN[1] if t & 2 else 0) ^ (_GEN[2] if t & 4 else 0)
    ^ (_GEN[3] if t & 8 else 0) ^ (_GEN[4] if t & 16 else 0)
    for t in range(32)
)


def _polymod(values: Iterable[int], chk: int = 1) -> int:
    """BIP 173's checksum state over `values`, starting from `chk` (1, or the state after a prefix)."""
    table = _POLYMOD_TABLE
    for value in values:
        chk = ((chk & 0x1FFFFFF) << 5 ^ value) ^ table[chk >> 25]
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def bech32_decode(addr: str) -> tuple[str, list[int], int] | None:
    """(hrp, data without checksum, checksum constant) or None if not a valid bech32/bech32m string."""
    if addr.lower() != addr and addr.upper() != addr:
        return None  # mixed case is invalid
    addr = addr.lower()
    pos = addr.rfind("1")
    # characters 33..126 only: printable ASCII without the space (str methods: C speed)
    if pos < 1 or pos + 7 > len(addr) or len(addr) > 90 or not (addr.isascii() and addr.isprintable()) \
            or " " in addr:
        return None
    if not _BECH32_SET.issuperset(addr[pos + 1 :]):
        return None
    hrp, data = addr[:pos], [_BECH32_VALUE[c] for c in addr[pos + 1 :]]
    const = _polymod(_hrp_expand(hrp) + data)
    if const not in (_BECH32_CONST, _BECH32M_CONST):
        return None
    return hrp, data[:-6], const


@lru_cache(maxsize=16)
def _hrp_state(hrp: str) -> int:
    return _polymod(_hrp_expand(hrp))


def bech32_encode(hrp: str, data: list[int], const: int = _BECH32_CONST) -> str:
    mod = _polymod([*data, 0, 0, 0, 0, 0, 0], _hrp_state(hrp)) ^ const
    checksum = [(mod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(map(_BECH32_CHARSET.__getitem__, data + checksum))


def _groups5(value: int, bits: int) -> list[int]:
    """The 5-bit groups of a `bits`-bit number, zero-padded at the end: what _convertbits(…, 8, 5,
    True) gives for its big-endian bytes, in one pass of integer shifts."""
    pad = -bits % 5
    value <<= pad
    count = (bits + pad) // 5
    return [(value >> 5 * (count - 1 - i)) & 31 for i in range(count)]


def _convertbits(data: Iterable[int], frombits: int, tobits: int, pad: bool) -> list[int] | None:
    acc = bits = 0
    out: list[int] = []
    maxv = (1 << tobits) - 1
    for value in data:
        acc, bits = (acc << frombits) | value, bits + frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if pad and bits:
        out.append((acc << (tobits - bits)) & maxv)
    elif not pad and (bits >= frombits or (acc << (tobits - bits)) & maxv):
        return None
    return out


def decode_segwit(addr: str) -> tuple[str, int, bytes] | None:
    """(hrp, witness version, program) of a valid segwit address (BIP 173/350 rules), else None."""
    decoded = bech32_decode(addr)
    if decoded is None or not decoded[1]:
        return None
    hrp, data, const = decoded
    version, program = data[0], _convertbits(data[1:], 5, 8, False)
    if program is None or version > 16 or not 2 <= len(program) <= 40:
        return None
    if version == 0 and (len(program) not in (20, 32) or const != _BECH32_CONST):
        return None
    if version > 0 and const != _BECH32M_CONST:
        return None
    return hrp, version, bytes(program)


def is_safe_crypto_address(addr: str) -> bool:
    """A testnet (tb) or regtest (bcrt) segwit address with a valid checksum."""
    decoded = decode_segwit(addr.strip())
    return decoded is not None and decoded[0] in _SAFE_HRPS


def testnet_address(rng: random.Random) -> str:
    """A valid BIP-173 P2WPKH address on testnet (HRP "tb"): 20 random program bytes."""
    program = bytes(rng.getrandbits(8) for _ in range(20))
    return bech32_encode("tb", [0, *(_convertbits(program, 8, 5, True) or [])])


def testnet_taproot_address(rng: random.Random) -> str:
    """A valid BIP-350 P2TR address on testnet (HRP "tb", witness v1, bech32m): 32 random bytes."""
    return bech32_encode("tb", [1, *_groups5(rng.getrandbits(256), 256)], _BECH32M_CONST)


def testnet_address_fast(rng: random.Random) -> str:
    """Like testnet_address, drawing the 20 bytes in one call (a different stream of addresses:
    for new generation steps only, so existing worlds keep their addresses)."""
    return bech32_encode("tb", [0, *_groups5(rng.getrandbits(160), 160)])


# ---------------------------------------------------------------- onion v3 addresses (rend-spec-v3 §6)
#
# address = base32(PUBKEY | CHECKSUM | VERSION) + ".onion", CHECKSUM = SHA3-256(".onion checksum" |
# PUBKEY | VERSION)[:2], VERSION = 3. A synthetic address uses 32 random bytes that are NOT an
# ed25519 public key (no x fits the curve for that y, RFC 8032 §5.1.3): no private key exists
# for it, so no onion service can ever publish under it. A typo'd address fails its checksum,
# and Tor refuses it. Only a valid checksum on a real curve point could name a real service.

_ED25519_P = 2**255 - 19
_ED25519_D = (-121665 * pow(121666, _ED25519_P - 2, _ED25519_P)) % _ED25519_P
ONION_VERSION = 3


def is_ed25519_point(key: bytes) -> bool:
    """True when 32 bytes decode to a point of the ed25519 curve (RFC 8032 §5.1.3).

    The point exists when x² = u/v has a root mod p, i.e. when u·v is a quadratic residue
    (Euler's criterion on u·v: one modular power instead of an inverse and a power)."""
    y = int.from_bytes(key, "little") & ((1 << 255) - 1)
    sign = key[31] >> 7
    if y >= _ED25519_P:
        return False
    u, v = (y * y - 1) % _ED25519_P, (_ED25519_D * y * y + 1) % _ED25519_P
    if u == 0:
        return sign == 0  # x = 0: only the encoding with a clear sign bit is valid
    return pow(u * v % _ED25519_P, (_ED25519_P - 1) // 2, _ED25519_P) == 1


def onion_checksum(pubkey: bytes, version: int = ONION_VERSION) -> bytes:
    return hashlib.sha3_256(b".onion checksum" + pubkey + bytes([version])).digest()[:2]


def onion_parts(address: str) -> tuple[bytes, bytes, int] | None:
    """(pubkey, checksum, version) of a 56-character v3 onion name (with or without ".onion"), or None."""
    import base64

    name = address.strip().lower().removesuffix(".onion")
    if len(name) != 56 or any(c not in "abcdefghijklmnopqrstuvwxyz234567" for c in name):
        return None
    raw = base64.b32decode(name.upper())
    return raw[:32], raw[32:34], raw[34]


def onion_checksum_ok(address: str) -> bool:
    """True when a v3 onion address carries the right checksum and version (verified offline)."""
    parts = onion_parts(address)
    return parts is not None and parts[2] == ONION_VERSION and onion_checksum(parts[0]) == parts[1]


def onion_address(pubkey: bytes) -> str:
    import base64

    raw = pubkey + onion_checksum(pubkey) + bytes([ONION_VERSION])
    return base64.b32encode(raw).decode().lower() + ".onion"


def synthetic_onion(rng: random.Random, prefix: bytes = b"") -> str:
    """A v3 onion address with a valid checksum whose key is no ed25519 point (never resolves).
    `prefix` fixes the first key bytes, as a phishing mirror copies a vanity prefix."""
    while True:
        key = prefix + bytes(rng.getrandbits(8) for _ in range(32 - len(prefix)))
        if not is_ed25519_point(key):
            return onion_address(key)


# ---------------------------------------------------------------- OpenPGP-like key fingerprints
#
# A real v4 fingerprint is 40 hex digits (SHA-1), shown by GnuPG in ten groups of four. A
# synthetic one carries a mark: its last 8 hex digits are the first 4 bytes of SHA-256 of a
# fixed label and its first 16 bytes (a real key passes by chance once in 4 billion).

_PGP_MARK = b"osintlab synthetic OpenPGP fingerprint\x00"


def _fingerprint_mark(head: bytes) -> bytes:
    return hashlib.sha256(_PGP_MARK + head).digest()[:4]


def is_synthetic_fingerprint(value: str) -> bool:
    digits = re.sub(r"[^0-9A-Fa-f]", "", value)
    if len(digits) != 40:
        return False
    raw = bytes.fromhex(digits)
    return raw[16:] == _fingerprint_mark(raw[:16])


def synthetic_fingerprint(rng: random.Random) -> str:
    """A marked 40-hex fingerprint in GnuPG's display form ("4F2A 9C1B ..."), every group with a
    letter, so no group of digits reads as a phone number or an amount."""
    while True:
        head = bytes(rng.getrandbits(8) for _ in range(16))
        digits = (head + _fingerprint_mark(head)).hex().upper()
        groups = [digits[i : i + 4] for i in range(0, 40, 4)]
        if all(any(c in "ABCDEF" for c in group) for group in groups):
            return " ".join(groups)


# ---------------------------------------------------------------- generators


def test_ipv4(rng: random.Random) -> str:
    net = rng.choice(_TEST_NETS_V4)
    return str(net.network_address + rng.randint(1, 254))


def test_ipv6(rng: random.Random) -> str:
    return str(ipaddress.IPv6Address((0x20010DB8 << 96) | rng.getrandbits(96)))


def doc_mac(rng: random.Random) -> str:
    return f"{_DOC_MAC_PREFIX}{rng.randint(0, 255):02x}"


# Pytest would collect these functions as tests (their names start with "test").
test_ipv4.__test__ = False  # type: ignore[attr-defined]
test_ipv6.__test__ = False  # type: ignore[attr-defined]
testnet_address.__test__ = False  # type: ignore[attr-defined]
testnet_taproot_address.__test__ = False  # type: ignore[attr-defined]
testnet_address_fast.__test__ = False  # type: ignore[attr-defined]


# ---------------------------------------------------------------- scanner
#
# Speed: one general regex pass over a file is ~50 ms per 6 MB in CPython, so the scanner runs
# on bytes (no decoding) and uses passes that start with a literal ("://", "@", ".", "+", ":"),
# which the regex engine skips to at memchr speed, plus two passes that start with a digit or
# a crypto-address prefix. Context rules (what precedes a candidate, is it inside a URL) are
# checked in Python on the few candidates only.


@dataclass(frozen=True)
class Finding:
    file: str
    line: int  # 1-based; 0 for EXIF fields of an image
    kind: str
    value: str
    reason: str


_URL = re.compile(rb"://([^/?#\s\"'<>\\`{}|^]*)[^\s\"'<>\\`{}|^]*")
_EMAIL = re.compile(rb"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_EMAIL_LOCAL = re.compile(rb"[A-Za-z0-9._%+-]{1,64}\Z")
_TLD = re.compile(rb"\.([a-z]{2,24})(?![a-z0-9-])")
_HOST_BACK = re.compile(rb"[a-z0-9][a-z0-9.-]*\Z")
_E164 = re.compile(rb"\+\d[\d ().-]{5,}\d")
# IPv6 has "::" or at least three colons; times ("10:30:00") have two and are never candidates.
_COLON = re.compile(rb":(?::|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)")
_HEXCOLON = re.compile(rb"[0-9A-Fa-f:.]+")
_NUMBERS = re.compile(rb"\d[\d .()-]{5,}\d")
_DIGITS = re.compile(rb"\d+")
_IPV4 = re.compile(rb"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")
_ETH = re.compile(rb"0x[0-9a-fA-F]{40}")
_BECH32_PREFIXES = (b"bc1", b"tb1", b"bcrt1")
_BECH32_TOKEN = re.compile(rb"[0-9a-z]+")
# Runs of base58 characters: translate every base58 byte to "a" and search a literal run,
# ~10x faster than a regex that starts at every digit of every hex id.
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_NOT_B58 = bytes(sorted(set(range(256)) - set(_B58.encode())))
_B58_RUN = bytes.maketrans(
    _NOT_B58 + b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", b" " * len(_NOT_B58) + b"a" * 58
)
_WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_NOT_BEFORE_NUMBER = _WORD | frozenset(b"+/.,:-")
_MAC_DASHED = re.compile(rb"-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}")


def _before(data: bytes, pos: int) -> int:
    return data[pos - 1] if pos > 0 else 0x20


def _after(data: bytes, pos: int) -> int:
    return data[pos] if pos < len(data) else 0x20


@dataclass(frozen=True, slots=True)
class _LocalFormat:
    region: str
    country_code: int
    trunk: bool  # written with a leading 0 before the national number
    groups: tuple[int, ...]  # digit-group lengths as locals write it, e.g. (4, 4)


@cache
def _local_formats(countries: tuple[str, ...] | None = None) -> tuple[_LocalFormat, ...]:
    """The local mobile formats ("0XX-XXX-XXXX" -> groups 3, 3, 4) of the packs of `countries`,
    or of every pack. A number written without its country code reads as a number of the
    world's own countries: in a Vietnamese world, "0XX XXX XXXX" is read as Vietnamese."""
    from synthetic_data.country import list_countries

    out = []
    for pack in list_countries():
        if countries is not None and pack.code not in countries:
            continue
        region = phonenumbers.region_code_for_country_code(pack.phone_country_code)
        groups = tuple(len(g) for g in re.findall(r"[0-9X]+", pack.local_format))
        out.append(_LocalFormat(region, pack.phone_country_code, pack.local_format.startswith("0"), groups))
    return tuple(out)


@lru_cache(maxsize=65536)
def _valid_reason(e164: str) -> str | None:
    """Why a complete E.164 number is unsafe (None when safe or not a phone number at all)."""
    if _FICTION_PHONE.fullmatch(e164):
        return None
    number = parse_e164(e164)
    if number is not None and phonenumbers.is_valid_number(number):
        region = phonenumbers.region_code_for_number(number)
        return f"a valid, assignable {region} number; use an unallocated prefix from a country pack"
    if number is not None and phonenumbers.is_possible_number(number):
        return avoided_reason(number)
    return None


@lru_cache(maxsize=65536)
def _e164_reason(value: str) -> str | None:
    """A number may run into more digits (a year, a count): try the longest digit-group prefix first."""
    groups = re.findall(r"\d+", value)
    for k in range(len(groups), 0, -1):
        digits = "".join(groups[:k])
        if not 7 <= len(digits) <= 15:
            continue
        number = "+" + digits
        if _FICTION_PHONE.fullmatch(number):
            return None
        parsed = parse_e164(number)
        if parsed is not None and phonenumbers.is_possible_number(parsed):
            return _valid_reason(number)
    return None


def _written_like(lens: tuple[int, ...], fmt: _LocalFormat) -> bool:
    """Grouped as the pack writes it, unseparated, or in groups of 3+ digits of the right total
    ("01712-345-678"); shorter groups would make dates and amounts look like phone numbers.
    Without a trunk 0 to mark a phone number (MN, IN, NP), regrouped digits are too often an
    order or receipt number ("2025-000123"): only the pack's own grouping or one run counts."""
    if lens == fmt.groups:
        return True
    return sum(lens) == sum(fmt.groups) and min(lens) >= 3 and (fmt.trunk or len(lens) == 1)


@lru_cache(maxsize=65536)
def _local_reason(value: bytes, countries: tuple[str, ...] | None = None) -> str | None:
    """Judge digits written the way a pack's country writes mobiles ("9911 2233", "081-234-5678"),
    or with the international prefix 00 ("00976 9911 2233"). A number may run into more digits
    (a year, a count): every leading run of groups is tried."""
    groups = _DIGITS.findall(value)
    if groups[0].startswith(b"00"):
        return _e164_reason("+" + value.decode().removeprefix("00"))
    for k in range(len(groups), 0, -1):
        lens, digits = tuple(len(g) for g in groups[:k]), b"".join(groups[:k]).decode()
        for fmt in _local_formats(countries):
            if fmt.trunk != digits.startswith("0") or not _written_like(lens, fmt):
                continue
            reason = _valid_reason(f"+{fmt.country_code}{digits[1:] if fmt.trunk else digits}")
            if reason:
                return reason
    return None


def _base58check(addr: str) -> bool:
    num = 0
    for ch in addr:
        num = num * 58 + _B58.index(ch)
    if num >= 1 << 200:
        return False
    raw = num.to_bytes(25, "big")
    return hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()[:4] == raw[21:]


def _host_reason(host: str, *, bare: bool) -> str | None:
    if is_safe_domain(host):
        return None
    tld = host.rsplit(".", 1)[-1].lower()
    if bare and tld not in _bare_host_tlds():
        return None  # "ab.jpg", "file.name": not a host on the internet
    return "a real (non-reserved) domain; use *.example, *.test, *.invalid or example.com/.net/.org"


@lru_cache(maxsize=4096)
def _authority_reason(scheme_authority: bytes) -> str:
    """Cached per host: a world has thousands of URLs on a few dozen hosts."""
    return _url_reason(scheme_authority.decode("utf-8", "replace") + "/") or ""


def _url_reason(url: str) -> str | None:
    if url.startswith(_NAMESPACE_URLS):
        return None
    authority = re.split(r"[/?#]", url.split("://", 1)[1], maxsplit=1)[0].rsplit("@", 1)[-1]
    if authority.startswith("["):
        host = authority[1 : authority.find("]")]
    else:
        host = authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority
    host = host.rstrip(".,;:)")
    if host.lower().endswith(".onion"):
        return _onion_reason(host)
    if re.fullmatch(r"[\d.]+", host) or ":" in host:
        return None if is_safe_ip(host) else "a URL on a routable IP address; use a documentation range"
    return _host_reason(host, bare=False)


def _ip_reason(value: str) -> str | None:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return None  # a time, a version number: not an address
    return None if is_safe_ip(value) else "a routable IP address; use TEST-NET-1/2/3 or 2001:db8::/32"


@lru_cache(maxsize=65536)
def _crypto_reason(value: str) -> str | None:
    if value.startswith("0x"):
        return "an Ethereum-style address; use testnet_address()"
    if value[0] in "13" and not value.lower().startswith(("bc1", "tb1")):
        mixed_case = value.lower() != value and value.upper() != value
        return "a legacy Bitcoin address; use testnet_address()" if _base58check(value) or mixed_case else None
    if is_safe_crypto_address(value):
        return None
    # Strings with a bad checksum are no one's address, unless they have an address's length.
    looks_real = decode_segwit(value) is not None or len(value) in (42, 62)
    if value.lower().startswith(("tb1", "bcrt1")):
        return (
            "a testnet-looking address with a bad checksum; generate it with testnet_address()" if looks_real else None
        )
    return "a mainnet Bitcoin address; use testnet_address()" if looks_real else None


@lru_cache(maxsize=4096)
def _onion_reason(host: str) -> str | None:
    """Cached per name: a world repeats its few mirrors and vendor hosts in many pages."""
    name = host.lower().removesuffix(".onion").rsplit(".", 1)[-1]
    if len(name) == 16:
        return "a v2 onion name (retired, but once a real service); use synthetic_onion()"
    parts = onion_parts(name)
    if parts is None or not onion_checksum_ok(name):
        return None  # no valid v3 name: Tor refuses it (the fake mirrors of the labs)
    if is_ed25519_point(parts[0]):
        return "an onion v3 address whose key is a real ed25519 point (it could name a real service); " \
               "use synthetic_onion()"
    return None


# Each candidate: (start, end, kind, reason).
_Hit = tuple[int, int, str, str]

_ONION_NAME = re.compile(rb"[a-z2-7]+\Z")
_PGP_GROUPED = re.compile(rb"[0-9A-F]{4}(?: {1,2}[0-9A-F]{4}){9}")
_HEX40 = re.compile(rb"[0-9A-Fa-f]{40}")
_HEX = frozenset(b"0123456789abcdefABCDEF")
_PGP_WORDS = (b"fingerprint", b"pgp", b"gpg")  # "openpgp" ends in "pgp"
_PGP_SHAPE = bytes(ord("h") if chr(i) in "0123456789ABCDEF" else ord("s") if i == 32 else ord(".")
                   for i in range(256))


def _onions(data: bytes) -> Iterator[_Hit]:
    """Onion names outside URLs ("xxxx.onion" in text): found from the literal ".onion"."""
    pos = data.find(b".onion")
    while pos >= 0:
        name = _ONION_NAME.search(data, max(0, pos - 56), pos)
        if name and _after(data, pos + 6) not in _WORD and _before(data, name.start()) not in _WORD:
            host = data[name.start() : pos + 6].decode()
            yield name.start(), pos + 6, "onion", _onion_reason(host) or ""
        pos = data.find(b".onion", pos + 6)


def _fingerprints(data: bytes) -> Iterator[_Hit]:
    """OpenPGP fingerprints: GnuPG's ten groups of four, or 40 hex digits after a word like
    "fingerprint" or "PGP". Only synthetic (marked) ones are safe."""
    reason = "an OpenPGP key fingerprint that is not synthetic; use synthetic_fingerprint()"
    shape = data.translate(_PGP_SHAPE)  # upper-case hex -> "h", space -> "s": then find a literal
    pos = shape.find(b"hhhhshhhhshhhh")
    while pos >= 0:
        m = _PGP_GROUPED.match(data, pos)
        if m and _before(data, m.start()) not in _HEX and _after(data, m.end()) not in _HEX:
            ok = is_synthetic_fingerprint(m.group().decode())
            yield m.start(), m.end(), "fingerprint", "" if ok else reason
            pos = shape.find(b"hhhhshhhhshhhh", m.end())
        else:
            pos = shape.find(b"hhhhshhhhshhhh", pos + 5)
    lower, seen = data.lower(), set()
    for word in _PGP_WORDS:  # literal finds: a case-insensitive regex over every byte is slow
        pos = lower.find(word)
        while pos >= 0:
            end = pos + len(word)
            for m in _HEX40.finditer(data, end, end + 80):
                if m.start() in seen or _before(data, m.start()) in _HEX or _after(data, m.end()) in _HEX:
                    continue
                seen.add(m.start())
                ok = is_synthetic_fingerprint(m.group().decode())
                yield m.start(), m.end(), "fingerprint", "" if ok else reason
            pos = lower.find(word, end)


def _urls_and_emails(data: bytes) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _URL.finditer(data):
        tail = data[max(0, m.start() - 5) : m.start()].lower()
        scheme = b"https" if tail == b"https" else next((s for s in (b"http", b"ftp") if tail.endswith(s)), b"")
        if scheme:
            start = m.start() - len(scheme)
            reason = _authority_reason(data[start : m.start(1)] + m.group(1))
            hits.append((start, m.end(), "url", reason))
    for m in _EMAIL.finditer(data):
        local = _EMAIL_LOCAL.search(data, max(0, m.start() - 64), m.start())
        if local and not local.group().startswith(b"."):
            addr = data[local.start() : m.end()].decode("utf-8", "replace")
            reason = "" if is_safe_email(addr) else "an e-mail address on a real domain; use a reserved domain"
            hits.append((local.start(), m.end(), "email", reason))
    return hits


@cache
def _real_tlds() -> frozenset[bytes]:
    return frozenset(t.encode() for t in _bare_host_tlds())


def _hosts(data: bytes) -> Iterator[_Hit]:
    real = _real_tlds()
    for m in _TLD.finditer(data):
        tld = m.group(1)
        following = _after(data, m.end())
        if tld not in real or following in b"=(" or (following == 0x2E and m.end() + 1 < len(data)):
            continue  # "attr.name=", "obj.call(", or not the last label
        back = _HOST_BACK.search(data, max(0, m.start() - 253), m.start())
        if back is None or _before(data, back.start()) in _WORD or _before(data, back.start()) in b"@./-":
            continue
        host = data[back.start() : m.end()].decode()
        if ".." not in host:
            yield back.start(), m.end(), "host", _host_reason(host, bare=True) or ""


def _addresses(data: bytes) -> Iterator[_Hit]:
    """IPv6 and MAC addresses, found from their colons."""
    last_end = -1
    for m in _COLON.finditer(data):
        if m.start() < last_end:
            continue
        start = m.start()
        while start > 0 and start > m.start() - 5 and data[start - 1 : start] in b"0123456789ABCDEFabcdef":
            start -= 1
        token = _HEXCOLON.match(data, start)
        assert token is not None
        last_end = token.end()
        if _before(data, start) in _WORD or _after(data, token.end()) in _WORD:
            continue
        value = token.group().rstrip(b".").decode()
        if value.endswith(":") and not value.endswith("::"):
            value = value[:-1]  # "at 2001:db8::1:" ends a sentence, not the address
        if re.fullmatch(r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}", value):
            reason = None if is_safe_mac(value) else "a real MAC address; use 00:00:5e:00:53:xx (RFC 7042)"
            yield start, token.end(), "mac", reason or ""
        elif value.count(":") >= 2:
            yield start, token.end(), "ipv6", _ip_reason(value) or ""


def _dashed_macs(data: bytes) -> Iterator[_Hit]:
    for m in _MAC_DASHED.finditer(data):
        start = m.start() - 2
        value = data[start : m.end()]
        bounded = start >= 0 and _before(data, start) not in _WORD and _after(data, m.end()) not in _WORD
        if bounded and re.fullmatch(rb"[0-9A-Fa-f]{2}", value[:2]) and not is_safe_mac(value.decode()):
            yield start, m.end(), "mac", "a real MAC address; use 00:00:5e:00:53:xx (RFC 7042)"


def _numbers(data: bytes, countries: tuple[str, ...] | None = None) -> Iterator[_Hit]:
    """Phone numbers (E.164 and local formats) and IPv4 addresses. Tens of thousands of digit
    runs (dates, amounts) reach the second loop, so it rejects them with byte look-ups first."""
    for m in _E164.finditer(data):
        if _before(data, m.start()) not in _WORD:
            yield m.start(), m.end(), "phone", _e164_reason(m.group().decode()) or ""
    size, not_before, word = len(data), _NOT_BEFORE_NUMBER, _WORD
    for m in _NUMBERS.finditer(data):
        start, end = m.span()
        if (start and data[start - 1] in not_before) or (end < size and data[end] in word):
            continue
        value = m.group()
        if b"." not in value:
            yield start, end, "phone", _local_reason(value, countries) or ""
        elif _IPV4.fullmatch(value):
            yield start, end, "ipv4", _ip_reason(value.decode()) or ""


def _crypto(data: bytes) -> Iterator[_Hit]:
    for m in _ETH.finditer(data):
        if _before(data, m.start()) not in _WORD and _after(data, m.end()) not in _WORD:
            yield m.start(), m.end(), "crypto", _crypto_reason(m.group().decode()) or ""
    lower = data.lower()
    for prefix in _BECH32_PREFIXES:
        pos = lower.find(prefix)
        while pos >= 0:
            token = _BECH32_TOKEN.match(lower, pos)
            assert token is not None
            if _before(data, pos) not in _WORD and _after(data, token.end()) not in _WORD and len(token.group()) >= 14:
                yield pos, token.end(), "crypto", _crypto_reason(data[pos : token.end()].decode()) or ""
            pos = lower.find(prefix, token.end())
    runs = data.translate(_B58_RUN)
    pos = runs.find(b"a" * 26)
    while pos >= 0:
        end = runs.find(b" ", pos)
        end = len(data) if end < 0 else end
        # Searching on from the end of the last run, every hit is the start of a run.
        if (
            data[pos] in b"13"
            and end - pos <= 35
            and _before(data, pos) not in _WORD
            and _after(data, end) not in _WORD
        ):
            yield pos, end, "crypto", _crypto_reason(data[pos:end].decode()) or ""
        pos = runs.find(b"a" * 26, end)


def _scan_data(name: str, data: bytes, countries: tuple[str, ...] | None = None) -> list[Finding]:
    spans = _urls_and_emails(data)
    covered = sorted((s, e) for s, e, _, _ in spans)
    starts = [s for s, _ in covered]

    def inside(pos: int) -> bool:
        i = bisect_right(starts, pos) - 1
        return i >= 0 and covered[i][0] <= pos < covered[i][1]

    hits = [h for h in spans if h[3]]
    passes = (_hosts(data), _addresses(data), _dashed_macs(data), _numbers(data, countries), _crypto(data),
              _onions(data), _fingerprints(data))
    for found in passes:
        hits.extend(h for h in found if h[3] and not inside(h[0]))
    hits.sort()
    return [
        Finding(name, data.count(b"\n", 0, s) + 1, kind, data[s:e].decode("utf-8", "replace").strip(), reason)
        for s, e, kind, reason in hits
    ]


def scan_text(name: str, text: str) -> list[Finding]:
    """Unsafe identifiers in one text (lines counted from 1)."""
    return _scan_data(name, text.encode("utf-8"))


def _exif_segment(data: bytes) -> bytes:
    """The APP1 "Exif" payload of a JPEG (walking its markers), or b"" if it has none."""
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker, length = data[pos + 1], int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker == 0xE1 and data[pos + 4 : pos + 10] == b"Exif\x00\x00":
            return data[pos + 4 : pos + 2 + length]
        if marker == 0xDA:  # start of scan: no metadata after this
            break
        pos += 2 + length
    return b""


def _exif_texts(data: bytes) -> Iterator[tuple[str, str]]:
    """(tag name, text) of every text field in a JPEG's EXIF, including the Exif and GPS sub-IFDs.
    Pillow parses only the EXIF segment, not the whole image (5x faster than Image.open)."""
    from PIL import ExifTags, Image

    segment = _exif_segment(data)
    if not segment:
        return
    exif = Image.Exif()
    try:
        exif.load(segment)
        ifds = [exif, exif.get_ifd(ExifTags.IFD.Exif), exif.get_ifd(ExifTags.IFD.GPSInfo)]
    except (OSError, ValueError, SyntaxError):  # a corrupt EXIF block holds nothing we can read
        return
    for ifd in ifds:
        for tag, value in ifd.items():
            name = ExifTags.TAGS.get(tag, str(tag))
            if isinstance(value, bytes):  # XP* tags are UTF-16, UserComment has an 8-byte charset header
                value = value.decode("utf-16-le" if name.startswith("XP") else "utf-8", "replace")
            if isinstance(value, str):
                yield name, value.strip("\x00")


def _scan_file(name: str, data: bytes, countries: tuple[str, ...] | None = None) -> list[Finding]:
    if data[:2] == b"\xff\xd8":
        return [
            Finding(name, 0, f.kind, f.value, f"{f.reason} (EXIF {tag})")
            for tag, text in _exif_texts(data)
            for f in scan_text(name, text)
        ]
    if b"\x00" in data[:1024]:
        return []  # other binary files carry no text identifiers we generate
    return _scan_data(name, data, countries)


MANIFEST = "case/manifest.json"


def _world_countries(manifest: bytes) -> tuple[str, ...] | None:
    """The origin and destination codes of a world's manifest (None if unreadable)."""
    import json

    try:
        countries = json.loads(manifest)["countries"]
        return tuple(sorted({countries["origin"], countries["destination"]}))
    except (ValueError, KeyError, TypeError):
        return None


def scan_bytes(files: Iterable[tuple[str, bytes]]) -> list[Finding]:
    """Unsafe identifiers in (relative path, content) pairs; the generator calls this before writing.

    Once the world's manifest (case/manifest.json) has been seen, numbers written without a
    country code are judged as numbers of the world's own countries; before it (or without
    it), as numbers of every country pack's country."""
    findings: list[Finding] = []
    countries: tuple[str, ...] | None = None
    for name, data in files:
        if name == MANIFEST:
            countries = _world_countries(data)
        findings += _scan_file(name, data, countries)
    return findings


def scan_world(path: Path) -> list[Finding]:
    """Unsafe identifiers in every file under a world directory (case/ and key/)."""
    root = Path(path)
    files = sorted(p for p in root.rglob("*") if p.is_file())
    files.sort(key=lambda p: p.relative_to(root).as_posix() != MANIFEST)  # the manifest first
    return scan_bytes((p.relative_to(root).as_posix(), p.read_bytes()) for p in files)


def format_findings(findings: list[Finding]) -> str:
    """One line per finding: file:line: kind value — reason."""
    return "\n".join(f"{f.file}:{f.line}: {f.kind} {f.value} — {f.reason}" for f in findings)
