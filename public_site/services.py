"""Writes of the public site: storing an "être recontacté" request and handing it to the
workflow. The form view, the API and the retry task all go through these functions."""

import logging
from collections.abc import Sequence
from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext

from access_log.client import client_address
from access_log.models import Channel
from public_site import spam
from public_site.forms import ContactRequestForm
from public_site.models.contact_requests import ContactRequest, ContactRequestStatus
from territories.models import Commune, Organisation
from territories.selectors import coverage_of
from workflows.choices import PathwaySource
from workflows.services.errors import NoPublishedDefinition
from workflows.services.pathways import start_pathway

logger = logging.getLogger(__name__)

# CNIL guidance for social support records: at most two years after the last contact.
PENDING_RETENTION = timedelta(days=2 * 365)
# Once the workflow holds the data, the copy kept here is only needed for a short audit.
FORWARDED_RETENTION = timedelta(days=30)


class TooManyContactRequests(Exception):
    """The client posted more often than the rate limit allows: answered with HTTP 429."""


def receive_contact_request(
    request: HttpRequest, data: QueryDict | dict, organisation: Organisation | None = None
) -> ContactRequestForm:
    """One submission of the "être recontacté" form, from the page or the API alike: rate
    limit, validation, honeypot and time check, then storage. Returns the bound form, whose
    errors say what to fix. A robot caught by the honeypot is answered as a person would be,
    and nothing of it is kept. `organisation` is the Mission Locale whose section the form
    was sent from (None from the API)."""
    if spam.client_is_over_limit(request):
        raise TooManyContactRequests
    spam.record_attempt(request)
    form = ContactRequestForm(data, client=client_address(request) or "")
    if form.is_valid() and not form.is_spam():
        submit_contact_request(**form.request_data(), organisation=organisation)
    return form


def submit_contact_request(
    *,
    first_name: str,
    phone: str,
    email: str,
    commune: Commune | None,
    needs: Sequence[str],
    consent: bool,
    organisation: Organisation | None = None,
) -> ContactRequest:
    """Store the request, then try to start its pathway in the same transaction. If the
    workflow cannot take it, the request stays pending (and a task retries later).

    The request goes to the Mission Locale of the section it was sent from; without one
    (the API), to the Mission Locale covering the young person's commune, if any."""
    if organisation is None:
        coverage = coverage_of(commune)
        organisation = coverage.organisation if coverage is not None else None
    with transaction.atomic():
        contact_request = ContactRequest.objects.create(
            organisation=organisation,
            first_name=first_name,
            phone=phone,
            email=email,
            commune=commune,
            needs=list(needs),
            consent=consent,
        )
        forward_contact_request(contact_request)
    return contact_request


def forward_contact_request(
    contact_request: ContactRequest, *, channel: Channel = Channel.FORM
) -> bool:
    """Create the pathway for a pending request. Returns whether it was forwarded; a failure
    is recorded on the request (never personal data in the logs) and rolled back alone.
    The creation is in the access log under `channel` (the retry task: TASK)."""
    if contact_request.status != ContactRequestStatus.PENDING:
        return False
    contact_request.attempts += 1
    try:
        with transaction.atomic():
            # The one call that hands a request to the workflow, in the organisation whose
            # section received it (or, through the API, the one covering the commune).
            pathway = start_pathway(
                organisation=contact_request.organisation,
                first_name=contact_request.first_name,
                source=PathwaySource.WEBSITE,
                consent=contact_request.consent,
                contact_phone=contact_request.phone,
                contact_email=contact_request.email,
                commune=contact_request.commune,
                needs=tuple(contact_request.needs),
                comment=gettext("Demande « être recontacté » reçue par le site web."),
                channel=channel,
            )
    except NoPublishedDefinition:
        contact_request.last_error = gettext("Aucun workflow n'est publié.")
        contact_request.save(update_fields=["attempts", "last_error"])
        return False
    except Exception as error:  # recorded and retried, never lost
        logger.exception(
            "Demande de contact %s non transmise (%s)", contact_request.pk, type(error).__name__
        )
        contact_request.last_error = type(error).__name__
        contact_request.save(update_fields=["attempts", "last_error"])
        return False
    contact_request.status = ContactRequestStatus.FORWARDED
    contact_request.pathway_id = pathway.pk
    contact_request.forwarded_at = timezone.now()
    contact_request.last_error = ""
    contact_request.save(
        update_fields=["status", "pathway_id", "forwarded_at", "attempts", "last_error"]
    )
    return True


def forward_pending_contact_requests() -> int:
    """Retry every pending request, oldest first; returns how many were forwarded."""
    forwarded = 0
    for pk in (
        ContactRequest.objects.filter(status=ContactRequestStatus.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)
    ):
        with transaction.atomic():
            contact_request = (
                ContactRequest.objects.select_for_update()
                .filter(pk=pk, status=ContactRequestStatus.PENDING)
                .first()
            )
            if contact_request is not None and forward_contact_request(
                contact_request, channel=Channel.TASK
            ):
                forwarded += 1
    return forwarded


def purge_expired_contact_requests() -> int:
    """Delete what we no longer have a reason to keep (see the retention constants)."""
    now = timezone.now()
    deleted, _details = ContactRequest.objects.filter(
        status=ContactRequestStatus.PENDING, created_at__lt=now - PENDING_RETENTION
    ).delete()
    forwarded_deleted, _details = ContactRequest.objects.filter(
        status=ContactRequestStatus.FORWARDED, forwarded_at__lt=now - FORWARDED_RETENTION
    ).delete()
    return deleted + forwarded_deleted
