"""Which organisation a maraude belongs to: its mediator's, read from their staff profile,
else the organisation of whoever records it. Set once, at creation."""

from __future__ import annotations

from .. import policies


def round_organisation_id(mediator, recorded_by) -> int | None:
    for person in (mediator, recorded_by):
        if person is not None:
            organisation_id = policies.user_organisation_id(person)
            if organisation_id is not None:
                return organisation_id
    return None
