"""The communication officer's home screen: pages waiting for review and the coming
sessions of their permanences, cancelled ones included, so that a cancellation left public
by mistake is seen. Registered in `wagtail_hooks`; read through `selectors`."""

from __future__ import annotations

from django.utils import timezone
from wagtail.admin.ui.components import Component

from public_site import selectors
from workflows import policies


class EditorsPanel(Component):
    name = "editors"
    template_name = "public_site/home/editors.html"
    order = 50

    def __init__(self, request) -> None:
        self.request = request

    def get_context_data(self, parent_context=None):
        user = self.request.user
        return {
            "in_moderation": selectors.pages_in_moderation(user),
            "entries": selectors.editors_agenda(user),
            "days": selectors.EDITOR_AGENDA_DAYS,
            "today": timezone.localdate(),
        }


class AntennaWeekPanel(Component):
    """Counsellors: this week's sessions of the permanences their antenna holds."""

    name = "antenna_week"
    template_name = "public_site/home/antenna_week.html"
    order = 35

    def __init__(self, request, antenna_id: int) -> None:
        self.request = request
        self.antenna_id = antenna_id

    def get_context_data(self, parent_context=None):
        return {"entries": selectors.antenna_week(self.antenna_id)}


def panels_for(request) -> list[Component]:
    """For whoever edits pages (communication officers; administrators): the pages and
    permanences; for a counsellor of an antenna: that antenna's week."""
    user = request.user
    panels: list[Component] = []
    antenna_id = policies.user_antenna_id(user)
    if policies.COUNSELLORS in policies.group_names(user) and antenna_id is not None:
        panels.append(AntennaWeekPanel(request, antenna_id))
    if selectors.page_permission_policy.user_has_any_permission(user, ["change", "publish"]):
        panels.append(EditorsPanel(request))
    return panels
