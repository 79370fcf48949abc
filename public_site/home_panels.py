"""The communication officer's home screen: pages waiting for review and the coming
sessions of their permanences, cancelled ones included, so that a cancellation left public
by mistake is seen. Registered in `wagtail_hooks`; read through `selectors`."""

from __future__ import annotations

from django.utils import timezone
from wagtail.admin.ui.components import Component

from public_site import selectors


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


def panels_for(request) -> list[Component]:
    """For whoever edits pages (communication officers; administrators)."""
    if selectors.page_permission_policy.user_has_any_permission(
        request.user, ["change", "publish"]
    ):
        return [EditorsPanel(request)]
    return []
