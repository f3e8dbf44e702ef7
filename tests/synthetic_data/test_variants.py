import pytest

from synthetic_data.variants import variant_seed

SECRET = b"0123456789abcdef-course-secret"


def test_variant_seed_is_stable_and_distinct() -> None:
    a = variant_seed(SECRET, "trainee-01", "w1-03-search-operators")
    assert a == variant_seed(SECRET, "trainee-01", "w1-03-search-operators")
    assert a != variant_seed(SECRET, "trainee-02", "w1-03-search-operators")
    assert a != variant_seed(SECRET, "trainee-01", "w1-04-job-ad-triage")
    assert a != variant_seed(b"another-secret-of-enough-length", "trainee-01", "w1-03-search-operators")
    assert 0 <= a < 2**63


def test_no_field_separator_collision() -> None:
    assert variant_seed(SECRET, "ab", "c") != variant_seed(SECRET, "a", "bc")


def test_short_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        variant_seed(b"short", "t", "l")
