"""Registers every app's background schedules with django-q2. Safe to run again: each
schedule is found by name and updated. Each app declares its own in `<app>/tasks.py`
(`SCHEDULES`), next to the functions they run."""

import importlib

from django.core.management.base import BaseCommand
from django_q.models import Schedule

TASK_MODULES = [
    "workflows.tasks",
    "public_site.tasks",
    "access_log.tasks",
    "cms.accounts.tasks",
    "task_queue.tasks",
]


class Command(BaseCommand):
    help = (
        "Programme les tâches de fond (relances, transitions automatiques, récapitulatif de la "
        "semaine, anonymisation, demandes de contact, "
        "journal des accès, journaux de connexion, reçus de tâches)."
    )

    def handle(self, *args, **options) -> None:
        for module_name in TASK_MODULES:
            for name, declared in importlib.import_module(module_name).SCHEDULES.items():
                fields = {key: value for key, value in declared.items() if key != "label"}
                _schedule, created = Schedule.objects.update_or_create(
                    name=name, defaults={**fields, "repeats": -1}
                )
                state = "programmée" if created else "déjà programmée, mise à jour"
                self.stdout.write(f"  Tâche « {declared['label']} » : {state}.")
        self.stdout.write(self.style.SUCCESS("Tâches de fond programmées."))
