"""The permission matrix: every role × every workflow admin screen, export and API endpoint
× an object in the user's scope, in another antenna of their organisation, and in another
organisation → the expected HTTP status (and, for lists and exports, whether that object
shows). The table below is the specification; each of its cells is one test case.

The objects are built once for the module, in a transaction rolled back at the end; each
case runs in its own savepoint, so writes (contacts, transitions, maraudes) never leak from
one case to the next. `test_matrix_size` prints the number of cases (run with `-s`), and
`pytest --collect-only -q tests/workflows/test_permission_matrix.py` counts them too.

Superusers are left out: they work across organisations by design (see
test_organisation_scope.py, where their cross-organisation reads are checked and logged)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests.api.conftest import bearer
from workflows import demo
from workflows.models import OutreachRound, WorkflowDefinition
from workflows.policies import COORDINATORS, COUNSELLORS, DATA_PROTECTION_OFFICERS, MEDIATORS
from workflows.services.definition_copies import copy_definition

from .factories import (
    default_elements,
    make_places,
    make_user,
    new_pathway,
    publish_definition_from,
)

TODAY = timezone.localdate().isoformat()

# --- who -----------------------------------------------------------------------------------

MED, CNS, CRD, COM, DPO, ANON = (
    "mediateur",
    "conseiller",
    "coordinateur",
    "communication",
    "dpd",
    "anonyme",
)
ROLES = (MED, CNS, CRD, COM, DPO, ANON)
COMMUNICATION_OFFICERS = "Chargés de communication"

# --- which object --------------------------------------------------------------------------

OWN, OTHER_ANTENNA, OTHER_ORGANISATION = "own", "other_antenna", "other_organisation"
SCOPES = (OWN, OTHER_ANTENNA, OTHER_ORGANISATION)
NO_OBJECT = ("-",)


@dataclass(frozen=True)
class Endpoint:
    """One screen, export or API call. `url` is formatted with the target object's fields
    (`pk`, `antenna`, `mediator`); `kind` names the object ("pathway", "round",
    "definition", or None); `marker` names what shows the object in a list or export."""

    method: str
    url: str
    kind: str | None = None
    api: bool = False
    body: dict | None = None
    marker: str | None = None  # how it shows: see `_shows`
    scopes: tuple[str, ...] = SCOPES


# A list's cell reads "200+" (the object shows) or "200-" (it does not).
# Each row: the endpoint, then per role (MED, CNS, CRD, COM, DPO, ANON) one status per scope.
P, R, D = "pathway", "round", "definition"
# fmt: off
MATRIX: dict[str, tuple[Endpoint, dict[str, str]]] = {
    # --- admin: "Mes jeunes", its export, the board, the pathway page and its forms ------
    "caseload": (
        Endpoint("GET", "/admin/parcours/", P, marker="link"),
        {MED: "200+ 200- 200-", CNS: "200+ 200- 200-", CRD: "200+ 200+ 200-",
         COM: "302 302 302", DPO: "302 302 302", ANON: "302 302 302"},
    ),
    "caseload_results": (
        Endpoint("GET", "/admin/parcours/resultats/", P, marker="link"),
        {MED: "200+ 200- 200-", CNS: "200+ 200- 200-", CRD: "200+ 200+ 200-",
         COM: "302 302 302", DPO: "302 302 302", ANON: "302 302 302"},
    ),
    "caseload_export": (
        Endpoint("GET", "/admin/parcours/?export=csv", P, marker="name"),
        {MED: "200+ 200- 200-", CNS: "200+ 200- 200-", CRD: "200+ 200+ 200-",
         COM: "302 302 302", DPO: "302 302 302", ANON: "302 302 302"},
    ),
    "board": (
        Endpoint("GET", "/admin/parcours/tableau/", P, marker="link"),
        {MED: "200+ 200- 200-", CNS: "200+ 200- 200-", CRD: "200+ 200+ 200-",
         COM: "302 302 302", DPO: "302 302 302", ANON: "302 302 302"},
    ),
    "identification": (
        Endpoint("GET", "/admin/parcours/reperage/", scopes=NO_OBJECT),
        {MED: "200", CNS: "200", CRD: "200", COM: "302", DPO: "302", ANON: "302"},
    ),
    "pathway_page": (
        Endpoint("GET", "/admin/parcours/{pk}/", P),
        {MED: "200 404 404", CNS: "200 404 404", CRD: "200 200 404",
         COM: "302 302 302", DPO: "302 302 302", ANON: "302 302 302"},
    ),
    "contact_form": (
        Endpoint("GET", "/admin/parcours/{pk}/contact/", P),
        {MED: "302 404 404", CNS: "302 404 404", CRD: "302 302 404",
         COM: "302 302 302", DPO: "302 302 302", ANON: "302 302 302"},
    ),
    "contact_post": (
        Endpoint("POST", "/admin/parcours/{pk}/contact/", P, body={"kind": "call", "note": ""}),
        {MED: "302 404 404", CNS: "302 404 404", CRD: "302 302 404",
         COM: "302 302 302", DPO: "302 302 302", ANON: "302 302 302"},
    ),
    "transition_form": (
        Endpoint("GET", "/admin/parcours/{pk}/transition/fixer_premier_accueil/", P),
        {MED: "200 404 404", CNS: "200 404 404", CRD: "200 200 404",
         COM: "302 302 302", DPO: "302 302 302", ANON: "302 302 302"},
    ),
    # Closing a pathway is not a mediator's transition: their form is absent too.
    "transition_form_closing": (
        Endpoint("GET", "/admin/parcours/{pk}/transition/sortir/", P),
        {MED: "404 404 404", CNS: "200 404 404", CRD: "200 200 404",
         COM: "302 302 302", DPO: "302 302 302", ANON: "302 302 302"},
    ),
    # --- admin: maraudes ------------------------------------------------------------------
    "rounds": (
        Endpoint("GET", "/admin/maraudes/", R, marker="inspect_link"),
        {MED: "200+ 200- 200-", CNS: "200+ 200- 200-", CRD: "200+ 200+ 200-",
         COM: "302 302 302", DPO: "302 302 302", ANON: "302 302 302"},
    ),
    "rounds_search": (
        Endpoint("GET", "/admin/maraudes/?q=Relevé", R, marker="inspect_link"),
        {MED: "200+ 200- 200-", CNS: "200+ 200- 200-", CRD: "200+ 200+ 200-",
         COM: "302 302 302", DPO: "302 302 302", ANON: "302 302 302"},
    ),
    "rounds_export": (
        Endpoint("GET", "/admin/maraudes/?export=csv", R, marker="place"),
        {MED: "200+ 200- 200-", CNS: "200+ 200- 200-", CRD: "200+ 200+ 200-",
         COM: "302 302 302", DPO: "302 302 302", ANON: "302 302 302"},
    ),
    "round_add": (
        Endpoint("GET", "/admin/maraudes/new/", scopes=NO_OBJECT),
        {MED: "200", CNS: "302", CRD: "200", COM: "302", DPO: "302", ANON: "302"},
    ),
    "round_inspect": (
        Endpoint("GET", "/admin/maraudes/inspect/{pk}/", R),
        {MED: "200 404 404", CNS: "200 404 404", CRD: "200 200 404",
         COM: "404 404 404", DPO: "404 404 404", ANON: "302 302 302"},
    ),
    # A counsellor reads their antenna's rounds and changes none (Wagtail sends them home).
    "round_edit": (
        Endpoint("GET", "/admin/maraudes/edit/{pk}/", R),
        {MED: "200 404 404", CNS: "302 404 404", CRD: "200 200 404",
         COM: "404 404 404", DPO: "404 404 404", ANON: "302 302 302"},
    ),
    "round_delete": (
        Endpoint("GET", "/admin/maraudes/delete/{pk}/", R),
        {MED: "302 404 404", CNS: "302 404 404", CRD: "200 200 404",
         COM: "404 404 404", DPO: "404 404 404", ANON: "302 302 302"},
    ),
    # --- admin: definitions and API tokens ------------------------------------------------
    "definitions": (
        Endpoint(
            "GET",
            "/admin/snippets/workflows/workflowdefinition/",
            D,
            marker="edit_link",
            scopes=(OWN, OTHER_ORGANISATION),
        ),
        {MED: "302 302", CNS: "302 302", CRD: "200+ 200-",
         COM: "302 302", DPO: "302 302", ANON: "302 302"},
    ),
    "definition_edit": (
        Endpoint(
            "GET",
            "/admin/snippets/workflows/workflowdefinition/edit/{pk}/",
            D,
            scopes=(OWN, OTHER_ORGANISATION),
        ),
        {MED: "302 404", CNS: "302 404", CRD: "200 404",
         COM: "404 404", DPO: "404 404", ANON: "302 302"},
    ),
    "api_tokens": (
        Endpoint("GET", "/admin/api-tokens/", scopes=NO_OBJECT),
        {MED: "302", CNS: "302", CRD: "302", COM: "302", DPO: "302", ANON: "302"},
    ),
    # --- admin: "Droits des jeunes" (data protection officers and coordinators) ----------
    "rights_search": (
        Endpoint("GET", "/admin/droits-des-jeunes/", scopes=NO_OBJECT),
        {MED: "403", CNS: "403", CRD: "200", COM: "403", DPO: "200", ANON: "302"},
    ),
    "rights_youth": (
        Endpoint("GET", "/admin/droits-des-jeunes/{youth}/", P),
        {MED: "403 403 403", CNS: "403 403 403", CRD: "200 200 404",
         COM: "403 403 403", DPO: "200 200 404", ANON: "302 302 302"},
    ),
    "rights_export": (
        Endpoint("GET", "/admin/droits-des-jeunes/{youth}/export.json", P),
        {MED: "403 403 403", CNS: "403 403 403", CRD: "200 200 404",
         COM: "403 403 403", DPO: "200 200 404", ANON: "302 302 302"},
    ),
    # --- admin: "Journal des accès" (the same people, their organisation's entries only) --
    "access_log": (
        Endpoint("GET", "/admin/parcours/journal-des-acces/", scopes=NO_OBJECT),
        {MED: "302", CNS: "302", CRD: "200", COM: "302", DPO: "200", ANON: "302"},
    ),
    "access_log_youth": (
        Endpoint("GET", "/admin/parcours/journal-des-acces/?youth={youth}", P, marker="entries"),
        {MED: "302 302 302", CNS: "302 302 302", CRD: "200+ 200+ 200-",
         COM: "302 302 302", DPO: "200+ 200+ 200-", ANON: "302 302 302"},
    ),
    "access_log_export": (
        Endpoint(
            "GET",
            "/admin/parcours/journal-des-acces/?youth={youth}&export=csv",
            P,
            marker="entry_rows",
        ),
        {MED: "302 302 302", CNS: "302 302 302", CRD: "200+ 200+ 200-",
         COM: "302 302 302", DPO: "200+ 200+ 200-", ANON: "302 302 302"},
    ),
    # --- admin: "Indicateurs" (coordinators and Direction; a 403 page for the others) -----
    "indicators_dashboard": (
        Endpoint("GET", "/admin/indicateurs/", scopes=NO_OBJECT),
        {MED: "403", CNS: "403", CRD: "200", COM: "403", DPO: "403", ANON: "302"},
    ),
    "indicators_export": (
        Endpoint("GET", "/admin/indicateurs/export.xlsx?period=year", scopes=NO_OBJECT),
        {MED: "403", CNS: "403", CRD: "200", COM: "403", DPO: "403", ANON: "302"},
    ),
    "indicators_external_export": (
        Endpoint("GET", "/admin/indicateurs/export-externe.csv", scopes=NO_OBJECT),
        {MED: "403", CNS: "403", CRD: "200", COM: "403", DPO: "403", ANON: "302"},
    ),
    #
    # --- API: pathways --------------------------------------------------------------------
    "api_pathways": (
        Endpoint("GET", "/api/pathways/?include_closed=true", P, api=True, marker="api_id"),
        {MED: "200+ 200- 200-", CNS: "200+ 200- 200-", CRD: "200+ 200+ 200-",
         COM: "403 403 403", DPO: "403 403 403", ANON: "401 401 401"},
    ),
    "api_pathway": (
        Endpoint("GET", "/api/pathways/{pk}/", P, api=True),
        {MED: "200 404 404", CNS: "200 404 404", CRD: "200 200 404",
         COM: "403 403 403", DPO: "403 403 403", ANON: "401 401 401"},
    ),
    "api_pathway_history": (
        Endpoint("GET", "/api/pathways/{pk}/history/", P, api=True),
        {MED: "200 404 404", CNS: "200 404 404", CRD: "200 200 404",
         COM: "403 403 403", DPO: "403 403 403", ANON: "401 401 401"},
    ),
    "api_pathway_contacts": (
        Endpoint("GET", "/api/pathways/{pk}/contacts/", P, api=True),
        {MED: "200 404 404", CNS: "200 404 404", CRD: "200 200 404",
         COM: "403 403 403", DPO: "403 403 403", ANON: "401 401 401"},
    ),
    "api_pathway_contact_post": (
        Endpoint("POST", "/api/pathways/{pk}/contacts/", P, api=True, body={"kind": "call"}),
        {MED: "201 404 404", CNS: "201 404 404", CRD: "201 201 404",
         COM: "403 403 403", DPO: "403 403 403", ANON: "401 401 401"},
    ),
    # Without the date it asks for: refused on its fields in scope, absent out of it.
    "api_pathway_transition": (
        Endpoint(
            "POST",
            "/api/pathways/{pk}/transitions/fixer_premier_accueil/",
            P,
            api=True,
            body={"answers": {}},
        ),
        {MED: "400 404 404", CNS: "400 404 404", CRD: "400 400 404",
         COM: "403 403 403", DPO: "403 403 403", ANON: "401 401 401"},
    ),
    # Creating a pathway in the target's antenna.
    "api_pathway_create": (
        Endpoint(
            "POST",
            "/api/pathways/",
            P,
            api=True,
            body={
                "first_name": "Nouvelle",
                "phone": "06 00 00 00 02",
                "source": "permanence",
                "consent": True,
                "antenna": "{antenna}",
            },
        ),
        {MED: "201 400 400", CNS: "201 400 400", CRD: "201 201 400",
         COM: "403 403 403", DPO: "403 403 403", ANON: "401 401 401"},
    ),
    # --- API: definitions -----------------------------------------------------------------
    "api_definitions": (
        Endpoint(
            "GET",
            "/api/definitions/",
            D,
            api=True,
            marker="api_list_id",
            scopes=(OWN, OTHER_ORGANISATION),
        ),
        {MED: "200+ 200-", CNS: "200+ 200-", CRD: "200+ 200-",
         COM: "403 403", DPO: "403 403", ANON: "401 401"},
    ),
    "api_definition": (
        Endpoint("GET", "/api/definitions/{pk}/", D, api=True, scopes=(OWN, OTHER_ORGANISATION)),
        {MED: "200 404", CNS: "200 404", CRD: "200 404",
         COM: "403 403", DPO: "403 403", ANON: "401 401"},
    ),
    # --- API: maraudes --------------------------------------------------------------------
    "api_rounds": (
        Endpoint("GET", "/api/outreach-rounds/", R, api=True, marker="api_id"),
        {MED: "200+ 200- 200-", CNS: "200+ 200- 200-", CRD: "200+ 200+ 200-",
         COM: "403 403 403", DPO: "403 403 403", ANON: "401 401 401"},
    ),
    "api_round": (
        Endpoint("GET", "/api/outreach-rounds/{pk}/", R, api=True),
        {MED: "200 404 404", CNS: "200 404 404", CRD: "200 200 404",
         COM: "403 403 403", DPO: "403 403 403", ANON: "401 401 401"},
    ),
    "api_round_change": (
        Endpoint("PATCH", "/api/outreach-rounds/{pk}/", R, api=True, body={"young_people_met": 7}),
        {MED: "200 404 404", CNS: "403 404 404", CRD: "200 200 404",
         COM: "403 403 403", DPO: "403 403 403", ANON: "401 401 401"},
    ),
    # Recording a round under the target round's mediator's name.
    "api_round_create": (
        Endpoint(
            "POST",
            "/api/outreach-rounds/",
            R,
            api=True,
            body={"date": TODAY, "place": "Nouvelle maraude", "mediator": "{mediator}"},
        ),
        {MED: "201 403 400", CNS: "403 403 400", CRD: "201 201 400",
         COM: "403 403 403", DPO: "403 403 403", ANON: "401 401 401"},
    ),
}
# fmt: on


@dataclass(frozen=True)
class Case:
    endpoint: str
    role: str
    scope: str
    status: int
    shows: bool | None

    def __str__(self) -> str:
        return f"{self.endpoint}-{self.role}-{self.scope}"


def build_cases() -> list[Case]:
    cases = []
    for name, (endpoint, by_role) in MATRIX.items():
        assert set(by_role) == set(ROLES), name
        for role in ROLES:
            cells = by_role[role].split()
            assert len(cells) == len(endpoint.scopes), (name, role)
            for scope, cell in zip(endpoint.scopes, cells, strict=True):
                shows = {"+": True, "-": False}.get(cell[-1])
                cases.append(Case(name, role, scope, int(cell.rstrip("+-")), shows))
    return cases


CASES = build_cases()


def test_matrix_size():
    """The number of cases, for the closing note (run with -s to see it)."""
    print(
        f"\nPermission matrix: {len(CASES)} cases "
        f"({len(MATRIX)} screens, exports and endpoints × {len(ROLES)} roles × scopes)"
    )
    assert len(CASES) == sum(len(e.scopes) * len(ROLES) for e, _ in MATRIX.values())


# --- the world, built once ------------------------------------------------------------------


def _build_world() -> dict[str, Any]:
    groups = demo.ensure_groups()
    places = make_places()
    aveyron, toulouse = places["aveyron"], places["toulouse"]
    rodez, villefranche, east = places["antenna"], places["second_antenna"], places["other_antenna"]
    access = Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    for name in (COMMUNICATION_OFFICERS, DATA_PROTECTION_OFFICERS):
        Group.objects.get_or_create(name=name)[0].permissions.add(access)
    assert groups
    users = {
        MED: make_user("m-med", MEDIATORS, antenna=rodez),
        CNS: make_user("m-cns", COUNSELLORS, antenna=rodez),
        CRD: make_user("m-crd", COORDINATORS, organisation=aveyron),
        COM: make_user("m-com", COMMUNICATION_OFFICERS, organisation=aveyron),
        DPO: make_user("m-dpo", DATA_PROTECTION_OFFICERS, organisation=aveyron),
    }
    others = {
        OTHER_ANTENNA: {
            "med": make_user("m-med-v", MEDIATORS, antenna=villefranche),
            "cns": make_user("m-cns-v", COUNSELLORS, antenna=villefranche),
        },
        OTHER_ORGANISATION: {
            "med": make_user("m-med-t", MEDIATORS, antenna=east),
            "cns": make_user("m-cns-t", COUNSELLORS, antenna=east),
        },
    }
    definition = publish_definition_from(default_elements(), user=users[CRD])
    copy_definition(definition, toulouse)
    where = {
        OWN: (users[MED], users[CNS], rodez, places["commune"], aveyron),
        OTHER_ANTENNA: (*others[OTHER_ANTENNA].values(), villefranche, places["commune"], aveyron),
        OTHER_ORGANISATION: (
            *others[OTHER_ORGANISATION].values(),
            east,
            places["other_commune"],
            toulouse,
        ),
    }
    targets: dict[str, dict[str, dict]] = {P: {}, R: {}, D: {}}
    for scope, (mediator, counsellor, antenna, commune, organisation) in where.items():
        pathway = new_pathway(
            first_name=f"Jeune{scope.title().replace('_', '')}",
            actor=mediator,
            referent=counsellor,
            antenna=antenna,
            commune=commune,
        )
        outreach = OutreachRound.objects.create(
            date=timezone.localdate(),
            place=f"Maraude {scope}",
            mediator=mediator,
            organisation=organisation,
            notes="Relevé de la tournée",
        )
        targets[P][scope] = {
            "youth": pathway.youth_id,
            "object": pathway,
            "name": pathway.youth.first_name,
            "antenna": antenna.pk,
        }
        targets[R][scope] = {"object": outreach, "name": outreach.place, "mediator": mediator.pk}
    for scope, organisation in ((OWN, aveyron), (OTHER_ORGANISATION, toulouse)):
        targets[D][scope] = {"object": WorkflowDefinition.objects.get(organisation=organisation)}
    # One logged-in client per role, for the whole module: a case costs one request.
    clients = {ANON: Client()}
    api_clients = {ANON: APIClient()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
        api_clients[role] = APIClient()
        api_clients[role].credentials(HTTP_AUTHORIZATION=bearer(user))
    return {"targets": targets, "clients": clients, "api_clients": api_clients}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _fill(value: Any, target: dict) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return target[value[1:-1]]
    return value


def _request(world, case: Case, endpoint: Endpoint):
    target = world["targets"][endpoint.kind][case.scope] if endpoint.kind else {}
    fields = {"pk": target["object"].pk, **target} if target else {}
    url = endpoint.url.format(**fields)
    body = {k: _fill(v, target) for k, v in (endpoint.body or {}).items()}
    if endpoint.api:
        api = world["api_clients"][case.role]
        if body:
            return api.generic(endpoint.method, url, json.dumps(body), "application/json")
        return api.get(url)
    client = world["clients"][case.role]
    if endpoint.method == "POST":
        return client.post(url, body)
    return client.get(url)


def _content(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def _shows(world, case: Case, endpoint: Endpoint, response) -> bool:
    target = world["targets"][endpoint.kind][case.scope]
    pk = target["object"].pk
    content = _content(response)
    match endpoint.marker:
        case "link":
            return f'/admin/parcours/{pk}/"' in content
        case "name":
            return target["name"] in content
        case "inspect_link":
            return f"/admin/maraudes/inspect/{pk}/" in content
        case "place":
            return target["name"] in {row[1] for row in csv.reader(io.StringIO(content)) if row}
        case "edit_link":
            return f"/workflowdefinition/edit/{pk}/" in content
        case "api_id":
            return pk in [item["id"] for item in response.json()["results"]]
        case "api_list_id":
            return pk in [item["id"] for item in response.json()]
        case "entries":
            return "Aucun accès ne correspond à ces filtres." not in content
        case "entry_rows":
            rows = list(csv.DictReader(io.StringIO(content)))
            return bool(rows) and {row["Jeune (n°)"] for row in rows} == {str(target["youth"])}
    raise AssertionError(endpoint.marker)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission(world, case: Case):
    endpoint = MATRIX[case.endpoint][0]
    response = _request(world, case, endpoint)
    assert response.status_code == case.status, _content(response)[:500]
    if case.shows is not None:
        assert _shows(world, case, endpoint, response) == case.shows
