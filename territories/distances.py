"""How far apart two communes are, from the coordinates of their centres: enough to order the
permanences near a young person's commune (a few kilometres either way do not change which
is nearest), with no mapping service to call and nothing sent about the young person."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Protocol

EARTH_RADIUS_KM = 6371.0


class Located(Protocol):
    """Anything with coordinates: a commune, a place (read-only, so either fits)."""

    @property
    def latitude(self) -> Decimal | float | None: ...

    @property
    def longitude(self) -> Decimal | float | None: ...


def distance_km(origin: Located, destination: Located) -> float | None:
    """Great-circle distance (haversine), or None when either has no coordinates."""
    points = (origin.latitude, origin.longitude, destination.latitude, destination.longitude)
    if any(value is None for value in points):
        return None
    lat1, lon1, lat2, lon2 = (math.radians(float(value or 0)) for value in points)
    half_chord = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(half_chord))
