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

from territories.models import (
    Antenna,
    Commune,
    CommuneCoverage,
    Organisation,
    PriorityNeighbourhood,
)
from workflows.choices import PathwaySource
from workflows.models import StaffProfile, WorkflowDefinition
from workflows.policies import COORDINATORS, COUNSELLORS, MEDIATORS
from workflows.services.pathways import start_pathway

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "workflow_definition.json"


def default_elements() -> list[dict]:
    """The default definition's StreamField data (a fresh copy each time)."""
    return copy.deepcopy(json.loads(FIXTURE.read_text(encoding="utf-8"))["elements"])


def make_user(username: str, group: str | None = None, antenna=None, organisation=None, **extra):
    """A user with a role; staff (any role) work for `organisation`, by default their
    antenna's, else the "aveyron" organisation when it exists."""
    user = get_user_model().objects.create_user(
        username=username, password="x", email=f"{username}@example.org", **extra
    )
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    if organisation is None and antenna is not None:
        organisation = antenna.organisation
    if organisation is None and group in (COORDINATORS, COUNSELLORS, MEDIATORS):
        organisation = Organisation.objects.filter(slug="aveyron").first()
    if antenna is not None or organisation is not None or group in (COUNSELLORS, MEDIATORS):
        StaffProfile.objects.create(user=user, antenna=antenna, organisation=organisation)
    return user


def publish_definition_from(
    elements: list[dict], *, name="Parcours de test", user=None, organisation=None
):
    """Publishes `elements` as `organisation`'s definition `name` (by default the
    publisher's organisation, else "aveyron")."""
    if organisation is None and user is not None:
        profile = StaffProfile.objects.filter(user=user).first()
        organisation = profile.organisation if profile else None
    if organisation is None:
        organisation = Organisation.objects.filter(slug="aveyron").first()
    definition = WorkflowDefinition.objects.filter(name=name, organisation=organisation).first()
    if definition is None:
        definition = WorkflowDefinition(
            name=name, elements=elements, live=False, organisation=organisation
        )
        definition.save()
    else:
        definition.elements = elements
    revision = definition.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)
    definition.refresh_from_db()
    return definition


def without_stage(code: str, move_into: str) -> list[dict]:
    """The default definition minus one stage, its transitions re-pointed."""
    elements = [
        e for e in default_elements() if not (e["type"] == "stage" and e["value"]["code"] == code)
    ]
    for element in elements:
        if element["type"] == "transition":
            value = element["value"]
            sources = [s.strip() for s in value["sources"].split(",") if s.strip() != code]
            value["sources"] = ", ".join(sources)
            if value["target"] == code:
                value["target"] = move_into
    return [e for e in elements if e["type"] == "stage" or e["value"]["sources"]]


def publish_moving(definition, user, moves: dict[str, str]):
    """Publishes the definition's current content with "déplacement des parcours" filled as
    the coordinator would, through Wagtail's own path (`Revision.publish()`)."""
    definition.stage_moves = [
        {"type": "move", "value": {"from_stage": old, "to_stage": new}}
        for old, new in moves.items()
    ]
    revision = definition.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)
    definition.refresh_from_db()
    return revision


def make_places():
    commune = Commune.objects.create(name="Onet-le-Château", insee_code="12176")
    other = Commune.objects.create(name="Toulouse", insee_code="31555")
    qpv = PriorityNeighbourhood.objects.create(
        name="Quatre Saisons", code="QP012001", commune=commune
    )
    aveyron = Organisation.objects.create(
        name="Mission Locale de l'Aveyron", short_name="Aveyron", slug="aveyron"
    )
    toulouse = Organisation.objects.create(
        name="Mission Locale de Toulouse", short_name="Toulouse", slug="toulouse"
    )
    antenna = Antenna.objects.create(name="Antenne de Rodez", organisation=aveyron)
    second_antenna = Antenna.objects.create(
        name="Antenne de Villefranche-de-Rouergue", organisation=aveyron
    )
    other_antenna = Antenna.objects.create(
        name="Quartiers Est", organisation=toulouse, commune=other
    )
    CommuneCoverage.objects.create(commune=commune, organisation=aveyron, antenna=antenna)
    CommuneCoverage.objects.create(commune=other, organisation=toulouse, antenna=other_antenna)
    return {
        "aveyron": aveyron,
        "toulouse": toulouse,
        "commune": commune,
        "other_commune": other,
        "qpv": qpv,
        "antenna": antenna,
        "second_antenna": second_antenna,
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


def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _flatten(f"{prefix}-{key}", child, out)
    elif isinstance(value, list):
        out[prefix] = value  # a multiple choice: several values under one name
    elif isinstance(value, bool):
        if value:
            out[prefix] = "on"
    else:
        out[prefix] = "" if value is None else str(value)


def _stream(items: list[tuple[str, dict]]) -> dict:
    data = {
        str(i): {"type": block_type, "value": value, "deleted": "", "order": str(i), "id": ""}
        for i, (block_type, value) in enumerate(items)
    }
    data["count"] = len(items)
    return data


def _list(items: list[dict]) -> dict:
    data = {
        str(i): {"value": value, "deleted": "", "order": str(i), "id": ""}
        for i, value in enumerate(items)
    }
    data["count"] = len(items)
    return data


def definition_form_data(
    *, name: str, elements: list[dict], stage_moves=(), action: str = "action-publish"
) -> dict:
    """The POST the snippet editor sends for a definition (publish by default)."""
    stream = []
    for element in elements:
        value = dict(element["value"])
        if element["type"] == "stage":
            value = {
                "code": value["code"],
                "label": value["label"],
                "category": value["category"],
                "initial": bool(value.get("initial")),
                "final": bool(value.get("final")),
                "reminder_days": value.get("reminder_days"),
                "max_duration_days": value.get("max_duration_days"),
            }
        else:
            value["fields"] = _list(value.get("fields") or [])
            value["conditions"] = _stream(
                [(c["type"], c["value"]) for c in value.get("conditions") or []]
            )
            value["actions"] = _stream(
                [(a["type"], a["value"]) for a in value.get("actions") or []]
            )
            value["allowed_groups"] = list(value.get("allowed_groups") or [])
        stream.append((element["type"], value))
    data: dict = {"name": name, "description": "", "for_new_pathways": True}
    out: dict = {}
    for key, value in data.items():
        _flatten(key, value, out)
    _flatten("elements", _stream(stream), out)
    _flatten(
        "stage_moves",
        _stream([("move", {"from_stage": a, "to_stage": b}) for a, b in stage_moves]),
        out,
    )
    if action:
        out[action] = action
    return out


def forget_access_log() -> None:
    """Empties the access log after a test's setup (which the services log: creations,
    contacts, transitions), past the append-only trigger as the log's own retention does."""
    import pgtrigger

    from access_log.models import APPEND_ONLY_TRIGGER, AccessLogEntry

    with pgtrigger.ignore(APPEND_ONLY_TRIGGER):
        AccessLogEntry.objects.all().delete()
