"""Background work of the public site, run by django-q2 (schedules: the
`schedule_public_site_tasks` command)."""

import logging

from public_site.services import forward_pending_contact_requests, purge_expired_contact_requests

logger = logging.getLogger(__name__)

RETRY_SCHEDULE_NAME = "public_site.retry_pending_contact_requests"
PURGE_SCHEDULE_NAME = "public_site.purge_contact_requests"


def retry_pending_contact_requests() -> int:
    """Hand to the workflow the requests it could not take when they arrived."""
    forwarded = forward_pending_contact_requests()
    logger.info("%s demande(s) de contact transmise(s) au parcours.", forwarded)
    return forwarded


def purge_contact_requests() -> int:
    deleted = purge_expired_contact_requests()
    logger.info("%s demande(s) de contact supprimée(s) (durée de conservation).", deleted)
    return deleted
