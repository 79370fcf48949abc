"""The public form's copy of a request (ContactRequest), exported and erased with the
young person's record (workflows.personal_data)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from workflows.personal_data import Holder

from .models import ContactRequest


def export_requests(pathway_ids: Sequence[int]) -> list[dict]:
    return [
        {
            "first_name": request.first_name,
            "phone": request.phone,
            "email": request.email,
            "commune": str(request.commune) if request.commune_id else None,
            "consent": request.consent,
            "created_at": request.created_at.isoformat(),
            "status": request.get_status_display(),
        }
        for request in ContactRequest.objects.filter(pathway_id__in=pathway_ids)
        .select_related("commune")
        .order_by("created_at")
    ]


def erase_requests(pathway_ids: Sequence[int]) -> int:
    return ContactRequest.objects.filter(pathway_id__in=pathway_ids).update(
        first_name="", phone="", email="", last_error=""
    )


CONTACT_REQUESTS = Holder(
    label=str(_("Demandes « être recontacté »")),
    export=export_requests,
    erase=erase_requests,
)
