"""Examples shown in the OpenAPI schema of the public API."""

AGENDA_EXAMPLE = {
    "count": 1,
    "next": None,
    "previous": None,
    "results": [
        {
            "date": "2026-12-01",
            "start": "2026-12-01T09:00:00+01:00",
            "end": "2026-12-01T12:00:00+01:00",
            "status": "cancelled",
            "reason": "Congés",
            "extra": False,
            "note": "",
            "page": {
                "id": 12,
                "title": "Permanence au CCAS d'Onet-le-Château",
                "url": "https://mission-locale.example.org/aveyron/permanences/ccas-onet/",
                "services": ["employment", "training"],
                "access_mode": "walk_in",
            },
            "organisation": "aveyron",
            "place": {
                "name": "CCAS d'Onet-le-Château",
                "kind": "CCAS (centre communal d'action sociale)",
                "address": "",
                "postcode": "12850",
                "commune": "Onet-le-Château",
                "latitude": None,
                "longitude": None,
                "accessibility": "",
                "map_url": "https://www.openstreetmap.org/search?query=CCAS",
            },
            "venue": {
                "id": 3,
                "name": "CCAS d'Onet-le-Château",
                "type": "ccas",
                "type_label": "CCAS (centre communal d'action sociale)",
                "address": "",
                "commune": {"name": "Onet-le-Château", "insee_code": "12176"},
                "latitude": None,
                "longitude": None,
                "accessibility": "",
                "map_url": "https://www.openstreetmap.org/search?query=CCAS",
            },
        }
    ],
}
