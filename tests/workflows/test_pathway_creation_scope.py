"""A pathway is opened in the recorder's own antenna only (a coordinator: any antenna of
their organisation), through the API as through the service every screen uses
(`policies.can_start_pathway_in`)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.api.conftest import token_client as api
from workflows.models import Pathway
from workflows.policies import COORDINATORS, COUNSELLORS
from workflows.services.pathways import ANTENNA_OUT_OF_SCOPE

from .factories import make_user, new_pathway

OWN_ANTENNA_ONLY = "Vous ne pouvez créer un parcours que dans votre antenne."
OWN_ORGANISATION_ONLY = (
    "Vous ne pouvez créer un parcours que dans une antenne de votre Mission Locale."
)


def body(antenna) -> dict:
    return {
        "first_name": "Camille",
        "phone": "06 00 00 00 01",
        "source": "permanence",
        "consent": True,
        "antenna": antenna.pk,
    }


@pytest.mark.parametrize(
    ("who", "antenna", "expected"),
    [
        ("counsellor", "antenna", None),
        ("counsellor", "second_antenna", OWN_ANTENNA_ONLY),
        ("counsellor", "other_antenna", OWN_ANTENNA_ONLY),
        ("coordinator", "second_antenna", None),
        ("coordinator", "other_antenna", OWN_ORGANISATION_ONLY),
        ("mediator", "second_antenna", None),  # attached to no antenna: the organisation's
        ("mediator", "other_antenna", OWN_ORGANISATION_ONLY),
    ],
)
def test_post_pathways_is_limited_to_the_users_antenna(
    definition, counsellor, coordinator, mediator, places, who, antenna, expected
):
    user = {"counsellor": counsellor, "coordinator": coordinator, "mediator": mediator}[who]
    response = api(user).post("/api/pathways/", body(places[antenna]), format="json")
    if expected is None:
        assert response.status_code == 201, response.content
        assert Pathway.objects.get().antenna == places[antenna]
    else:
        assert response.status_code == 400
        assert response.json()["errors"] == {"antenna": [expected]}
        assert not Pathway.objects.exists()


def test_the_service_refuses_with_a_stable_code(definition, counsellor, places):
    with pytest.raises(ValidationError) as refused:
        new_pathway(actor=counsellor, antenna=places["second_antenna"])
    assert refused.value.error_dict["antenna"][0].code == ANTENNA_OUT_OF_SCOPE
    assert not Pathway.objects.exists()


def test_the_public_form_and_superusers_are_not_held_to_an_antenna(definition, places):
    assert new_pathway(actor=None, antenna=places["second_antenna"]).antenna_id
    admin = make_user("admin", is_superuser=True)
    assert new_pathway(actor=admin, antenna=places["second_antenna"]).antenna_id


def test_the_reperage_screen_places_the_pathway_in_the_users_antenna(client, definition, places):
    from workflows import demo

    demo.ensure_groups()
    coordinator = make_user("coord-rodez", COORDINATORS, antenna=places["antenna"])
    counsellor = make_user("conseil-ville", COUNSELLORS, antenna=places["second_antenna"])
    for user, antenna in ((coordinator, "antenna"), (counsellor, "second_antenna")):
        client.force_login(user)
        response = client.post(
            "/admin/parcours/reperage/",
            {
                "first_name": f"Jeune{user.pk}",
                "phone": "06 00 00 00 01",
                "source": "permanence",
                "consent": "on",
            },
        )
        assert response.status_code == 302
        assert Pathway.objects.get(youth__first_name=f"Jeune{user.pk}").antenna == places[antenna]
