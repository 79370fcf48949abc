"""Background work of the public site, run by django-q2 (schedules: the `schedule_tasks`
command)."""

import logging

from django.utils.translation import gettext_lazy as _
from django_q.models import Schedule

from public_site.occurrences import move_horizon
from public_site.services import forward_pending_contact_requests, purge_expired_contact_requests

logger = logging.getLogger(__name__)

# Registered with django-q2 by `manage.py schedule_tasks`: name -> function and period.
SCHEDULES = {
    "public_site.retry_pending_contact_requests": {
        "func": "public_site.tasks.retry_pending_contact_requests",
        "schedule_type": Schedule.MINUTES,
        "minutes": 15,
        "label": _("transmission des demandes « être recontacté » en attente, toutes les 15 min"),
    },
    "public_site.purge_contact_requests": {
        "func": "public_site.tasks.purge_contact_requests",
        "schedule_type": Schedule.DAILY,
        "label": _("effacement des demandes de contact trop anciennes, chaque jour"),
    },
    "public_site.move_occurrence_horizon": {
        "func": "public_site.tasks.move_occurrence_horizon",
        "schedule_type": Schedule.DAILY,
        "label": _("dates des permanences calculées pour les 26 semaines à venir, chaque jour"),
    },
}


def retry_pending_contact_requests() -> int:
    """Hand to the workflow the requests it could not take when they arrived."""
    forwarded = forward_pending_contact_requests()
    logger.info("%s demande(s) de contact transmise(s) au parcours.", forwarded)
    return forwarded


def purge_contact_requests() -> int:
    deleted = purge_expired_contact_requests()
    logger.info("%s demande(s) de contact supprimée(s) (durée de conservation).", deleted)
    return deleted


def move_occurrence_horizon() -> int:
    """Each day the stored dates start at today: yesterday's go, a new day comes in at the
    end of the horizon (readers expand the rules meanwhile for any day it misses)."""
    written = move_horizon()
    logger.info("%s date(s) de permanence calculée(s).", written)
    return written
