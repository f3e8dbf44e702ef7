"""Country packs: schema validation, names in both scripts, safe phones, places, invented brands."""

from __future__ import annotations

import math
import random
import re
import shutil
import unicodedata
from pathlib import Path

import phonenumbers
import pytest
import yaml

from osintlab.errors import UserError
from synthetic_data.country import COUNTRIES_DIR, LISTS_NEEDING_SOURCES, CountryPack, list_countries, load_country
from synthetic_data.generator.language import SCRIPT_NAMES

PACKS = list_countries()
CODES = [p.code for p in PACKS]

# Real, well-known banks, wallets and recruitment brands of each country: packs must invent
# theirs. Independent of the packs (a new pack's SOURCES.md deny-list is checked as well).
REAL_BRANDS = {
    "MN": "Khan Bank|Golomt|Trade and Development|TDB|XacBank|Xac|State Bank|Capitron|Bogd|Arig|Chinggis Khaan|"
    "Trans Bank|M Bank|National Investment|SocialPay|Monpay|QPay|Most Money|Candy|Toki|HiPay|LendMN",
    "BD": "Sonali|Janata|Agrani|Rupali|Dutch-Bangla|BRAC|Islami|City Bank|Eastern Bank|Pubali|Prime Bank|"
    "Mutual Trust|AB Bank|Jamuna|Meghna Bank|Padma Bank|Trust Bank|Uttara|bKash|Nagad|Rocket|Upay|SureCash|"
    "mCash|OK Wallet",
    "TH": "Bangkok Bank|Kasikorn|Siam Commercial|SCB|Krungthai|Krungsri|ttb|TMB|Thanachart|Government Savings|"
    "GSB|BAAC|Kiatnakin|CIMB|UOB|LH Bank|TISCO|TrueMoney|PromptPay|Rabbit|LINE Pay|ShopeePay|AirPay|K PLUS|"
    "Dolfin|mPay|Paotang",
    "KH": "ABA|ACLEDA|Canadia|Prince Bank|Wing|TrueMoney|Pi Pay|Bakong|Sathapana|Hattha|PPCBank|FTB",
    "ID": "Mandiri|BRI|BNI|BCA|CIMB|Danamon|Permata|BTN|Maybank|Panin|OCBC|Jago|SeaBank|GoPay|OVO|DANA|ShopeePay|"
    "LinkAja|Sakuku|Jenius",
    "VN": "Vietcombank|VietinBank|BIDV|Agribank|Techcombank|MB Bank|ACB|VPBank|Sacombank|TPBank|HDBank|MoMo|ZaloPay|"
    "Viettel|VNPay|ShopeePay|Moca",
    "PH": "BDO|BPI|Metrobank|Land Bank|PNB|Security Bank|UnionBank|RCBC|China Bank|EastWest|DBP|GCash|Maya|PayMaya|"
    "Coins|GrabPay|ShopeePay",
    "MY": "Maybank|CIMB|Public Bank|RHB|Hong Leong|AmBank|Bank Islam|Bank Rakyat|BSN|Alliance|Affin|Touch 'n Go|"
    "Boost|GrabPay|BigPay|ShopeePay|MAE",
    "MM": "KBZ|CB Bank|AYA|MAB|Yoma|AGD|UAB|Myawaddy Bank|MEB|KBZPay|WavePay|Wave Money|OnePay|M-Pitesan",
    "LA": "BCEL|LDB|APB|Joint Development|Phongsavanh|ST Bank|Indochina Bank|BFL|M-Money|U-Money|Joint Pay",
    "LK": "Bank of Ceylon|People's Bank|Commercial Bank|Hatton|Sampath|Seylan|NDB|DFCC|Nations Trust|Pan Asia|"
    "Union Bank|eZ Cash|mCash|FriMi|Genie|iPay",
    "NP": "Nabil|Nepal Investment|Global IME|NIC Asia|Himalayan Bank|Everest Bank|Standard Chartered|Prabhu|"
    "Siddhartha|Kumari|Laxmi|Sanima|eSewa|Khalti|IME Pay|ConnectIPS|Fonepay",
    "PK": "Habib|HBL|MCB|UBL|Allied|Meezan|Bank Alfalah|Askari|Faysal|National Bank of Pakistan|JS Bank|"
    "Easypaisa|JazzCash|SadaPay|NayaPay|Raast|UPaisa",
    "IN": "State Bank|SBI|HDFC|ICICI|Axis|Kotak|Punjab National|Bank of Baroda|Canara|Union Bank|IndusInd|Yes Bank|"
    "Paytm|PhonePe|Google Pay|BHIM|Amazon Pay|MobiKwik|Airtel",
    "AF": "Azizi|Afghanistan International Bank|AIB|Ghazanfar|Kabul Bank|New Kabul|Maiwand|Pashtany|Islamic Bank of "
    "Afghanistan|M-Paisa|M-Hawala|MyMoney|HesabPay",
    "BT": "Bank of Bhutan|BoB|Bhutan National Bank|BNB|Druk PNB|T Bank|Bhutan Development Bank|mBoB|mPay|ePay|DK Bank",
    "MV": "Bank of Maldives|BML|State Bank of India|Maldives Islamic Bank|MIB|Commercial Bank of Maldives|CBM|"
    "HSBC|Habib|mFaisaa|Ooredoo|Dhiraagu Pay|BML MobilePay",
}
SCRIPT = {code: name for code, name in SCRIPT_NAMES.items()}

# MNS 5217:2012, the passport transliteration of Mongolian Cyrillic.
MNS_5217 = dict(
    zip(
        "абвгдеёжзийклмноөпрстуүфхцчшщъыьэюя",
        "a b v g d ye yo j z i i k l m n o u p r s t u u f kh ts ch sh shch i y i e yu ya".split(),
        strict=True,
    )
)


def mns5217(text: str) -> str:
    out = "".join(MNS_5217.get(ch.lower(), ch) for ch in text)
    return re.sub(r"(^|-)(\w)", lambda m: m.group(1) + m.group(2).upper(), out)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dlat, dlon = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlon / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def scripts(text: str) -> set[str]:
    return {unicodedata.name(ch).split()[0] for ch in text if ch.isalpha()}


# ---------------------------------------------------------------- packs as shipped


def test_required_packs_are_discovered_sorted() -> None:
    assert {"MN", "BD", "TH", "KH"} <= set(CODES)
    assert len(CODES) >= 15, "the regional rollout needs at least 15 packs"
    assert sorted(CODES) == CODES
    assert set(CODES) <= set(REAL_BRANDS), "add the new country's real banks and wallets to REAL_BRANDS"


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_pack_sizes_and_basics(pack: CountryPack) -> None:
    assert len(pack.male) >= 40 and len(pack.female) >= 40
    if pack.name_style == "given_family":
        assert len(pack.family) >= 25
    assert len(pack.cities) >= 12 and len(pack.places) >= 15
    assert len(pack.banks) == 5 and len(pack.wallets) == 3 and len(pack.local_jobs) >= 15
    assert pack.monthly_wage[0] < pack.monthly_wage[1] and pack.usd_rate > 0
    assert (pack.path / "SOURCES.md").is_file()
    assert phonenumbers.region_code_for_country_code(pack.phone_country_code) == pack.code


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_every_list_cites_a_source(pack: CountryPack) -> None:
    for key in LISTS_NEEDING_SOURCES:
        assert len(pack.sources[key]) > 20, key
    text = (pack.path / "SOURCES.md").read_text(encoding="utf-8")
    for key in ("names", "cities", "places", "banks", "local_jobs", "usd_rate", "monthly_wage", "phone", "agencies"):
        assert f"`{key}" in text, f"{pack.code} SOURCES.md does not mention {key}"
    # Routes, laws and authorities each name their own source.
    for item in (*pack.routes, *pack.law, *pack.authorities):
        assert len(item.source) >= 10, item


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_routes_law_and_authorities_a_lesson_may_name(pack: CountryPack) -> None:
    assert len(pack.routes) >= 2 and {r.kind for r in pack.routes} <= {"trafficking", "smuggling"}
    assert any(r.kind == "trafficking" for r in pack.routes)
    assert any("trafficking" in law.covers for law in pack.law), "the national trafficking law"
    roles = {a.role for a in pack.authorities}
    assert {"police", "labour_migration"} <= roles, roles
    for route in pack.routes:
        assert all(re.fullmatch(r"[A-Z]{2}|domestic", c) for c in route.to)
    # Authorities are named, never given a phone number (hotlines are real).
    for authority in pack.authorities:
        assert not re.search(r"\d{3,}", authority.name + authority.native), authority


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_names_have_native_script_and_latin(pack: CountryPack) -> None:
    rng = random.Random(7)
    for _ in range(300):
        name = pack.person_name(rng)
        assert scripts(name.native) == {SCRIPT[pack.script]}, name
        assert re.fullmatch(r"[A-Z][A-Za-z' -]+", name.latin), name
        assert name.latin == f"{name.given_latin} {name.family_latin}".strip()
        assert name.gender in ("f", "m")
    assert {pack.person_name(rng, "f").gender for _ in range(20)} == {"f"}
    assert {pack.person_name(rng, "m").gender for _ in range(20)} == {"m"}


def test_mongolian_names_are_patronymic_and_transliterated_per_mns_5217() -> None:
    mn = load_country("MN")
    for part in (*mn.male, *mn.female):
        assert part.latin == mns5217(part.native), part
    name = mn.person_name(random.Random(1), "m")
    father = next(p for p in mn.male if p.latin == name.family_latin)
    assert name.native == f"{father.genitive} {next(p.native for p in mn.male if p.latin == name.given_latin)}"
    assert name.short_native == f"{father.native[0]}. {name.native.split()[1]}"
    bat = next(p for p in mn.male if p.native == "Бат")
    assert bat.genitive == "Батын"
    assert all(p.genitive.startswith(p.native[:-1]) for p in mn.male)


def test_khmer_names_are_written_family_name_first() -> None:
    name = load_country("KH").person_name(random.Random(4))
    family = next(f for f in load_country("KH").family if f.latin == name.family_latin)
    assert name.native.startswith(family.native + " ")
    assert name.latin == f"{name.given_latin} {name.family_latin}"


def test_gendered_family_names_go_to_that_gender_only() -> None:
    bd = load_country("BD")
    rng = random.Random(3)
    men = {bd.person_name(rng, "m").family_latin for _ in range(500)}
    women = {bd.person_name(rng, "f").family_latin for _ in range(500)}
    assert not men & {"Begum", "Akter", "Khatun", "Sultana"}
    assert not women & {"Uddin", "Mia", "Ali"}


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_person_name_and_mobile_are_deterministic(pack: CountryPack) -> None:
    def draw(seed: int) -> list[object]:
        rng = random.Random(seed)
        return [pack.person_name(rng) for _ in range(20)] + [pack.mobile_number(rng) for _ in range(20)]

    assert draw(42) == draw(42)
    assert draw(42) != draw(43)


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_thousand_mobiles_are_possible_not_valid_and_formatted(pack: CountryPack) -> None:
    rng = random.Random(11)
    seen_prefixes = set()
    for _ in range(1000):
        e164 = pack.mobile_number(rng)
        number = phonenumbers.parse(e164)
        assert phonenumbers.is_possible_number(number), e164
        assert not phonenumbers.is_valid_number(number), e164
        assert len(str(number.national_number)) == pack.mobile_nsn_length
        local = pack.format_local(e164)
        assert re.sub(r"\D", "", local).endswith(e164[len(str(pack.phone_country_code)) + 1 :])
        seen_prefixes.add(str(number.national_number)[:2])
    assert seen_prefixes == set(pack.unallocated_prefixes)


def test_local_formats() -> None:
    assert load_country("MN").format_local("+97640123456") == "4012 3456"
    assert load_country("BD").format_local("+8801012345678") == "01012-345678"
    assert load_country("TH").format_local("+66151234567") == "015-123-4567"
    assert load_country("KH").format_local("+85520123456") == "020 123 456"
    with pytest.raises(ValueError):
        load_country("MN").format_local("+6615123456")


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_no_mobile_falls_in_an_avoided_range(pack: CountryPack) -> None:
    from synthetic_data.safety import is_safe_phone

    rng = random.Random(5)
    for _ in range(2000):
        e164 = pack.mobile_number(rng)
        assert pack.avoided(e164[len(str(pack.phone_country_code)) + 1 :]) is None, e164
        assert is_safe_phone(e164), e164
    for avoid in pack.avoid_prefixes:  # the scanner refuses the avoided ranges
        national = (avoid.digits + "0" * pack.mobile_nsn_length)[: pack.mobile_nsn_length]
        number = phonenumbers.PhoneNumber(country_code=pack.phone_country_code, national_number=int(national))
        if phonenumbers.is_possible_number(number):
            assert not is_safe_phone(f"+{pack.phone_country_code}{national}"), avoid


def test_mongolian_hotline_ranges_are_refused() -> None:
    from synthetic_data.safety import is_safe_phone, scan_text

    assert not is_safe_phone("+97618001234") and not is_safe_phone("+97619001234")
    # Every number starting with 1 (docs/decisions/0003): hotlines, short codes, Ulaanbaatar's area code.
    findings = scan_text("x", "Call +976 1800 1234 or 1900 5678 or 1512 3456, not 3012 3456.")
    assert [f.value for f in findings] == ["+976 1800 1234", "1900 5678", "1512 3456"]


def test_a_prefix_that_turned_valid_fails_loudly() -> None:
    mn = load_country("MN")
    broken = CountryPack(**{**{f: getattr(mn, f) for f in mn.__dataclass_fields__}, "unallocated_prefixes": ("99",)})
    with pytest.raises(RuntimeError, match=r"MN: prefix '99'"):
        broken.mobile_number(random.Random(1))


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_cities_and_places_lie_in_the_country_and_near_their_city(pack: CountryPack) -> None:
    lat0, lat1, lon0, lon1 = pack.bbox
    assert (lat1 - lat0) * (lon1 - lon0) < 2500, "a country's box, not a continent's"
    cities = {c.name: c for c in pack.cities}
    for spot in (*pack.cities, *pack.places):
        assert lat0 <= spot.lat <= lat1 and lon0 <= spot.lon <= lon1, spot
    for place in pack.places:
        city = cities[place.city]
        assert km(place.lat, place.lon, city.lat, city.lon) < 45, place  # airports sit outside town
    assert len({(p.lat, p.lon) for p in pack.places}) == len(pack.places)


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_banks_wallets_agencies_and_platforms_are_invented(pack: CountryPack) -> None:
    real = re.compile(rf"\b(?:{REAL_BRANDS[pack.code]})\b", re.IGNORECASE)
    sources = (pack.path / "SOURCES.md").read_text(encoding="utf-8")
    brands = (*pack.banks, *pack.wallets, *pack.agencies, *(p.name for p in pack.platforms))
    for brand in brands:
        assert not real.search(brand), f"{pack.code}: {brand!r} is (or contains) a real institution's name"
        assert brand not in sources, f"{pack.code}: {brand!r} is on the deny-list of real names in SOURCES.md"
    assert len(set(brands)) == len(brands)


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_places_have_native_names_in_the_pack_script(pack: CountryPack) -> None:
    for spot in (*pack.cities, *pack.places):
        native = spot.native
        assert native, spot
        letters = [ch for ch in native if ch.isalpha()]
        share = sum(unicodedata.name(ch).startswith(SCRIPT[pack.script]) for ch in letters) / len(letters)
        assert share >= 0.6, spot


@pytest.mark.parametrize("pack", [p for p in PACKS if p.faker_locale], ids=[p.code for p in PACKS if p.faker_locale])
def test_faker_locale_has_its_own_person_data(pack: CountryPack) -> None:
    faker = pytest.importorskip("faker")
    from faker.config import AVAILABLE_LOCALES

    assert pack.faker_locale in AVAILABLE_LOCALES
    person = next(p for p in faker.Faker(pack.faker_locale).providers if p.__provider__ == "faker.providers.person")
    assert person.__lang__ == pack.faker_locale, "Faker would fall back to en_US names"
    lists: set[str] = set()
    for attr in ("first_names", "first_names_male", "first_names_female", "last_names", "middle_names"):
        value = getattr(person, attr, None) or ()
        lists |= set(value.keys() if isinstance(value, dict) else value)
    tokens = {t for part in (*pack.male, *pack.female, *pack.family) for t in part.native.split()}
    assert len(tokens & lists) >= 5, "the pack's names were checked against this locale's lists"


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_no_name_is_an_internet_tld(pack: CountryPack) -> None:
    # Usernames are built as "given.family": a family name such as "Ly" would make "dara.ly", a real host.
    from synthetic_data.safety import _bare_host_tlds

    # "family.given" handles make the given name the last label too, so every word counts.
    words = {w for p in (*pack.male, *pack.female, *pack.family) for w in p.latin.lower().replace("-", " ").split()}
    clashes = sorted(words & _bare_host_tlds())
    assert not clashes


def test_mongolia_has_all_21_aimags() -> None:
    regions = {c.region for c in load_country("MN").cities} - {"Ulaanbaatar"}
    assert len(regions) == 21


# ---------------------------------------------------------------- errors


def test_unknown_code_lists_the_valid_ones() -> None:
    with pytest.raises(UserError, match=r"unknown country 'XX'.*BD, .*MN.*TH"):
        load_country("XX")


def _broken_pack(tmp_path: Path, edit: object) -> Path:
    packs = tmp_path / "countries"
    shutil.copytree(COUNTRIES_DIR / "MN", packs / "MN")
    pack_yml = packs / "MN" / "pack.yml"
    data = yaml.safe_load(pack_yml.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    pack_yml.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return packs


def test_a_copied_pack_loads_from_another_directory(tmp_path: Path) -> None:
    packs = _broken_pack(tmp_path, lambda d: d.update(name="Mongolia (copy)"))
    assert [p.name for p in list_countries(packs)] == ["Mongolia (copy)"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["names"]["male"][3].pop("latin"),
            r"pack\.yml: names\.male\[3\]: 'latin' is a required property; add it\.",
        ),
        (lambda d: d.update(usd_rate="lots"), r"usd_rate: 'lots' is not of type 'number'"),
        (lambda d: d["places"][0].update(kind="home"), r"places\[0\]\.kind: 'home' is not one of"),
        (
            lambda d: d["phone"].update(unallocated_prefixes=["1x"]),
            r"phone\.unallocated_prefixes\[0\]: '1x' does not match",
        ),
        (lambda d: d.update(colour="blue"), r"\(top level\): Additional properties .*'colour'.*; remove it"),
        (lambda d: d["places"][1].update(city="Atlantis"), r"places\[1\]\.city: 'Atlantis' is not in cities"),
        (lambda d: d["phone"].update(local_format="XXX XXXX"), r"phone\.local_format: has 7 X digits"),
        (lambda d: d["sources"].pop("wallets"), r"sources\.wallets: missing"),
        (lambda d: d.update(timezone="Asia/Atlantis"), r"timezone: 'Asia/Atlantis' is not an IANA time zone"),
        (lambda d: d.update(code="MG"), r"code: 'MG' differs from its folder name"),
        (lambda d: d["places"][0].update(lat=10.0), r"places\[0\]: 'Chinggis Khaan International Airport' at 10.0"),
        (lambda d: d["phone"]["avoid_prefixes"].append({"digits": "4", "why": "all of it"}), r"would rule out"),
        (lambda d: d.pop("routes"), r"'routes' is a required property"),
        (lambda d: d["routes"][0].update(kind="kidnap"), r"routes\[0\]\.kind: 'kidnap' is not one of"),
        (lambda d: d["sources"].pop("law"), r"sources\.law: missing"),
        (lambda d: d.update(script="Klingon"), r"script: 'Klingon' is not one of"),
    ],
)
def test_schema_errors_name_the_file_and_field(tmp_path: Path, edit: object, message: str) -> None:
    packs = _broken_pack(tmp_path, edit)
    with pytest.raises(UserError, match=message) as caught:
        load_country("MN", packs)
    assert str(packs / "MN" / "pack.yml") in str(caught.value)
    assert "\n" not in str(caught.value)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    packs = tmp_path / "countries"
    (packs / "MN").mkdir(parents=True)
    (packs / "MN" / "pack.yml").write_text("code: MN\nnames: [unclosed\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"pack\.yml line \d+: invalid YAML"):
        load_country("MN", packs)


def test_a_number_written_locally_can_read_as_the_other_countrys() -> None:
    """In an Afghan-Thai world, AF's "013 002 0758" dials Thailand's 1300 hotline from a Thai phone."""
    af = load_country("AF")
    assert af.with_readers(load_country("TH")).reads_as_other("+93130020758")
    assert not af.reads_as_other("+93130020758")  # alone in its world, it reads as nobody else's
