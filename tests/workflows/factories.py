"""Builders for workflow tests, shared with the screens' and the API's tests."""

from __future__ import annotations

import copy
import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from territories.models import Antenna, Commune, PriorityNeighbourhood
from workflows.choices import PathwaySource
from workflows.models import StaffProfile, WorkflowDefinition
from workflows.policies import COUNSELLORS, MEDIATORS
from workflows.services.pathways import start_pathway

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "workflow_definition.json"


def default_elements() -> list[dict]:
    """The default definition's StreamField data (a fresh copy each time)."""
    return copy.deepcopy(json.loads(FIXTURE.read_text(encoding="utf-8"))["elements"])


def make_user(username: str, group: str | None = None, antenna=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password="x", email=f"{username}@example.org", **extra
    )
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    if antenna is not None or group in (COUNSELLORS, MEDIATORS):
        StaffProfile.objects.create(user=user, antenna=antenna)
    return user


def publish_definition_from(elements: list[dict], *, name="Parcours de test", user=None):
    definition = WorkflowDefinition.objects.filter(name=name).first()
    if definition is None:
        definition = WorkflowDefinition(name=name, elements=elements, live=False)
        definition.save()
    else:
        definition.elements = elements
    revision = definition.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)
    definition.refresh_from_db()
    return definition


def make_places():
    commune = Commune.objects.create(name="Onet-le-Château", insee_code="12176")
    other = Commune.objects.create(name="Toulouse", insee_code="31555")
    qpv = PriorityNeighbourhood.objects.create(
        name="Quatre Saisons", code="QP012001", commune=commune
    )
    antenna = Antenna.objects.create(name="Antenne de Rodez", organisation="ML Aveyron")
    other_antenna = Antenna.objects.create(
        name="Quartiers Est", organisation="ML Toulouse", commune=other
    )
    return {
        "commune": commune,
        "other_commune": other,
        "qpv": qpv,
        "antenna": antenna,
        "other_antenna": other_antenna,
    }


def new_pathway(*, age: int = 20, actor=None, **kwargs):
    today = timezone.localdate()
    defaults = {
        "first_name": "Camille",
        "last_name": "Test",
        "source": PathwaySource.PERMANENCE,
        "consent": True,
        "contact_phone": "06 00 00 00 01",
        "date_of_birth": today.replace(year=today.year - age) - datetime.timedelta(days=10),
    }
    defaults.update(kwargs)
    return start_pathway(actor=actor, **defaults)
