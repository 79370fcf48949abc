"""Agenda lines as the API returns them: plain dicts in the shape that
serializers.AgendaOccurrenceSerializer documents."""

from __future__ import annotations

from rest_framework.request import Request

from public_site import selectors
from public_site.models.permanences import PlaceField
from public_site.models.venues import Venue, VenueType


def _venue_data(venue: Venue, place: dict, type_labels: dict[str, str]) -> dict:
    return {
        "id": venue.pk,
        "name": venue.name,
        "type": venue.venue_type,
        "type_label": type_labels.get(venue.venue_type, venue.venue_type),
        "address": venue.address,
        "commune": {"name": venue.commune.name, "insee_code": venue.commune.insee_code},
        "latitude": place["latitude"],
        "longitude": place["longitude"],
        "accessibility": venue.accessibility,
        "map_url": place["map_url"],
    }


def agenda_items(
    entries: list[selectors.AgendaEntry],
    request: Request,
    organisation_slugs: dict[int, str] | None = None,
) -> list[dict]:
    """Plain dicts (the serializers above document them): nested serializers would take
    several times longer. Each page, venue and antenna is described once per response:
    a place's labels go through Django's choice display, which costs a fraction of a
    millisecond each time. `organisation_slugs` gives each page's Mission Locale by page id."""
    organisation_slugs = organisation_slugs or {}
    type_labels = {value: str(label) for value, label in VenueType.choices}
    pages: dict[int, dict] = {}
    places: dict[tuple, tuple[dict | None, dict | None]] = {}
    items = []
    for entry in entries:
        page, occurrence = entry.page, entry.occurrence
        if page.pk not in pages:
            where = ("venue", page.venue_id) if page.venue_id else ("antenna", page.antenna_id)
            if where not in places:
                place = page.place
                place_data = PlaceField().to_representation(place) if place else None
                venue_data = (
                    _venue_data(page.venue, place_data, type_labels)
                    if page.venue_id and place_data
                    else None
                )
                places[where] = (place_data, venue_data)
            pages[page.pk] = {
                "page": {
                    "id": page.pk,
                    "title": page.title,
                    "url": page.public_url(request),
                    "services": list(page.services),
                    "access_mode": page.access_mode,
                },
                "organisation": organisation_slugs.get(page.pk),
                "place": places[where][0],
                "venue": places[where][1],
            }
        items.append(
            {
                "date": occurrence.date.isoformat(),
                "start": occurrence.start.isoformat(),
                "end": occurrence.end.isoformat() if occurrence.end is not None else None,
                "status": "cancelled" if occurrence.cancelled else "scheduled",
                "reason": occurrence.reason,
                "extra": occurrence.extra,
                "note": occurrence.note,
                **pages[page.pk],
            }
        )
    return items
