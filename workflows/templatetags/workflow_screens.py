"""Wording for the counsellors' screens."""

import datetime

from django import template
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from .. import policies

register = template.Library()


@register.filter
def time_in_stage(entered_at: datetime.datetime, now: datetime.datetime) -> str:
    """ "depuis 2 semaines, 6 jours", and "depuis un instant" rather than Django's
    "depuis 0 minute" for a pathway that has just moved."""
    if (now - entered_at).total_seconds() < 60:
        return _("depuis un instant")
    return _("depuis %(duration)s") % {"duration": timesince(entered_at, now)}


@register.filter
def answer_value(value) -> str:
    """An answer as a person reads it: a list as "a, b", yes/no in words."""
    if isinstance(value, bool):
        return str(_("oui") if value else _("non"))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "—" if value in (None, "") else str(value)


@register.filter
def iso_date(value: str | None) -> str:
    """An ISO 8601 date or moment of an export, in French ("02/12/2026 à 14:05")."""
    if not value:
        return "—"
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if "T" not in value:
        return f"{moment:%d/%m/%Y}"
    return str(_("%(day)s à %(time)s") % {"day": f"{moment:%d/%m/%Y}", "time": f"{moment:%H:%M}"})


@register.filter
def works_pathways_only(user) -> bool:
    """Whether the admin's home shows this user only the workflow's panels: staff of the
    workflow roles (not a superuser), for whom Wagtail's page search and account summary
    are noise."""
    return policies.has_workflow_role(user) and not user.is_superuser
