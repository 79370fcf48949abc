"""Who reads the figures: coordinators and the read-only Direction role, each for their
organisation (superusers across organisations), as workflows.policies scopes everything
else. The dashboard, its exports and the API all ask `can_read_figures`."""

from __future__ import annotations

from workflows.policies import DIRECTION, group_names, is_coordinator


def is_direction(user) -> bool:
    return bool(user and user.is_authenticated and DIRECTION in group_names(user))


def can_read_figures(user) -> bool:
    return is_coordinator(user) or is_direction(user)
