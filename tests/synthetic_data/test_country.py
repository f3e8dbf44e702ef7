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
from synthetic_data.country import COUNTRIES_DIR, CountryPack, list_countries, load_country

PACKS = list_countries()
CODES = [p.code for p in PACKS]

# Independent of the packs: (lat min, lat max, lon min, lon max) of each country.
BBOX = {
    "MN": (41.5, 52.2, 87.7, 120.0),
    "BD": (20.5, 26.7, 88.0, 92.7),
    "TH": (5.6, 20.5, 97.3, 105.7),
    "KH": (10.4, 14.7, 102.3, 107.7),
}
SCRIPT = {"MN": "CYRILLIC", "BD": "BENGALI", "TH": "THAI", "KH": "KHMER"}
# Real, well-known banks and wallets of each country: packs must invent theirs.
REAL_BRANDS = {
    "MN": "Khan Bank|Golomt|Trade and Development|TDB|XacBank|Xac|State Bank|Capitron|Bogd|Arig|Chinggis Khaan|"
    "Trans Bank|M Bank|National Investment|SocialPay|Monpay|QPay|Most Money|Candy|Toki|HiPay|LendMN",
    "BD": "Sonali|Janata|Agrani|Rupali|Dutch-Bangla|BRAC|Islami|City Bank|Eastern Bank|Pubali|Prime Bank|"
    "Mutual Trust|AB Bank|Jamuna|Meghna|Padma|Trust Bank|Uttara|bKash|Nagad|Rocket|Upay|SureCash|mCash|OK Wallet",
    "TH": "Bangkok Bank|Kasikorn|Siam Commercial|SCB|Krungthai|Krungsri|ttb|TMB|Thanachart|Government Savings|"
    "GSB|BAAC|Kiatnakin|CIMB|UOB|LH Bank|TISCO|TrueMoney|PromptPay|Rabbit|LINE Pay|ShopeePay|AirPay|K PLUS|"
    "Dolfin|mPay|Paotang",
    "KH": "ABA|ACLEDA|Canadia|Prince Bank|Wing|TrueMoney|Pi Pay|Bakong|Sathapana|Hattha|PPCBank|FTB",
}

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
    assert {"MN", "BD", "TH"} <= set(CODES)
    assert sorted(CODES) == CODES


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
    for key in ("names", "cities", "places", "banks", "wallets", "local_jobs", "usd_rate", "monthly_wage", "phone"):
        assert len(pack.sources[key]) > 20, key
    text = (pack.path / "SOURCES.md").read_text(encoding="utf-8")
    for key in ("names", "cities", "places", "banks", "local_jobs", "usd_rate", "monthly_wage", "phone"):
        assert f"`{key}" in text, f"{pack.code} SOURCES.md does not mention {key}"


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_names_have_native_script_and_latin(pack: CountryPack) -> None:
    rng = random.Random(7)
    for _ in range(300):
        name = pack.person_name(rng)
        assert scripts(name.native) == {SCRIPT[pack.code]}, name
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


def test_a_prefix_that_turned_valid_fails_loudly() -> None:
    mn = load_country("MN")
    broken = CountryPack(**{**{f: getattr(mn, f) for f in mn.__dataclass_fields__}, "unallocated_prefixes": ("99",)})
    with pytest.raises(RuntimeError, match=r"MN: prefix '99'"):
        broken.mobile_number(random.Random(1))


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_cities_and_places_lie_in_the_country_and_near_their_city(pack: CountryPack) -> None:
    lat0, lat1, lon0, lon1 = BBOX[pack.code]
    cities = {c.name: c for c in pack.cities}
    for spot in (*pack.cities, *pack.places):
        assert lat0 <= spot.lat <= lat1 and lon0 <= spot.lon <= lon1, spot
    for place in pack.places:
        city = cities[place.city]
        assert km(place.lat, place.lon, city.lat, city.lon) < 45, place  # airports sit outside town
    assert len({(p.lat, p.lon) for p in pack.places}) == len(pack.places)


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_banks_and_wallets_are_invented(pack: CountryPack) -> None:
    real = re.compile(rf"\b(?:{REAL_BRANDS[pack.code]})\b", re.IGNORECASE)
    for brand in (*pack.banks, *pack.wallets):
        assert not real.search(brand), f"{pack.code}: {brand!r} is (or contains) a real institution's name"


@pytest.mark.parametrize("pack", PACKS, ids=CODES)
def test_no_name_is_an_internet_tld(pack: CountryPack) -> None:
    # Usernames are built as "given.family": a family name such as "Ly" would make "dara.ly", a real host.
    from synthetic_data.safety import _bare_host_tlds

    clashes = [p.latin for p in (*pack.male, *pack.female, *pack.family) if p.latin.lower() in _bare_host_tlds()]
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
