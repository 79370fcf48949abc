"""Creates (or updates) the django-q2 schedules of the public site. Safe to run again."""

from django.core.management.base import BaseCommand
from django_q.models import Schedule

from public_site.tasks import PURGE_SCHEDULE_NAME, RETRY_SCHEDULE_NAME

RETRY_EVERY_MINUTES = 15


class Command(BaseCommand):
    help = (
        "Programme la transmission des demandes « être recontacté » en attente et "
        "l'effacement des demandes trop anciennes (django-q2)."
    )

    def handle(self, *args, **options) -> None:
        Schedule.objects.update_or_create(
            name=RETRY_SCHEDULE_NAME,
            defaults={
                "func": "public_site.tasks.retry_pending_contact_requests",
                "schedule_type": Schedule.MINUTES,
                "minutes": RETRY_EVERY_MINUTES,
                "repeats": -1,
            },
        )
        Schedule.objects.update_or_create(
            name=PURGE_SCHEDULE_NAME,
            defaults={
                "func": "public_site.tasks.purge_contact_requests",
                "schedule_type": Schedule.DAILY,
                "repeats": -1,
            },
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demandes de contact : transmission toutes les {RETRY_EVERY_MINUTES} minutes, "
                "effacement des anciennes demandes chaque jour."
            )
        )
