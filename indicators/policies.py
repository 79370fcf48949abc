"""Who reads the figures: coordinators, each for their organisation (superusers across
organisations), as workflows.policies scopes everything else."""

from __future__ import annotations

from workflows.policies import is_coordinator


def can_read_figures(user) -> bool:
    return is_coordinator(user)
