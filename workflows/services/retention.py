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


def export_youth_data(youth: Youth) -> dict:
    """Everything kept about a young person, for a request under the right of access."""
    pathways = []
    for pathway in Pathway.objects.filter(youth=youth).order_by("created_at"):
        pathways.append(
            {
                "source": pathway.get_source_display(),
                "stage": pathway.stage,
                "created_at": pathway.created_at.isoformat(),
                "closed_at": pathway.closed_at.isoformat() if pathway.closed_at else None,
                "needs": pathway.needs,
                "answers": pathway.answers,
                "history": [
                    {
                        "at": record.created_at.isoformat(),
                        "from": record.from_stage_label,
                        "to": record.to_stage_label,
                        "transition": record.transition_label,
                        "answers": record.answers,
                        "comment": record.comment,
                    }
                    for record in pathway.history.order_by("created_at", "pk")
                ],
                "contacts": [
                    {
                        "at": contact.happened_at.isoformat(),
                        "kind": contact.get_kind_display(),
                        "note": contact.note,
                    }
                    for contact in pathway.contacts.order_by("happened_at")
                ],
            }
        )
    return {
        "first_name": youth.first_name,
        "last_name": youth.last_name,
        "date_of_birth": youth.date_of_birth.isoformat() if youth.date_of_birth else None,
        "phone": youth.phone,
        "email": youth.email,
        "commune": str(youth.commune) if youth.commune_id else None,
        "priority_neighbourhood": youth.priority_neighbourhood.name
        if youth.priority_neighbourhood
        else None,
        "consent_recorded_at": youth.consent_recorded_at.isoformat()
        if youth.consent_recorded_at
        else None,
        "pathways": pathways,
    }


@transaction.atomic
def erase_youth(youth: Youth, now: datetime.datetime | None = None) -> None:
    """Erasure on request: open pathways are closed, then the data is anonymised at once."""
    now = now or timezone.now()
    Pathway.objects.filter(youth=youth, closed_at__isnull=True).update(closed_at=now, due_on=None)
    anonymise([youth.pk], now)
