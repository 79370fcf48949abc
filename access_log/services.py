"""Writing the access log, and its own retention. Called by the selectors and services that
read or change a young person's record, so that no screen, export, endpoint or task can
forget it (docs/architecture.md, "Data protection")."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import pgtrigger
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .context import current_client_address, not_yet_recorded
from .models import APPEND_ONLY_TRIGGER, AccessLogEntry, Action, Channel


@dataclass(frozen=True)
class Subject:
    """Whose record was touched: the young person, and the pathway read or changed."""

    youth_id: int
    organisation_id: int | None = None
    pathway_id: int | None = None


def record(
    user,
    action: Action,
    channel: Channel,
    subjects: Iterable[Subject],
    *,
    sensitive: bool = False,
    detail: str = "",
) -> int:
    """Appends one entry per young person and pathway (a list of fifty rows: fifty entries,
    in one INSERT; none for what the request already logged the same way). `user` is None
    for the system (tasks, retention). Returns the count."""
    user_id = getattr(user, "pk", None)
    username = getattr(user, "get_username", lambda: "")() if user_id else ""
    address = current_client_address()
    at = timezone.now()
    keys = not_yet_recorded((action, channel, sensitive, detail, subject) for subject in subjects)
    entries = [
        AccessLogEntry(
            at=at,
            user_id=user_id,
            username=username,
            organisation_id=subject.organisation_id,
            youth_id=subject.youth_id,
            pathway_id=subject.pathway_id,
            action=action,
            channel=channel,
            sensitive=sensitive,
            ip_address=address,
            detail=detail[:200],
        )
        for *_way, subject in keys
    ]
    if entries:
        AccessLogEntry.objects.bulk_create(entries)
    return len(entries)


def retention_limit(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)


@transaction.atomic
def purge_expired(now: datetime.datetime | None = None) -> int:
    """Deletes the entries older than the log's retention (ACCESS_LOG_RETENTION_DAYS, one year
    by default): the one DELETE the append-only trigger lets through."""
    with pgtrigger.ignore(APPEND_ONLY_TRIGGER):
        deleted, _ = AccessLogEntry.objects.filter(at__lt=retention_limit(now)).delete()
    return deleted
