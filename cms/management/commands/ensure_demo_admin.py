"""Creates the demo administrator for `make run`, and prints how to log in."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cms.management.production_guard import refuse_in_production

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "mission-locale-demo"


class Command(BaseCommand):
    help = "Crée l'administrateur de démonstration et affiche ses identifiants."

    def handle(self, *args, **options) -> None:
        refuse_in_production("Pas de compte de démonstration en production.")
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "first_name": "Admin"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Administration (/admin/) : identifiant « {DEMO_USERNAME} », "
                f"mot de passe « {DEMO_PASSWORD} »"
                + ("" if created else " (compte existant, mot de passe inchangé)")
            )
        )
