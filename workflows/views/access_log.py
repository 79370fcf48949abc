"""The "Journal des accès": who read, exported or changed which young person's record, for
the organisation's data protection officer and its coordinators (Reports menu). Filters
(young person by number or by name, user, period, channel, action), pages of fifty, and
the filtered entries in CSV or XLSX through Wagtail's own spreadsheet export. Entries show
ids only: the journal reads no young person's record, so it writes no entry itself."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic

from access_log.models import AccessLogEntry, Action, Channel

from .. import policies, screen_selectors
from .mixins import ReadOnlyListingMixin


class YouthIdFilter(django_filters.NumberFilter):
    """A young person's number: a whole number that fits a database key, else no filter."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, min_value=1, max_value=2**63 - 1, **kwargs)


def _readers(request):
    return screen_selectors.log_readers(request.user if request is not None else None)


class AccessLogFilterSet(WagtailFilterSet):
    youth = YouthIdFilter(label=_("Jeune (n°)"), field_name="youth_id")
    name = django_filters.CharFilter(
        label=_("Nom ou prénom du jeune"),
        method="filter_name",
        help_text=_("Cherché parmi les jeunes de votre Mission Locale ; jamais journalisé."),
    )
    user = django_filters.ModelChoiceFilter(
        label=_("Utilisateur"), queryset=_readers, method="filter_user"
    )
    at = django_filters.DateFromToRangeFilter(label=_("Période"))
    channel = django_filters.ChoiceFilter(label=_("Canal"), choices=Channel.choices)
    action = django_filters.ChoiceFilter(label=_("Action"), choices=Action.choices)

    class Meta:
        model = AccessLogEntry
        fields: list[str] = []

    def filter_name(self, queryset, name, value):
        """The name is turned into ids at once; only the ids reach the query."""
        ids = screen_selectors.youth_ids_named(self.request.user, value)
        return queryset.filter(youth_id__in=ids)

    def filter_user(self, queryset, name, value):
        return queryset.filter(user_id=value.pk)


class AccessLogView(ReadOnlyListingMixin, generic.IndexView):
    model = AccessLogEntry
    index_url_name = "workflows_screens:access_log"
    index_results_url_name = "workflows_screens:access_log_results"
    page_title = _("Journal des accès")
    header_icon = "history"
    filterset_class = AccessLogFilterSet
    paginate_by = 50
    export_filename = "journal-des-acces"
    list_export = [
        "at",
        "username",
        "user_id",
        "youth_id",
        "pathway_id",
        "action",
        "channel",
        "sensitive",
        "ip_address",
        "detail",
    ]
    export_headings = {
        "at": _("Date"),
        "username": _("Identifiant"),
        "user_id": _("Utilisateur (n°)"),
        "youth_id": _("Jeune (n°)"),
        "pathway_id": _("Parcours (n°)"),
        "action": _("Action"),
        "channel": _("Canal"),
        "sensitive": _("Informations réservées lues"),
        "ip_address": _("Adresse IP"),
        "detail": _("Précision"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not policies.can_handle_data_rights(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def permission_policy(self):
        return None  # the rule is `policies.can_handle_data_rights`, checked above

    @cached_property
    def verbose_name_plural(self):
        return _("accès")

    @cached_property
    def no_results_message(self):
        if self.is_filtering:
            return _("Aucun accès ne correspond à ces filtres.")
        return _("Aucun accès n'est encore journalisé pour votre Mission Locale.")

    def get_base_queryset(self):
        return screen_selectors.access_log_entries(self.request.user)

    def order_queryset(self, queryset):
        return queryset  # newest first, as the selector orders them

    @cached_property
    def columns(self):
        return [
            DateColumn("at", label=_("Date"), accessor=lambda entry: timezone.localtime(entry.at)),
            Column("username", label=_("Utilisateur"), accessor=_username),
            Column("youth_id", label=_("Jeune (n°)")),
            Column("pathway_id", label=_("Parcours (n°)")),
            Column("action", label=_("Action"), accessor="get_action_display"),
            Column("channel", label=_("Canal"), accessor="get_channel_display"),
            Column("ip_address", label=_("Adresse IP")),
            Column("detail", label=_("Précision"), accessor=_detail),
        ]

    def to_row_dict(self, item):
        return {
            "at": timezone.localtime(item.at),
            "username": item.username,
            "user_id": item.user_id,
            "youth_id": item.youth_id,
            "pathway_id": item.pathway_id,
            "action": item.get_action_display(),
            "channel": item.get_channel_display(),
            "sensitive": _("oui") if item.sensitive else _("non"),
            "ip_address": item.ip_address or "",
            "detail": item.detail,
        }


def _username(entry: AccessLogEntry) -> str:
    return entry.username or str(_("Système"))


def _detail(entry: AccessLogEntry) -> str:
    parts = [str(_("informations réservées lues"))] if entry.sensitive else []
    return ", ".join([*parts, entry.detail] if entry.detail else parts)
