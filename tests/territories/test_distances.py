"""Distances between communes, from their coordinates (issue 18: the nearest permanence)."""

from decimal import Decimal

from territories.distances import distance_km
from territories.models import Commune


def commune(latitude, longitude) -> Commune:
    return Commune(
        latitude=None if latitude is None else Decimal(latitude),
        longitude=None if longitude is None else Decimal(longitude),
    )


ELBEUF = commune("49.2867", "1.0092")
CLEON = commune("49.3158", "1.0364")
ONET = commune("44.3908", "2.5397")


def test_distances_between_communes_in_kilometres():
    assert distance_km(ELBEUF, ELBEUF) == 0
    # Elbeuf – Cléon: 3.8 km as the crow flies; Elbeuf – Onet-le-Château: about 557 km.
    assert round(distance_km(ELBEUF, CLEON), 1) == 3.8
    assert 550 < distance_km(ELBEUF, ONET) < 565
    assert distance_km(CLEON, ELBEUF) == distance_km(ELBEUF, CLEON)


def test_no_distance_without_coordinates():
    assert distance_km(ELBEUF, commune(None, None)) is None
