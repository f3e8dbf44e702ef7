"""Places and distances: the case's gazetteer of public places, great-circle distance, and the
time zone of a country or a position (for a photo whose time has no offset)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from osintlab.errors import UserError
from osintlab.i18n import _

if TYPE_CHECKING:
    import pandas

    from synthetic_data.bundle import Case

EARTH_RADIUS_KM = 6371.0  # mean radius, as the haversine formula is usually given
PLACE_COLUMNS = ["place_id", "name", "kind", "city", "country", "lat", "lon"]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points in decimal degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


class Gazetteer:
    """The case's public places (terminals, airports, border posts, markets) and zones."""

    def __init__(self, case: Case) -> None:
        self.case = case

    def places(self, text: str = "", *, city: str = "", kind: str = "", country: str = "") -> pandas.DataFrame:
        """Places whose name contains `text` (any case), filtered by city, kind and country."""
        import pandas

        rows = [p.to_dict() for p in self.case.places
                if text.casefold() in p.name.casefold() and city.casefold() in p.city.casefold()
                and (not kind or p.kind == kind) and (not country or p.country == country.upper())]
        return pandas.DataFrame(rows, columns=PLACE_COLUMNS)

    def zone(self, country: str) -> str:
        """The IANA time zone of one of the case's countries, by code or name ("MN" or "Mongolia")."""
        zones = self.case.manifest.get("timezones", {})
        code = country.strip().upper()
        if code not in zones:
            from synthetic_data.country import load_country

            names = {load_country(c).name.casefold(): c for c in zones}
            code = names.get(country.strip().casefold(), code)
        if code not in zones:
            raise UserError(_("{country!r} is not a country of this case: use one of {known}.")
                            .format(country=country, known=", ".join(zones)))
        return str(zones[code])

    def zone_at(self, lat: float, lon: float) -> str:
        """The time zone at a position: that of the country of the nearest gazetteer place."""
        if not self.case.places:
            raise UserError(_("this case has no gazetteer of places."))
        nearest = min(self.case.places, key=lambda p: haversine_km(lat, lon, p.lat, p.lon))
        return self.zone(nearest.country)

    def distance_km(self, lat1: float, lon1: float, lat2: float, lon2: float) -> float:
        return haversine_km(lat1, lon1, lat2, lon2)
