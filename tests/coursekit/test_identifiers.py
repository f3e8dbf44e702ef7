from coursekit.identifiers import phones_in


def test_international_numbers_become_e164_once_each() -> None:
    text = "Apply by messenger (+97613009221). Or call +976 1312 4567, or again +97613009221."
    assert phones_in(text) == ["+97613009221", "+97613124567"]


def test_dates_prices_and_local_numbers_are_not_phones() -> None:
    assert phones_in("Posted 2024-06-01. Salary 2,300 USD. Call 1312 4567.") == []


def test_impossible_lengths_are_skipped() -> None:
    assert phones_in("ref +976 123") == []
    assert phones_in("+880 1012 345678 and +66 12 345 6789") == ["+8801012345678", "+66123456789"]
