"""Loads the demo data of every app, in the order of the arrows of docs/architecture.md.
Safe to run again: each app's loader updates what it already made instead of duplicating it."""

import importlib
import logging

from django.core.management.base import BaseCommand

from cms.management.production_guard import refuse_in_production

# Each module exposes load(report), in the order of the arrows: what is pointed at first.
DEMO_LOADERS = ["territories.demo", "workflows.demo", "indicators.demo", "public_site.demo"]
# One line per page published or task queued would bury the summary each loader reports.
QUIET_LOGGERS = ["wagtail", "django-q"]


class Command(BaseCommand):
    help = "Charge les données de démonstration (communes, lieux, permanences, parcours)."

    def handle(self, *args, **options) -> None:
        refuse_in_production(
            "Pas de données de démonstration en production : elles créent des comptes au mot "
            "de passe publié."
        )
        levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
        try:
            for module_name in DEMO_LOADERS:
                importlib.import_module(module_name).load(
                    report=lambda message: self.stdout.write(f"  {message}")
                )
        finally:
            for name, level in levels.items():
                logging.getLogger(name).setLevel(level)
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
