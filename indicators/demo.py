"""Demo accounts that read the figures and nothing else: the Aveyron management (Direction)
and a regional network of Missions Locales (Occitanie: Toulouse, Aveyron, Montpellier) whose
member reads their figures together, small counts hidden. Runs after workflows.demo, which
makes the pathways; idempotent like every demo loader."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from territories.models import Organisation
from workflows.demo import ensure_demo_user
from workflows.models import StaffProfile
from workflows.policies import DIRECTION, NETWORK

from .models import Network

NETWORK_NAME = "Association régionale des Missions Locales d'Occitanie"
NETWORK_SLUGS = ("toulouse", "aveyron", "montpellier")
# username, first name, last name, group, organisation (None: the network's member)
ACCOUNTS = (
    ("direction.aveyron", "Hélène", "Vidal", DIRECTION, "aveyron"),
    ("reseau.occitanie", "Marc", "Fabre", NETWORK, None),
)


@transaction.atomic
def load(report: Callable[[str], None] = print) -> None:
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    network, _created = Network.objects.get_or_create(name=NETWORK_NAME)
    network.organisations.set(Organisation.objects.filter(slug__in=NETWORK_SLUGS))
    for username, first_name, last_name, group_name, slug in ACCOUNTS:
        group = Group.objects.get_or_create(name=group_name)[0]
        group.permissions.add(admin_access)
        user = ensure_demo_user(username, first_name, last_name, group)
        if slug is None:
            network.members.add(user)
        else:
            StaffProfile.objects.update_or_create(
                user=user, defaults={"organisation": Organisation.objects.get(slug=slug)}
            )
    report(
        "Indicateurs : direction.aveyron (direction de l'Aveyron) et reseau.occitanie "
        f"({NETWORK_NAME} : {', '.join(NETWORK_SLUGS)}), lecture des chiffres seulement."
    )
