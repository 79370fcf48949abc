"""The audit log of pathway reads (Wagtail's log, shown in the admin's reports). Every
opening of a pathway page is logged; a superuser's read of another organisation's pathway,
from a screen or the API, is logged under an action of its own, so that access across
organisations stands out in the log (docs/architecture.md, "Organisations")."""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import policies
from ..models import Pathway

VIEW_PATHWAY_ACTION = "workflows.view_pathway"
VIEW_OTHER_ORGANISATION_ACTION = "workflows.view_pathway_other_organisation"


def is_cross_organisation(user, pathway: Pathway) -> bool:
    """A read outside the reader's own organisation (only superusers get that far)."""
    return pathway.organisation_id != policies.user_organisation_id(user)


def log_pathway_read(user, pathway: Pathway, *, page_opened: bool) -> None:
    """Logs a pathway page's opening (`page_opened`), and any read across organisations.
    No query beyond the log entries themselves once the user's profile is cached."""
    title = _("Parcours n° %(pk)s") % {"pk": pathway.pk}
    if page_opened:
        log(instance=pathway, action=VIEW_PATHWAY_ACTION, user=user, title=title)
    if is_cross_organisation(user, pathway):
        log(
            instance=pathway,
            action=VIEW_OTHER_ORGANISATION_ACTION,
            user=user,
            title=title,
            data={
                "organisation": pathway.organisation_id,
                "reader_organisation": policies.user_organisation_id(user),
            },
        )
