"""Find identifiers in page text, to pivot on them in a new search."""

from __future__ import annotations

import re

import phonenumbers

# Only numbers written in international form (+country code): a date such as 2024-06 or a
# price would otherwise pass as a "possible" local number.
_INTERNATIONAL = re.compile(r"\+\d[\d ()\-]{5,18}\d")


def phones_in(text: str) -> list[str]:
    """Phone numbers written in international form, as E.164, first seen first, no repeats.

    Course numbers are deliberately unallocated, so the test is "possible" (right length
    for the country), not "valid".
    """
    found: list[str] = []
    for raw in _INTERNATIONAL.findall(text):
        try:
            number = phonenumbers.parse(raw, None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if e164 not in found:
                found.append(e164)
    return found


def address(url: str) -> str:
    """A web address as the lessons print it, without its scheme ("https://jobs.example/a" ->
    "jobs.example/a"): JupyterLab turns text that starts with a scheme into a link out."""
    from osintlab.errors import defang

    return defang(url)
