"""Creates (or updates) the django-q2 schedule of the workflow reminders. Safe to run again."""

from django.core.management.base import BaseCommand
from django_q.models import Schedule

from workflows.tasks import REMINDER_SCHEDULE_NAME


class Command(BaseCommand):
    help = "Programme les relances quotidiennes des parcours (django-q2)."

    def handle(self, *args, **options) -> None:
        schedule, created = Schedule.objects.update_or_create(
            name=REMINDER_SCHEDULE_NAME,
            defaults={
                "func": "workflows.tasks.refresh_reminders",
                "schedule_type": Schedule.DAILY,
                "repeats": -1,
            },
        )
        self.stdout.write(
            self.style.SUCCESS(
                ("Relances programmées" if created else "Relances déjà programmées")
                + f" (tâche « {schedule.name} », quotidienne)."
            )
        )
