"""Typed refusals. Each carries a French message for people and a `reason` code for
programs (the API returns it as is)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class TransitionRefused(Exception):
    reason = "refused"

    def __init__(self, message: str):
        super().__init__(str(message))
        self.message = str(message)


class UnknownTransition(TransitionRefused):
    reason = "unknown_transition"


class WrongStage(TransitionRefused):
    reason = "wrong_stage"


class NotAllowed(TransitionRefused):
    reason = "not_allowed"


class ConditionFailed(TransitionRefused):
    reason = "condition_failed"

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


class InvalidFields(TransitionRefused):
    reason = "invalid_fields"

    def __init__(self, field_errors: dict[str, list[str]]):
        super().__init__(str(_("Certains champs sont à corriger.")))
        self.field_errors = field_errors


class StalePathway(TransitionRefused):
    """Someone else moved the pathway first; the caller is shown where it stands now."""

    reason = "stale"

    def __init__(self, current_stage: str, current_stage_label: str, current_version: int):
        super().__init__(
            _(
                "Ce parcours a changé entre-temps : il est maintenant à l'étape « %(label)s ». "
                "Rechargez la page avant d'agir."
            )
            % {"label": current_stage_label}
        )
        self.current_stage = current_stage
        self.current_stage_label = current_stage_label
        self.current_version = current_version


class NoPublishedDefinition(Exception):
    def __init__(self):
        super().__init__(
            str(
                _(
                    "Aucune définition de parcours n'est publiée : "
                    "un coordinateur doit en publier une."
                )
            )
        )


class DefinitionInvalid(ValidationError):
    """A definition the editor would refuse, published from code."""


class DraftNotDiscarded(Exception):
    """Why a definition's draft cannot be discarded; `reason` for programs."""

    reason = "refused"

    def __init__(self, message: str):
        super().__init__(str(message))
        self.message = str(message)


class NoPublishedVersion(DraftNotDiscarded):
    reason = "no_published_version"


class NoDraft(DraftNotDiscarded):
    reason = "no_draft"


class LockedByAnother(DraftNotDiscarded):
    reason = "locked"
