"""Background work of the public site, run by django-q2 (schedules: see the README)."""

import logging

from public_site.services import forward_pending_contact_requests, purge_expired_contact_requests

logger = logging.getLogger(__name__)


def retry_pending_contact_requests() -> int:
    """Hand to the workflow the requests it could not take when they arrived."""
    forwarded = forward_pending_contact_requests()
    logger.info("%s demande(s) de contact transmise(s) au parcours.", forwarded)
    return forwarded


def purge_contact_requests() -> int:
    deleted = purge_expired_contact_requests()
    logger.info("%s demande(s) de contact supprimée(s) (durée de conservation).", deleted)
    return deleted
