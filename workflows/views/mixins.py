"""What every workflow screen shares: who may open it and how its title shows."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .. import policies


class RoleRequiredMixin:
    """Screens for the workflow roles only; anyone else is refused before any read."""

    def dispatch(self, request, *args, **kwargs):
        if not policies.has_workflow_role(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReadOnlyListingMixin:
    """A Wagtail listing read as a report: nothing is added from it, and its rows carry no
    buttons (each row links to its own page where there is one)."""

    def get_add_url(self):
        return None

    def get_list_buttons(self, instance):
        return []

    def get_list_more_buttons(self, instance):
        return []


class TitledMixin:
    """The page's title as the last breadcrumb: Wagtail's slim header shows it as the
    page heading."""

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]


def only_visible_instances(patterns: list, visible: Callable[[object], QuerySet]) -> list:
    """Wraps every URL of one instance (`<pk>`) of a Wagtail viewset: an instance outside
    `visible(user)` reads as absent (404), whichever screen is asked (edit, inspect, history,
    preview, revisions, delete, lock…). One guard for them all, rather than one
    `get_object` per Wagtail view class."""
    for pattern in patterns:
        if "pk" in str(pattern.pattern):
            pattern.callback = _guarded(pattern.callback, visible)
    return patterns


def _guarded(view: Callable, visible: Callable[[object], QuerySet]) -> Callable:
    @wraps(view)
    def guarded(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            try:
                found = visible(request.user).filter(pk=unquote(str(pk))).exists()
            except (ValueError, TypeError):
                found = False
            if not found:
                raise Http404
        return view(request, *args, **kwargs)

    return guarded
