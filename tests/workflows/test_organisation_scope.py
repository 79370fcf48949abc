"""Several Missions Locales on one install: a coordinator, a counsellor and a mediator of one
organisation can neither read nor change anything of another (pathways, young people,
maraudes, exports, board, definitions, API), and a guessed id answers exactly as an id that
does not exist. Generated from a role × organisation matrix."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import ModelLogEntry

from tests.api.conftest import token_client
from workflows import demo as workflows_demo
from workflows.models import Contact, OutreachRound, Pathway, WorkflowDefinition
from workflows.policies import COORDINATORS, COUNSELLORS, MEDIATORS
from workflows.services.access_log import VIEW_OTHER_ORGANISATION_ACTION

from .factories import default_elements, make_user, new_pathway, publish_definition_from

ROLES = (COORDINATORS, COUNSELLORS, MEDIATORS)
ORGANISATIONS = ("aveyron", "toulouse")
MISSING_ID = 987654


@pytest.fixture
def world(places):
    """Each organisation with its definition, its three roles, a pathway every one of them
    sees (référent: the counsellor, identified by the mediator) and a maraude."""
    workflows_demo.ensure_groups()  # admin access, and the definition permissions
    world = {}
    for slug in ORGANISATIONS:
        organisation = places[slug]
        antenna = places["antenna"] if slug == "aveyron" else places["other_antenna"]
        commune = places["commune"] if slug == "aveyron" else places["other_commune"]
        staff = {
            COORDINATORS: make_user(f"coord-{slug}", COORDINATORS, organisation=organisation),
            COUNSELLORS: make_user(f"conseil-{slug}", COUNSELLORS, antenna=antenna),
            MEDIATORS: make_user(f"med-{slug}", MEDIATORS, antenna=antenna),
        }
        definition = publish_definition_from(
            default_elements(), user=staff[COORDINATORS], organisation=organisation
        )
        pathway = new_pathway(
            first_name=f"Jeune{slug.capitalize()}",
            last_name="Secret",
            actor=staff[MEDIATORS],
            referent=staff[COUNSELLORS],
            commune=commune,
        )
        outreach = OutreachRound.objects.create(
            date=timezone.localdate(),
            place=f"Maraude-{slug}",
            mediator=staff[MEDIATORS],
            organisation=organisation,
        )
        world[slug] = {
            "organisation": organisation,
            "staff": staff,
            "definition": definition,
            "pathway": pathway,
            "round": outreach,
        }
    return world


def page_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return html.unescape(response.content.decode())


MATRIX = [
    (role, own, other) for role in ROLES for own, other in [ORGANISATIONS, ORGANISATIONS[::-1]]
]


@pytest.mark.parametrize(("role", "own", "other"), MATRIX)
def test_nothing_of_another_organisation_is_read_or_changed(client, world, role, own, other):
    me = world[own]["staff"][role]
    theirs = world[other]
    pathway, outreach, definition = theirs["pathway"], theirs["round"], theirs["definition"]
    secret = pathway.youth.first_name
    client.force_login(me)

    # Their own pathway is in reach (the matrix would prove nothing otherwise).
    assert (
        client.get(
            reverse("workflows_screens:pathway", args=[world[own]["pathway"].pk])
        ).status_code
        == 200
    )

    # "Mes jeunes", its search (young people) and its CSV export.
    caseload = reverse("workflows_screens:caseload")
    their_page = reverse("workflows_screens:pathway", args=[pathway.pk])
    for query in ({}, {"export": "csv"}, {"organisation": other}, {"q": secret}):
        response = client.get(caseload, query)
        assert response.status_code == 200
        content = page_text(response)
        assert their_page not in content
        if "q" not in query:  # the search box shows the words searched for
            assert secret not in content
    assert world[own]["pathway"].youth.first_name in page_text(client.get(caseload))

    # The pathway page, its transition and contact forms: absent, and nothing changes.
    before = Pathway.objects.values_list("stage", "version").get(pk=pathway.pk)
    for url in (
        reverse("workflows_screens:pathway", args=[pathway.pk]),
        reverse("workflows_screens:transition", args=[pathway.pk, "fixer_premier_accueil"]),
        reverse("workflows_screens:contact", args=[pathway.pk]),
    ):
        assert client.get(url).status_code == 404
        response = client.post(
            url,
            {
                "date_premier_accueil": timezone.localdate().isoformat(),
                "version": before[1],
                "kind": "call",
                "note": "x",
            },
        )
        assert response.status_code == 404
    assert Pathway.objects.values_list("stage", "version").get(pk=pathway.pk) == before
    assert not Contact.objects.filter(pathway=pathway).exists()

    # The board (roles with a board), even when asked for their definition by id.
    board = reverse("workflows_screens:board")
    response = client.get(board)
    if response.status_code == 200:
        assert secret not in page_text(response)
        assert client.get(board, {"definition": definition.pk}).status_code == 404

    # Maraudes: the list, and each screen of one of theirs.
    listing = client.get(reverse("outreach_rounds:index"))
    assert outreach.place not in page_text(listing)
    assert theirs["staff"][MEDIATORS].username not in page_text(listing)  # not even a filter
    for name in ("inspect", "edit", "delete"):
        assert client.get(reverse(f"outreach_rounds:{name}", args=[outreach.pk])).status_code == 404
    assert client.post(reverse("outreach_rounds:delete", args=[outreach.pk])).status_code == 404
    assert OutreachRound.objects.filter(pk=outreach.pk).exists()

    # Definitions: the list, and every screen of one of theirs.
    snippet = "wagtailsnippets_workflows_workflowdefinition"
    edit = reverse(f"{snippet}:edit", args=[definition.pk])
    listing = client.get(reverse(f"{snippet}:list"))
    assert edit not in page_text(listing)
    for name in ("edit", "history", "delete", "unpublish", "revisions_index", "usage"):
        try:
            url = reverse(f"{snippet}:{name}", args=[definition.pk])
        except Exception:  # a screen this Wagtail does not have
            continue
        assert client.get(url).status_code == 404, name
    assert client.post(edit, {"name": "Détournée"}).status_code == 404
    assert WorkflowDefinition.objects.get(pk=definition.pk).name != "Détournée"

    # The API, by token: lists, details, history, contacts, transitions.
    api = token_client(me)
    listed = api.get("/api/pathways/", {"include_closed": "true"}).json()
    assert [item["id"] for item in listed["results"]] == [world[own]["pathway"].pk]
    assert listed["results"][0]["organisation"] == own
    assert api.get("/api/pathways/", {"organisation": other}).json()["count"] == 0
    definitions = api.get("/api/definitions/").json()
    assert [(item["id"], item["organisation"]) for item in definitions] == [
        (world[own]["definition"].pk, own)
    ]
    assert api.get("/api/definitions/", {"organisation": other}).json() == []
    for path in ("", "history/", "contacts/"):
        guessed = api.get(f"/api/pathways/{pathway.pk}/{path}")
        missing = api.get(f"/api/pathways/{MISSING_ID}/{path}")
        assert guessed.status_code == missing.status_code == 404
        assert guessed.json() == missing.json()  # nothing tells an existing id apart
        assert secret not in guessed.content.decode()
    for path, body in (
        ("transitions/fixer_premier_accueil/", {"answers": {}}),
        ("contacts/", {"kind": "call"}),
    ):
        guessed = api.post(f"/api/pathways/{pathway.pk}/{path}", body, format="json")
        missing = api.post(f"/api/pathways/{MISSING_ID}/{path}", body, format="json")
        assert guessed.status_code == missing.status_code == 404
        assert guessed.json() == missing.json()
    guessed = api.get(f"/api/definitions/{definition.pk}/")
    missing = api.get(f"/api/definitions/{MISSING_ID}/")
    assert guessed.status_code == missing.status_code == 404
    assert guessed.json() == missing.json()
    assert Pathway.objects.values_list("stage", "version").get(pk=pathway.pk) == before


def test_a_superuser_works_across_organisations_and_that_read_is_logged(client, world, places):
    admin = make_user("admin-reseau", is_superuser=True, organisation=places["aveyron"])
    client.force_login(admin)
    theirs = world["toulouse"]["pathway"]
    assert client.get(reverse("workflows_screens:pathway", args=[theirs.pk])).status_code == 200
    entry = ModelLogEntry.objects.get(action=VIEW_OTHER_ORGANISATION_ACTION)
    assert (entry.object_id, entry.user_id) == (str(theirs.pk), admin.pk)
    assert entry.data["organisation"] == places["toulouse"].pk
    # Their own organisation's pathway: the ordinary log entry only.
    own = world["aveyron"]["pathway"]
    client.get(reverse("workflows_screens:pathway", args=[own.pk]))
    assert ModelLogEntry.objects.filter(action=VIEW_OTHER_ORGANISATION_ACTION).count() == 1
    # The API logs it too; and the filter narrows to one organisation. (Through the admin's
    # session: no API token is ever made for a superuser.)
    api = APIClient()
    api.force_login(admin)
    assert api.get(f"/api/pathways/{theirs.pk}/").status_code == 200
    assert ModelLogEntry.objects.filter(action=VIEW_OTHER_ORGANISATION_ACTION).count() == 2
    listed = api.get("/api/pathways/", {"organisation": "toulouse"}).json()
    assert [item["id"] for item in listed["results"]] == [theirs.pk]
    assert len(api.get("/api/definitions/").json()) == 2


@pytest.mark.parametrize("own", ORGANISATIONS)
def test_a_communication_officer_reads_no_young_person_at_all(client, world, own):
    """The fourth role of the matrix: an organisation's communication officer edits its pages
    (tests/public_site/test_organisations.py) and sees no pathway, maraude or definition,
    of their own organisation or another, on screen or through the API."""
    officer = make_user(
        f"communication-{own}", "Chargés de communication", organisation=world[own]["organisation"]
    )
    officer.user_permissions.add(
        *Permission.objects.filter(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    client.force_login(officer)
    for slug in ORGANISATIONS:
        pathway = world[slug]["pathway"]
        for url in (
            reverse("workflows_screens:pathway", args=[pathway.pk]),
            reverse("workflows_screens:contact", args=[pathway.pk]),
        ):
            assert client.get(url).status_code in (302, 403, 404)
        for url in (reverse("workflows_screens:caseload"), reverse("workflows_screens:board")):
            response = client.get(url)
            assert response.status_code in (302, 403)
            assert pathway.youth.first_name not in page_text(response)
    api = token_client(officer)
    assert api.get("/api/pathways/").status_code == 403
    assert api.get(f"/api/pathways/{world[own]['pathway'].pk}/").status_code == 403
    assert api.get("/api/definitions/").status_code == 403
