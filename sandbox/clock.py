"""Times from many sources into UTC: each source shows its time in some zone, often unsaid.

`to_utc(shown, zone)` reads the formats the case's sources use (EXIF, chat and SMS exports,
e-tickets, ISO times) and converts them. A time that states its own offset (EXIF
OffsetTimeOriginal, a trailing Z) is converted with it; a time without one needs the zone
it was written in: an IANA name such as "Asia/Ulaanbaatar" or an offset such as "+08:00".
Knowing which zone is the investigator's work: the phone's location for a chat export, the
airport for a ticket, the GPS position for a photo without an offset.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from osintlab.errors import UserError
from osintlab.i18n import _

FORMATS = (
    "%Y:%m:%d %H:%M:%S",  # EXIF DateTimeOriginal
    "%d/%m/%Y, %H:%M:%S",  # chat export
    "%d-%m-%Y %H:%M",  # SMS export
    "%d %b %Y %H:%M",  # e-ticket
    "%Y-%m-%dT%H:%M:%S",  # ISO
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
)
_OFFSET = re.compile(r"\s*(Z|[+-]\d{2}:?\d{2})$")


def zone_of(zone: str) -> tzinfo:
    """An IANA zone ("Asia/Dhaka") or a fixed offset ("+06:00", "UTC", "Z")."""
    text = zone.strip()
    if text.upper() in ("UTC", "Z", "GMT"):
        return UTC
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", text)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(_("{zone!r} is not a time zone: use a name like Asia/Dhaka or an offset like +06:00.")
                        .format(zone=zone)) from None


def parse_local(shown: str) -> tuple[datetime, tzinfo | None]:
    """(naive local time, the offset the text states or None)."""
    text = shown.strip()
    stated: tzinfo | None = None
    match = _OFFSET.search(text)
    if match:
        stated = zone_of(match.group(1) if match.group(1) != "Z" else "UTC")
        text = text[: match.start()].strip()
    for fmt in FORMATS:
        try:
            return datetime.strptime(text, fmt), stated
        except ValueError:
            continue
    raise UserError(_("{shown!r} is not a time format the sandbox knows: write it as YYYY-MM-DD HH:MM.")
                    .format(shown=shown))


def to_utc(shown: str, zone: str | None = None) -> str:
    """`shown` (as a source writes it) in UTC, as YYYY-MM-DDTHH:MM:SSZ.

    A stated offset wins over `zone`; a time with no offset needs `zone`."""
    local, stated = parse_local(shown)
    tz = stated or (zone_of(zone) if zone else None)
    if tz is None:
        raise UserError(_("{shown!r} does not say its time zone: give the zone it was written in, e.g. "
                          "zone=\"Asia/Ulaanbaatar\".").format(shown=shown))
    return local.replace(tzinfo=tz).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
