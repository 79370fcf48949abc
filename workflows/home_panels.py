"""The admin home screen's panels, one per thing a member of staff has to do today, chosen by
role in `wagtail_hooks.build_home_by_role`. Each reads through `home_selectors` when it is
drawn; the templates are in templates/workflows/home/."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from wagtail.admin.ui.components import Component

from . import home_selectors, policies, screen_selectors

SCREENS_MEDIA = forms.Media(css={"all": ["workflows/screens.css"]})


class HomePanel(Component):
    """A panel drawn for the request's user, with the screens' stylesheet."""

    media = SCREENS_MEDIA

    def __init__(self, request) -> None:
        self.request = request


class RequestsToTakePanel(HomePanel):
    """Counsellors: the requests of their antenna that nobody follows yet."""

    name = "requests_to_take"
    template_name = "workflows/home/requests_to_take.html"
    order = 10

    def get_context_data(self, parent_context=None):
        return {
            "requests": home_selectors.requests_to_take(self.request.user),
            "all_url": f"{reverse('workflows_screens:caseload')}?to_assign=true",
        }


class RemindersDuePanel(HomePanel):
    """Counsellors: their pathways to follow up, late ones and today's."""

    name = "reminders_due"
    template_name = "workflows/home/reminders_due.html"
    order = 20

    def get_context_data(self, parent_context=None):
        return {
            "reminders": home_selectors.reminders_due(self.request.user),
            "overdue_url": f"{reverse('workflows_screens:caseload')}?overdue=true"
            f"&referent={self.request.user.pk}",
        }


class ThisWeekPanel(HomePanel):
    """Counsellors: the follow-ups planned this week on their pathways."""

    name = "this_week"
    template_name = "workflows/home/this_week.html"
    order = 30

    def get_context_data(self, parent_context=None):
        return {"follow_ups": home_selectors.follow_ups_this_week(self.request.user)}


class StagesPanel(HomePanel):
    """Counsellors: their own caseload by stage. Coordinators: every open pathway of the
    organisation by stage."""

    name = "stages"
    template_name = "workflows/home/stages.html"
    order = 40

    def __init__(self, request, *, own: bool) -> None:
        super().__init__(request)
        self.own = own

    def get_context_data(self, parent_context=None):
        user = self.request.user
        return {
            "own": self.own,
            "stages": home_selectors.pathways_by_stage(user, referent=user if self.own else None),
            "board_url": reverse("workflows_screens:board"),
        }


class FieldPanel(HomePanel):
    """Mediators: the quick repérage in one tap, today's maraude and their last
    repérages."""

    name = "field"
    template_name = "workflows/home/field.html"
    order = 5

    def get_context_data(self, parent_context=None):
        user = self.request.user
        return {
            "identification_url": reverse("workflows_screens:identification"),
            "todays_round": screen_selectors.todays_round(user),
            "recent": home_selectors.recent_identifications(user),
        }


class CoordinationPanel(HomePanel):
    """Coordinators: requests nobody has taken, late pathways by antenna, the figures."""

    name = "coordination"
    template_name = "workflows/home/coordination.html"
    order = 15

    def get_context_data(self, parent_context=None):
        user = self.request.user
        return {
            "waiting": home_selectors.waiting_requests(user),
            "antennas": home_selectors.overdue_by_antenna(user),
            "to_assign_url": f"{reverse('workflows_screens:caseload')}?to_assign=true",
            "figures_url": reverse("indicators:dashboard"),
        }


def panels_for(request) -> list[Component]:
    """The panels of the user's roles, in their order (a person may hold several roles;
    a superuser sees the coordination's)."""
    user = request.user
    groups = policies.group_names(user)
    panels: list[Component] = []
    if policies.MEDIATORS in groups:
        panels.append(FieldPanel(request))
    if policies.COUNSELLORS in groups:
        panels += [
            RequestsToTakePanel(request),
            RemindersDuePanel(request),
            ThisWeekPanel(request),
            StagesPanel(request, own=True),
        ]
    elif policies.is_coordinator(user):
        panels += [CoordinationPanel(request), StagesPanel(request, own=False)]
    return sorted(panels, key=lambda panel: panel.order)
