"""Maraudes scoped like pathways: a mediator sees their own rounds and their antenna's, a
counsellor their antenna's, a coordinator their organisation's, the communication and data
protection officers none; the admin's list, search, export and screens, and the API, read
the same selector. A mediator records and changes rounds under their own name only."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from tests.api.conftest import token_client as api
from workflows import demo, screen_selectors
from workflows.models import OutreachRound
from workflows.policies import (
    COORDINATORS,
    COUNSELLORS,
    DATA_PROTECTION_OFFICERS,
    MEDIATORS,
)

from .factories import make_user

TODAY = timezone.localdate()


@pytest.fixture
def staff(places):
    """Aveyron: two mediators and a counsellor at Rodez, a mediator at Villefranche, a
    coordinator, a communication and a data protection officer; Toulouse: a coordinator."""
    demo.ensure_groups()
    rodez, villefranche = places["antenna"], places["second_antenna"]
    people = {
        "med": make_user("med-rodez", MEDIATORS, antenna=rodez),
        "med_colleague": make_user("med2-rodez", MEDIATORS, antenna=rodez),
        "med_far": make_user("med-villefranche", MEDIATORS, antenna=villefranche),
        "counsellor": make_user("conseil-rodez", COUNSELLORS, antenna=rodez),
        "counsellor_far": make_user("conseil-villefranche", COUNSELLORS, antenna=villefranche),
        "coord": make_user("coord-aveyron", COORDINATORS, organisation=places["aveyron"]),
        "coord_toulouse": make_user(
            "coord-toulouse", COORDINATORS, organisation=places["toulouse"]
        ),
        "communication": make_user(
            "comm-aveyron", "Chargés de communication", organisation=places["aveyron"]
        ),
        "dpo": make_user("dpo-aveyron", DATA_PROTECTION_OFFICERS, organisation=places["aveyron"]),
        "med_toulouse": make_user("med-toulouse", MEDIATORS, antenna=places["other_antenna"]),
    }
    access = Permission.objects.filter(
        codename="access_admin", content_type__app_label="wagtailadmin"
    )
    for key in ("communication", "dpo"):
        people[key].user_permissions.add(*access)
    return people


@pytest.fixture
def rounds(staff, places):
    def make(place, mediator, organisation):
        return OutreachRound.objects.create(
            date=TODAY,
            place=place,
            mediator=mediator,
            organisation=organisation,
            notes=f"Notes {place}",
            young_people_met=3,
        )

    aveyron, toulouse = places["aveyron"], places["toulouse"]
    return {
        "own": make("Parvis-Own", staff["med"], aveyron),
        "colleague": make("Gare-Colleague", staff["med_colleague"], aveyron),
        "far": make("Marche-Far", staff["med_far"], aveyron),
        "coord": make("Mairie-Coord", staff["coord"], aveyron),
        "toulouse": make("Capitole-Toulouse", staff["med_toulouse"], toulouse),
    }


SEES = {
    "med": {"own", "colleague"},
    "med_colleague": {"own", "colleague"},
    "med_far": {"far"},
    "counsellor": {"own", "colleague"},
    "counsellor_far": {"far"},
    "coord": {"own", "colleague", "far", "coord"},
    "coord_toulouse": {"toulouse"},
    "communication": set(),
    "dpo": set(),
}


@pytest.mark.parametrize(("who", "expected"), sorted(SEES.items()))
def test_each_role_sees_its_scope_in_the_list_search_export_pages_and_api(
    client, staff, rounds, who, expected
):
    user = staff[who]
    assert {key for key, r in rounds.items() if r in set(screen_selectors.rounds(user))} == expected
    client.force_login(user)
    index = reverse("outreach_rounds:index")
    listing = client.get(index)
    if not expected:
        assert listing.status_code in (302, 403)
    else:
        text = listing.content.decode()
        for key, outreach in rounds.items():
            assert (outreach.place in text) == (key in expected), key
        # The search reaches the notes, in scope only.
        for key, outreach in rounds.items():
            found = client.get(index, {"q": f"Notes {outreach.place}"}).content.decode()
            assert (reverse("outreach_rounds:inspect", args=[outreach.pk]) in found) == (
                key in expected
            ), key
        exported = client.get(index, {"export": "csv"})
        body = b"".join(exported.streaming_content).decode("utf-8-sig")
        places_exported = {row[1] for row in list(csv.reader(io.StringIO(body)))[1:]}
        assert places_exported == {rounds[key].place for key in expected}
        assert "Notes" not in body  # the notes may name young people: never exported
    for key, outreach in rounds.items():
        status = client.get(reverse("outreach_rounds:inspect", args=[outreach.pk])).status_code
        assert (status == 200) == (key in expected), (key, status)
    response = api(user).get("/api/outreach-rounds/")
    if not expected:
        assert response.status_code == 403
    else:
        assert {item["place"] for item in response.json()["results"]} == {
            rounds[key].place for key in expected
        }
        for key, outreach in rounds.items():
            detail = api(user).get(f"/api/outreach-rounds/{outreach.pk}/")
            assert detail.status_code == (200 if key in expected else 404)


def round_form(mediator, /, **extra):
    data = {
        "date": TODAY.isoformat(),
        "place": "Aire d'accueil",
        "commune": "",
        "mediator": mediator.pk,
        "young_people_met": 4,
        "notes": "",
    }
    data.update(extra)
    return data


def test_a_mediator_is_offered_only_their_own_name(client, staff, rounds):
    client.force_login(staff["med"])
    form = client.get(reverse("outreach_rounds:add")).context["form"]
    assert list(form.fields["mediator"].queryset) == [staff["med"]]
    client.force_login(staff["coord"])
    form = client.get(reverse("outreach_rounds:add")).context["form"]
    offered = set(form.fields["mediator"].queryset)
    assert {staff["med"], staff["med_far"], staff["coord"]} <= offered
    assert staff["med_toulouse"] not in offered


def test_a_forged_mediator_is_refused_in_french_and_nothing_is_saved(client, staff, rounds):
    client.force_login(staff["med"])
    before = OutreachRound.objects.count()
    response = client.post(
        reverse("outreach_rounds:add"), round_form(staff["med_colleague"], place="Forgée")
    )
    assert response.status_code == 200
    assert (
        "Vous ne pouvez enregistrer une maraude qu&#x27;à votre nom." in response.content.decode()
    )
    assert OutreachRound.objects.count() == before
    # Editing their own round: the mediator cannot hand it to someone else either.
    edit = reverse("outreach_rounds:edit", args=[rounds["own"].pk])
    response = client.post(edit, round_form(staff["med_colleague"], place="Détournée"))
    assert response.status_code == 200
    assert "qu&#x27;à votre nom" in response.content.decode()
    rounds["own"].refresh_from_db()
    assert (rounds["own"].mediator, rounds["own"].place) == (staff["med"], "Parvis-Own")
    # Without a mediator: required for them (a round of nobody would be out of their sight).
    response = client.post(reverse("outreach_rounds:add"), round_form(staff["med"], mediator=""))
    assert response.status_code == 200 and OutreachRound.objects.count() == before
    # Their own name: recorded, in their organisation.
    response = client.post(reverse("outreach_rounds:add"), round_form(staff["med"]))
    assert response.status_code == 302
    created = OutreachRound.objects.get(place="Aire d'accueil")
    assert (created.mediator, created.organisation.slug) == (staff["med"], "aveyron")


def test_a_colleagues_round_is_read_not_changed(client, staff, rounds):
    client.force_login(staff["med"])
    edit = reverse("outreach_rounds:edit", args=[rounds["colleague"].pk])
    assert client.get(edit).url == reverse("wagtailadmin_home")
    client.post(edit, round_form(staff["med"], place="Reprise"))
    rounds["colleague"].refresh_from_db()
    assert rounds["colleague"].place == "Gare-Colleague"


def test_a_coordinator_names_anyone_of_their_organisation_only(client, staff, rounds):
    client.force_login(staff["coord"])
    add = reverse("outreach_rounds:add")
    assert (
        client.post(add, round_form(staff["med_far"], place="Pour Villefranche")).status_code == 302
    )
    assert OutreachRound.objects.get(place="Pour Villefranche").mediator == staff["med_far"]
    response = client.post(add, round_form(staff["med_toulouse"], place="Ailleurs"))
    assert response.status_code == 200
    assert not OutreachRound.objects.filter(place="Ailleurs").exists()


BAD_INPUT = [
    {"young_people_met": "99999999999999999999999"},
    {"young_people_met": "-3"},
    {"mediator": "99999999999999999999999"},
    {"mediator": "abc"},
    {"commune": "99999999999999999999999"},
    {"date": "99999-01-01"},
    {"date": "0000-01-01"},
    {"place": "x\x00y"},
    {"notes": "a\x00"},
    {"place": "x" * 500},
]


@pytest.mark.parametrize("bad", BAD_INPUT)
def test_bad_input_on_the_form_is_shown_not_a_server_error(client, staff, rounds, bad):
    client.force_login(staff["med"])
    client.raise_request_exception = False
    before = OutreachRound.objects.count()
    for url in (
        reverse("outreach_rounds:add"),
        reverse("outreach_rounds:edit", args=[rounds["own"].pk]),
    ):
        response = client.post(url, round_form(staff["med"], **bad))
        assert response.status_code == 200, url
        assert "error" in response.content.decode()
    assert OutreachRound.objects.count() == before
    rounds["own"].refresh_from_db()
    assert rounds["own"].place == "Parvis-Own"


# --- the API ------------------------------------------------------------------------------


def test_api_records_a_round_under_the_callers_name_only(staff, rounds, places):
    client = api(staff["med"])
    created = client.post(
        "/api/outreach-rounds/",
        {"date": TODAY.isoformat(), "place": "Halle", "commune": "12176", "young_people_met": 2},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["mediator"]["id"] == staff["med"].pk and body["organisation"] == "aveyron"
    forged = client.post(
        "/api/outreach-rounds/",
        {"date": TODAY.isoformat(), "place": "Forgée", "mediator": staff["med_colleague"].pk},
        format="json",
    )
    assert forged.status_code == 403
    assert forged.json() == {
        "detail": "Vous ne pouvez enregistrer une maraude qu'à votre nom.",
        "code": "not_allowed",
    }
    elsewhere = client.post(
        "/api/outreach-rounds/",
        {"date": TODAY.isoformat(), "place": "Forgée", "mediator": staff["med_toulouse"].pk},
        format="json",
    )
    assert elsewhere.status_code == 400
    assert not OutreachRound.objects.filter(place="Forgée").exists()


def test_api_changes_own_rounds_only(staff, rounds):
    client = api(staff["med"])
    own = client.patch(
        f"/api/outreach-rounds/{rounds['own'].pk}/", {"young_people_met": 9}, format="json"
    )
    assert own.status_code == 200 and own.json()["young_people_met"] == 9
    colleague = client.patch(
        f"/api/outreach-rounds/{rounds['colleague'].pk}/", {"place": "X"}, format="json"
    )
    assert colleague.status_code == 403
    far = client.patch(f"/api/outreach-rounds/{rounds['far'].pk}/", {"place": "X"}, format="json")
    assert far.status_code == 404
    counsellor = api(staff["counsellor"]).post(
        "/api/outreach-rounds/", {"date": TODAY.isoformat(), "place": "X"}, format="json"
    )
    assert counsellor.status_code == 403
    assert counsellor.json()["detail"] == (
        "Seuls les médiateurs et les coordinateurs enregistrent des maraudes."
    )
    assert not OutreachRound.objects.filter(place="X").exists()


def test_api_list_query_count_does_not_grow(staff, rounds, django_assert_max_num_queries):
    client = api(staff["coord"])
    with django_assert_max_num_queries(8) as few:
        client.get("/api/outreach-rounds/")
    for index in range(10):
        OutreachRound.objects.create(
            date=TODAY,
            place=f"R{index}",
            mediator=staff["med"],
            organisation=rounds["own"].organisation,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/outreach-rounds/").json()["count"] == 14


def test_admin_list_and_export_query_count_does_not_grow(
    client, staff, rounds, places, django_assert_max_num_queries
):
    client.force_login(staff["coord"])
    index = reverse("outreach_rounds:index")
    with django_assert_max_num_queries(60) as few:
        client.get(index)
        b"".join(client.get(index, {"export": "csv"}).streaming_content)
    for index_ in range(10):
        OutreachRound.objects.create(
            date=TODAY,
            place=f"R{index_}",
            mediator=staff["med_far"],
            commune=places["commune"],
            organisation=rounds["own"].organisation,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "R9" in client.get(index).content.decode()
        assert b"R9" in b"".join(client.get(index, {"export": "csv"}).streaming_content)
