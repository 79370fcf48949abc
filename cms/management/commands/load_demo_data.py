"""Loads the demo data of every app, in the order of DESIGN.md's arrows. Safe to run again:
each app's loader updates what it already made instead of duplicating it."""

import importlib

from django.core.management.base import BaseCommand

# Each module exposes load(report), in the order of the arrows: what is pointed at first.
DEMO_LOADERS = ["territories.demo", "workflows.demo", "public_site.demo"]


class Command(BaseCommand):
    help = "Charge les données de démonstration (communes, lieux, permanences, parcours)."

    def handle(self, *args, **options) -> None:
        for module_name in DEMO_LOADERS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue
            module.load(report=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
