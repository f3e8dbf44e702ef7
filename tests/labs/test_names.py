from __future__ import annotations

import random

import phonenumbers

from labs import names


def test_lab_owned_identifiers_are_safe() -> None:
    rng = random.Random(0)
    for _ in range(500):
        number = phonenumbers.parse(names.phone(rng))
        assert phonenumbers.is_possible_number(number) and not phonenumbers.is_valid_number(number)
        assert names.email(rng, names.person(rng), "mailbox.example").endswith(".example")
