"""Creates (or updates) the django-q2 schedules of the workflow: daily reminders and the
anonymisation of records two years after the last contact. Safe to run again."""

from django.core.management.base import BaseCommand
from django_q.models import Schedule

from workflows.tasks import REMINDER_SCHEDULE_NAME, RETENTION_SCHEDULE_NAME

SCHEDULES = {
    REMINDER_SCHEDULE_NAME: ("workflows.tasks.refresh_reminders", "relances"),
    RETENTION_SCHEDULE_NAME: ("workflows.tasks.anonymise_expired_records", "anonymisation"),
}


class Command(BaseCommand):
    help = "Programme les tâches quotidiennes des parcours (django-q2)."

    def handle(self, *args, **options) -> None:
        for name, (func, label) in SCHEDULES.items():
            _schedule, created = Schedule.objects.update_or_create(
                name=name,
                defaults={"func": func, "schedule_type": Schedule.DAILY, "repeats": -1},
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Tâche quotidienne « {label} » "
                    + ("programmée." if created else "déjà programmée (mise à jour).")
                )
            )
