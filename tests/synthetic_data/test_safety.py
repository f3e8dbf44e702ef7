"""Safe identifiers, bech32 (BIP 173/350 test vectors) and the world scanner."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import phonenumbers
import pytest
from PIL import Image

from synthetic_data import safety
from synthetic_data.safety import (
    Finding,
    bech32_decode,
    bech32_encode,
    decode_segwit,
    doc_mac,
    format_findings,
    is_safe_crypto_address,
    is_safe_domain,
    is_safe_email,
    is_safe_ip,
    is_safe_phone,
    scan_bytes,
    scan_world,
    test_ipv4,
    test_ipv6,
    testnet_address,
)

# ---------------------------------------------------------------- predicates


@pytest.mark.parametrize("host", ["example", "a.example", "x.y.test", "foo.invalid", "example.com", "www.example.org"])
def test_safe_domains(host: str) -> None:
    assert is_safe_domain(host) and is_safe_domain(host.upper() + ".")


@pytest.mark.parametrize("host", ["example.mn", "notexample.com", "example.com.mn", "google.com", "bank.test.mn"])
def test_unsafe_domains(host: str) -> None:
    assert not is_safe_domain(host)


def test_emails() -> None:
    assert is_safe_email("bold.bat@mailbox.example") and is_safe_email("hr@example.net")
    assert not is_safe_email("bold@gmail.com") and not is_safe_email("@mailbox.example")


@pytest.mark.parametrize("ip", ["192.0.2.1", "198.51.100.200", "203.0.113.9", "2001:db8::1", "3fff:0fff::1"])
def test_safe_ips(ip: str) -> None:
    assert is_safe_ip(ip)


@pytest.mark.parametrize("ip", ["8.8.8.8", "192.0.3.1", "10.0.0.1", "2001:4860::8888", "3fff:1000::1", "not an ip"])
def test_unsafe_ips(ip: str) -> None:
    assert not is_safe_ip(ip)


@pytest.mark.parametrize(
    "phone",
    [
        "+447700900123",  # Ofcom drama mobile
        "+44 1632 960 001",
        "+44 20 7946 0999",
        "+61 2 5550 1234",  # ACMA
        "+61491570157",
        "+1 202 555 0142",  # NANP fiction
        "+97640123456",  # no Mongolian number starts with 3 or 4 (docs/decisions/0003)
        "+97630123456",
    ],
)
def test_safe_phones(phone: str) -> None:
    assert is_safe_phone(phone)


@pytest.mark.parametrize("phone", ["+97618001858", "+97619001918", "+97610123456", "+97615123456", "+97613124567"])
def test_mongolian_numbers_starting_with_1_are_refused(phone: str) -> None:
    """Invalid for libphonenumber, yet hotlines (1800/1900), emergency codes (101-108) and the
    capital's area code: the scanner refuses them, in E.164 and as Mongolians write them."""
    assert not phonenumbers.is_valid_number(phonenumbers.parse(phone))
    assert not is_safe_phone(phone)
    local = f"{phone[4:8]} {phone[8:]}"
    assert [f.kind for f in safety.scan_text("ad.txt", f"call {phone} or {local}")] == ["phone", "phone"]


@pytest.mark.parametrize("phone", ["+97699112233", "+8801712345678", "+66812345678", "+12024561111", "+447911123456"])
def test_real_phones_are_unsafe(phone: str) -> None:
    assert phonenumbers.is_valid_number(phonenumbers.parse(phone))
    assert not is_safe_phone(phone)


def test_generators_make_safe_identifiers() -> None:
    rng = random.Random(5)
    for _ in range(200):
        assert is_safe_ip(test_ipv4(rng)) and is_safe_ip(test_ipv6(rng))
        assert safety.is_safe_mac(doc_mac(rng))
        assert is_safe_crypto_address(testnet_address(rng))
    assert testnet_address(random.Random(1)) == testnet_address(random.Random(1))


# ---------------------------------------------------------------- bech32 (BIP 173 and BIP 350 vectors)

VALID_BECH32 = [
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11" + "q" * 82 + "c8247j",  # the longest valid string: 90 characters
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
]
VALID_BECH32M = ["A1LQFN3A", "a1lqfn3a", "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", "?1v759aa"]
INVALID_BECH32 = [
    "\x201nwldj5",  # HRP character out of range
    "\x7f1axkwrx",
    "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",  # too long
    "pzry9x0s0muk",  # no separator
    "1pzry9x0s0muk",  # empty HRP
    "x1b4n0q5v",  # invalid data character
    "li1dgmt3",  # checksum too short
    "de1lg7wt\xff",  # invalid character in checksum
    "A1G7SGD8",  # checksum computed with an uppercase HRP
    "10a06t8",
    "1qzzfhee",
]


@pytest.mark.parametrize("text", VALID_BECH32)
def test_bip173_valid_checksums(text: str) -> None:
    decoded = bech32_decode(text)
    assert decoded is not None and decoded[2] == 1


@pytest.mark.parametrize("text", VALID_BECH32M)
def test_bip350_valid_checksums(text: str) -> None:
    decoded = bech32_decode(text)
    assert decoded is not None and decoded[2] == 0x2BC830A3


@pytest.mark.parametrize("text", INVALID_BECH32)
def test_bip173_invalid_strings(text: str) -> None:
    assert bech32_decode(text) is None


def test_bip173_segwit_addresses() -> None:
    hrp, version, program = decode_segwit("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4") or ("", -1, b"")
    assert (hrp, version, program.hex()) == ("bc", 0, "751e76e8199196d454941c45d1b3a323f1433bd6")
    testnet = "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7"
    decoded = decode_segwit(testnet)
    assert decoded is not None and decoded[:2] == ("tb", 0) and len(decoded[2]) == 32
    assert is_safe_crypto_address(testnet)
    assert is_safe_crypto_address("tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy")
    assert not is_safe_crypto_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")  # mainnet
    assert not is_safe_crypto_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5")  # bad checksum
    assert not is_safe_crypto_address("tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty")  # other HRP
    assert not is_safe_crypto_address(testnet[:-1] + "8")  # bad checksum
    # A version-0 program must use bech32, not bech32m (BIP 350).
    data = [0, *(safety._convertbits(bytes(20), 8, 5, True) or [])]
    assert decode_segwit(bech32_encode("tb", data, 0x2BC830A3)) is None


def test_testnet_address_is_p2wpkh() -> None:
    decoded = decode_segwit(testnet_address(random.Random(9)))
    assert decoded is not None and decoded[:2] == ("tb", 0) and len(decoded[2]) == 20


# ---------------------------------------------------------------- scanner

UNSAFE = {
    "email": "write to bold.bat@gmail.com today",
    "url": "see https://www.facebook.com/bold.bat for more",
    "host": "the site bold-jobs.mn has moved",
    "ipv4": "login from 8.8.4.4 at night",
    "ipv6": "login from 2001:4860:4860::8888 at night",
    "mac": "device 3c:22:fb:12:34:56 joined",
    "phone": "call +976 9911 2233 now",
    "crypto": "pay to bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 now",
}
MORE_UNSAFE = [
    ("url", "http://8.8.8.8/admin"),
    ("mac", "adapter 3C-22-FB-12-34-56 seen"),
    ("phone", "call 9911 2233 (Mongolian mobile)"),
    ("phone", "call 081-234-5678 in Bangkok"),
    ("phone", "call 01712-345678 in Dhaka"),
    ("phone", "call 01712-345-678 in Dhaka"),
    ("phone", "call 0812345678 in Bangkok"),
    ("phone", "call 00976 9911 2233 from abroad"),
    ("phone", "call (+976) 9911-2233"),
    ("phone", "US line +1 202 456 1111."),
    ("crypto", "eth 0x52908400098527886E0F7030069857D2E4169EE7"),
    ("crypto", "legacy 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"),
    ("crypto", "p2sh 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
    ("crypto", "typo tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k8"),
    ("host", "mail.google.com is down"),
]
SAFE = [
    "write to bold.bat@mailbox.example or hr@example.com",
    "see https://social.example/u/bold.bat and http://192.0.2.7/x and http://[2001:db8::5]/",
    "the site jobs.example and bold.test and www.example.org",
    "login from 203.0.113.5 and 198.51.100.1 and 2001:db8::1 and 3fff::7",
    "device 00:00:5e:00:53:2a and 00-00-5E-00-53-2B",
    "call +97640123456, +976 4012 3456, 4012 3456, 015-123-4567, 01012-345678, +44 7700 900123",
    "call 00976 4012 3456 or 0151234567 or 01012-345-678",
    "pay to tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
]
NOT_IDENTIFIERS = [
    "see images/ab.jpg and README.md and notes.md and model.py, e.g. this; i.e. that; etc.",
    "version v1.2.3 and 1.2.3.4.5 and pi 3.14159 and 47.9184, 106.9177 at 10:30:00 on 2025-02-01",
    '{"published":"2025-02-01T10:30:00Z","amount":1500000.0,"lat":47.9184,"id":"p_3fa2b1c9d0"}',
    "paid 1,500,000 MNT (15 000 000 in total) on 01/02/2025 at 14:05",
    "account MN12 3456 7890 12 and order 2025-000123",
    'attr.name="role" and obj.method() and Dr.Smith',
    "a hex id bc168a7007 and tb1abc and 13579bdf13579bdf13579bdf13579bdf",
]


@pytest.mark.parametrize(("kind", "text"), [*UNSAFE.items(), *MORE_UNSAFE])
def test_each_unsafe_kind_is_flagged_with_file_and_line(kind: str, text: str) -> None:
    findings = scan_bytes([("case/pages.jsonl", f"first line\nsecond\n{text}\n".encode())])
    assert [(f.file, f.line, f.kind) for f in findings] == [("case/pages.jsonl", 3, kind)], findings
    assert findings[0].value in text and findings[0].reason


@pytest.mark.parametrize("text", SAFE + NOT_IDENTIFIERS)
def test_safe_identifiers_and_ordinary_text_pass(text: str) -> None:
    assert scan_bytes([("case/pages.jsonl", text.encode())]) == []


def test_graphml_namespaces_are_not_findings() -> None:
    header = (
        b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    )
    assert scan_bytes([("key/network.graphml", header)]) == []


def _jpeg(**tags: str) -> bytes:
    exif = Image.Exif()
    codes = {"Make": 271, "Model": 272, "Artist": 315, "ImageDescription": 270}
    for name, value in tags.items():
        exif[codes[name]] = value
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_exif_text_fields_are_scanned() -> None:
    bad = _jpeg(Make="Orion Mobile", Artist="contact bold@gmail.com", ImageDescription="shot at 8.8.8.8")
    findings = scan_bytes([("case/images/a.jpg", bad), ("case/images/b.jpg", _jpeg(Model="OM-7 Pro"))])
    assert sorted((f.file, f.line, f.kind) for f in findings) == [
        ("case/images/a.jpg", 0, "email"),
        ("case/images/a.jpg", 0, "ipv4"),
    ]
    assert all("EXIF" in f.reason for f in findings)


def test_scan_world_walks_case_and_key(tmp_path: Path) -> None:
    (tmp_path / "case" / "images").mkdir(parents=True)
    (tmp_path / "key").mkdir()
    (tmp_path / "case" / "pages.jsonl").write_text('{"text":"mail hr@example.com"}\n{"text":"ip 8.8.8.8"}\n')
    (tmp_path / "key" / "people.jsonl").write_text('{"phones":["+97699112233"]}\n')
    (tmp_path / "case" / "images" / "x.jpg").write_bytes(_jpeg(Artist="owner@gmail.com"))
    findings = scan_world(tmp_path)
    assert sorted((f.file, f.line, f.kind) for f in findings) == [
        ("case/images/x.jpg", 0, "email"),
        ("case/pages.jsonl", 2, "ipv4"),
        ("key/people.jsonl", 1, "phone"),
    ]


def test_format_findings_one_line_each() -> None:
    text = format_findings([Finding("case/pages.jsonl", 3, "email", "a@b.com", "a real domain")])
    assert text == "case/pages.jsonl:3: email a@b.com — a real domain"


def test_generated_country_phones_pass_the_scanner() -> None:
    from synthetic_data.country import list_countries

    rng = random.Random(2)
    for pack in list_countries():
        lines = []
        for _ in range(200):
            e164 = pack.mobile_number(rng)
            lines.append(f"call {e164} or {pack.format_local(e164)}")
        # Numbers written without a country code are read as numbers of the world's countries
        # (the manifest says which): "0XX XXX XXXX" in a Vietnamese world is read as Vietnamese.
        manifest = json.dumps({"countries": {"origin": pack.code, "destination": pack.code}}).encode()
        files = [("case/manifest.json", manifest), ("case/pages.jsonl", "\n".join(lines).encode())]
        assert scan_bytes(files) == [], pack.code
