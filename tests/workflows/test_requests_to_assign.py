"""A young person's request reaches the antenna covering their commune and waits there "à
attribuer" until a counsellor takes it ("Je m'en occupe") or the coordination names its
référent: the queue in "Mes jeunes", on the board and on the home screen, the e-mail to the
antenna's counsellors (without personal data), and the one service that gives a pathway
its référent."""

from __future__ import annotations

import html

import pytest
from django.core import mail
from django.urls import reverse

from access_log.models import AccessLogEntry
from public_site.services import submit_contact_request
from workflows import selectors
from workflows.choices import PathwaySource
from workflows.models import Pathway
from workflows.policies import COUNSELLORS, MEDIATORS
from workflows.services.assignment import AlreadyTaken, InvalidReferent, assign_referent
from workflows.services.errors import NotAllowed
from workflows.tasks import notify_antenna_of_requests, notify_new_referent

from .factories import make_user, new_pathway

pytestmark = pytest.mark.usefixtures("admin_access")


def text(response) -> str:
    return html.unescape(response.content.decode())


def request_from_the_public(places, *, commune="commune", first_name="Inès") -> Pathway:
    contact_request = submit_contact_request(
        first_name=first_name,
        phone="06 00 00 00 42",
        email="",
        commune=places[commune] if commune else None,
        needs=["employment"],
        consent=True,
        organisation=places["aveyron"],
    )
    return Pathway.objects.get(pk=contact_request.pathway_id)


def to_assign_ids(user) -> set[int]:
    return set(
        selectors.caseload(user, to_assign=True, channel=selectors.Channel.LIST).values_list(
            "pk", flat=True
        )
    )


def test_a_request_waits_in_the_antenna_covering_the_commune(
    definition, places, counsellor, other_counsellor
):
    pathway = request_from_the_public(places)
    assert (pathway.organisation, pathway.antenna, pathway.referent) == (
        places["aveyron"],
        places["antenna"],
        None,
    )
    assert to_assign_ids(counsellor) == {pathway.pk}
    # Another organisation's counsellor never sees it.
    assert to_assign_ids(other_counsellor) == set()


def test_without_a_commune_the_request_goes_to_the_default_antenna(definition, places, counsellor):
    places["aveyron"].default_antenna = places["antenna"]
    places["aveyron"].save()
    pathway = request_from_the_public(places, commune=None)
    assert pathway.antenna == places["antenna"]
    assert to_assign_ids(counsellor) == {pathway.pk}


def test_without_a_commune_nor_a_default_antenna_only_the_coordination_sees_it(
    definition, places, counsellor, coordinator
):
    pathway = request_from_the_public(places, commune=None)
    assert pathway.antenna is None
    assert to_assign_ids(counsellor) == set()
    # Not "à attribuer" (no antenna), but the coordination sees it among every pathway.
    assert pathway.pk in set(
        selectors.caseload(coordinator, channel=selectors.Channel.LIST).values_list("pk", flat=True)
    )


def test_a_default_antenna_of_another_organisation_is_refused(places):
    from django.core.exceptions import ValidationError

    places["aveyron"].default_antenna = places["other_antenna"]
    with pytest.raises(ValidationError) as error:
        places["aveyron"].full_clean()
    assert "default_antenna" in error.value.message_dict


def test_the_antenna_is_told_on_commit_without_personal_data(
    definition, places, counsellor, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda *args: queued.append(args))
    colleague = make_user("collegue", COUNSELLORS, antenna=places["antenna"])
    make_user("ailleurs", COUNSELLORS, antenna=places["second_antenna"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request = request_from_the_public(places, first_name="Inès")
    assert queued == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert queued == [
        ("workflows.tasks.notify_antenna_of_requests", places["antenna"].pk, request.pk)
    ]

    assert notify_antenna_of_requests(places["antenna"].pk, request.pk) == 2
    # Delivered again by the broker after a crash: the message does not leave twice.
    assert notify_antenna_of_requests(places["antenna"].pk, request.pk) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[-1]
    assert sorted(message.to) == sorted([counsellor.email, colleague.email])
    assert "1 demande attend un référent" in message.body
    assert "?to_assign=true" in message.body
    for personal in ("Inès", "06 00 00 00 42", "Onet"):
        assert personal not in message.subject + message.body


def test_a_counsellor_recording_a_pathway_in_their_antenna_is_not_told(
    definition, places, counsellor, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        new_pathway(actor=counsellor, antenna=places["antenna"])
    assert queued == []


def test_no_message_once_every_request_is_taken(definition, places, counsellor):
    pathway = request_from_the_public(places)
    assign_referent(pathway, actor=counsellor)
    assert notify_antenna_of_requests(places["antenna"].pk, pathway.pk) == 0
    assert mail.outbox == []


def test_taking_a_request_makes_the_counsellor_its_referent_once(
    definition, places, counsellor, client
):
    colleague = make_user("collegue", COUNSELLORS, antenna=places["antenna"])
    pathway = request_from_the_public(places)
    taken = assign_referent(pathway, actor=counsellor)
    assert taken.referent == counsellor
    assert to_assign_ids(counsellor) == set()
    # The colleague who clicks a moment later is told who was first.
    with pytest.raises(AlreadyTaken) as refusal:
        assign_referent(pathway, actor=colleague)
    assert "conseil s'occupe déjà de ce parcours" in refusal.value.message
    assert Pathway.objects.get(pk=pathway.pk).referent == counsellor
    # Recorded in the pathway's history, and in the access log as a change.
    timeline = selectors.pathway_timeline(pathway)
    assert [entry.title for entry in timeline if entry.kind == "referent"] == [
        "Pris en charge par conseil"
    ]
    assert AccessLogEntry.objects.filter(
        pathway_id=pathway.pk, user_id=counsellor.pk, action="change"
    ).exists()


def test_who_may_take_a_request(definition, places, counsellor, other_counsellor, coordinator):
    pathway = request_from_the_public(places)
    mediator = make_user("mediateur", MEDIATORS, antenna=places["antenna"])
    elsewhere = make_user("ailleurs", COUNSELLORS, antenna=places["second_antenna"])
    for person in (mediator, elsewhere, other_counsellor):
        with pytest.raises(NotAllowed):
            assign_referent(pathway, actor=person)
    assert Pathway.objects.get(pk=pathway.pk).referent is None


def test_the_coordination_names_the_referent_and_they_are_told(
    definition,
    places,
    counsellor,
    coordinator,
    other_counsellor,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    queued = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda *args: queued.append(args))
    pathway = request_from_the_public(places)
    with django_capture_on_commit_callbacks(execute=True):
        assigned = assign_referent(pathway, actor=coordinator, referent=counsellor)
    assert assigned.referent == counsellor
    *task, assignment_id = queued[-1]
    assert task == ["workflows.tasks.notify_new_referent", pathway.pk, counsellor.pk]
    assert notify_new_referent(pathway.pk, counsellor.pk, assignment_id) is True
    assert notify_new_referent(pathway.pk, counsellor.pk, assignment_id) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[-1].to == [counsellor.email]
    assert "Inès" not in mail.outbox[-1].body
    assert [e.title for e in selectors.pathway_timeline(pathway) if e.kind == "referent"] == [
        "Attribué à conseil"
    ]
    # Only a counsellor of the organisation can be named; only the coordination names.
    with pytest.raises(InvalidReferent):
        assign_referent(pathway, actor=coordinator, referent=other_counsellor)
    with pytest.raises(InvalidReferent):
        assign_referent(pathway, actor=coordinator, referent=coordinator)
    with pytest.raises(NotAllowed):
        assign_referent(pathway, actor=counsellor, referent=counsellor)


def test_the_queue_on_the_screens(definition, places, counsellor, client):
    pathway = request_from_the_public(places, first_name="Inès")
    followed = new_pathway(
        actor=counsellor,
        referent=counsellor,
        antenna=places["antenna"],
        first_name="Yanis",
        source=PathwaySource.PERMANENCE,
    )
    client.force_login(counsellor)
    caseload = text(client.get(reverse("workflows_screens:caseload") + "?to_assign=true"))
    assert "Inès" in caseload and "Yanis" not in caseload
    assert "À attribuer" in caseload
    board = text(client.get(reverse("workflows_screens:board")))
    assert "1 à attribuer" in board
    home = text(client.get(reverse("wagtailadmin_home")))
    assert "Demandes à prendre" in home
    assert "1 demande attend un référent." in home
    assert reverse("workflows_screens:pathway", args=[pathway.pk]) in home
    assert "Yanis" not in home

    page = text(client.get(reverse("workflows_screens:pathway", args=[pathway.pk])))
    assert "Je m'en occupe" in page
    response = client.post(reverse("workflows_screens:referent", args=[pathway.pk]))
    assert response.status_code == 302
    page = text(client.get(response.url))
    assert "Vous êtes maintenant le référent de ce parcours." in page
    assert "Pris en charge par conseil" in page
    assert "Je m'en occupe" not in page
    home = text(client.get(reverse("wagtailadmin_home")))
    assert "Aucune demande n'attend de référent dans votre antenne." in home
    assert followed.pk


def test_the_coordination_assigns_from_the_pathway_page(
    definition, places, counsellor, coordinator, client
):
    pathway = request_from_the_public(places)
    client.force_login(coordinator)
    page = text(client.get(reverse("workflows_screens:pathway", args=[pathway.pk])))
    assert "Attribuer" in page and "Je m'en occupe" not in page
    response = client.post(
        reverse("workflows_screens:referent", args=[pathway.pk]), {"referent": counsellor.pk}
    )
    page = text(client.get(response.url))
    assert "conseil est maintenant le référent de ce parcours." in page
    assert Pathway.objects.get(pk=pathway.pk).referent == counsellor


def test_a_counsellor_cannot_assign_a_colleague_through_the_screen(
    definition, places, counsellor, client
):
    colleague = make_user("collegue", COUNSELLORS, antenna=places["antenna"])
    pathway = request_from_the_public(places)
    client.force_login(counsellor)
    response = client.post(
        reverse("workflows_screens:referent", args=[pathway.pk]), {"referent": colleague.pk}
    )
    page = text(client.get(response.url))
    assert "Seule la coordination attribue un parcours" in page
    assert Pathway.objects.get(pk=pathway.pk).referent is None


def test_the_home_panel_reads_in_constant_queries(
    definition, places, counsellor, client, django_assert_max_num_queries
):
    client.force_login(counsellor)
    client.get(reverse("wagtailadmin_home"))  # warm the caches (content types, specs)
    for number in range(8):
        request_from_the_public(places, first_name=f"Jeune{number}")
    with django_assert_max_num_queries(25):
        response = client.get(reverse("wagtailadmin_home"))
    assert "8 demandes attendent un référent." in text(response)
