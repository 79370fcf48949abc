"""CNIL guidance for social support records: a young person's data is kept at most two
years after their last contact, then anonymised. Stages, categories, commune and QPV stay,
so the comité de pilotage's figures do not change."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Contact, Pathway, TransitionRecord, Youth

RETENTION = datetime.timedelta(days=730)


def youths_to_anonymise(now: datetime.datetime | None = None):
    """Young people with no open pathway whose latest contact or change is older than the
    retention period."""
    limit = (now or timezone.now()) - RETENTION
    open_pathway = Pathway.objects.filter(youth=OuterRef("pk"), closed_at__isnull=True)
    return (
        Youth.objects.filter(anonymised_at__isnull=True)
        .annotate(
            has_open=Exists(open_pathway),
            last_activity=Max(
                Greatest(
                    Coalesce("pathways__last_contact_at", "pathways__entered_stage_at"),
                    "pathways__entered_stage_at",
                )
            ),
        )
        .filter(has_open=False)
        .filter(Q(last_activity__lt=limit) | Q(last_activity__isnull=True, created_at__lt=limit))
    )


@transaction.atomic
def anonymise(youth_ids: list[int], now: datetime.datetime | None = None) -> int:
    """Erases what identifies the young people; returns how many were anonymised."""
    now = now or timezone.now()
    count = Youth.objects.filter(pk__in=youth_ids, anonymised_at__isnull=True).update(
        first_name=_("Anonymisé"),
        last_name="",
        date_of_birth=None,
        phone="",
        email="",
        anonymised_at=now,
    )
    pathways = Pathway.objects.filter(youth_id__in=youth_ids)
    pathways.update(answers={})
    TransitionRecord.objects.filter(pathway__in=pathways).update(answers={}, comment="")
    Contact.objects.filter(pathway__in=pathways).update(note="")
    return count


def anonymise_expired(now: datetime.datetime | None = None) -> int:
    ids = list(youths_to_anonymise(now).values_list("pk", flat=True))
    return anonymise(ids, now) if ids else 0
