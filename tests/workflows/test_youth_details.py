"""The pathway page corrects the young person's identity and contact details and changes
the référent: its référent (a counsellor, on their caseload) and the coordination of its
organisation may; each change is in the pathway's history (field names, never values) and
the access log; anyone else is refused, another organisation never finds the pathway."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from access_log.models import AccessLogEntry, Action
from workflows.models import Youth
from workflows.policies import COORDINATORS, COUNSELLORS, MEDIATORS
from workflows.services.errors import NotAllowed
from workflows.services.youth_details import InvalidDetails, update_youth_details

from .factories import make_user

pytestmark = pytest.mark.usefixtures("admin_access")

CHANGES = {"last_name": "Martin", "phone": "06 11 22 33 44"}


def posted(pathway, **changes) -> dict:
    """The form as the page fills it (the current values), with `changes` typed over."""
    youth = Youth.objects.get(pk=pathway.youth_id)
    current = {
        "first_name": youth.first_name,
        "last_name": youth.last_name,
        "date_of_birth": youth.date_of_birth.isoformat() if youth.date_of_birth else "",
        "phone": youth.phone,
        "email": youth.email,
    }
    return {**current, **CHANGES, **changes}


def text(response) -> str:
    return html.unescape(response.content.decode())


def details_url(pathway) -> str:
    return reverse("workflows_screens:youth_details", args=[pathway.pk])


def page_url(pathway) -> str:
    return reverse("workflows_screens:pathway", args=[pathway.pk])


def test_the_referent_corrects_the_details_and_the_history_names_the_fields(
    pathway, counsellor, client
):
    client.force_login(counsellor)
    assert details_url(pathway) in text(client.get(page_url(pathway)))
    form = text(client.get(details_url(pathway)))
    assert 'value="06 00 00 00 01"' in form  # the current values, to correct
    response = client.post(details_url(pathway), posted(pathway))
    assert response.status_code == 302
    youth = Youth.objects.get(pk=pathway.youth_id)
    assert (youth.last_name, youth.phone) == ("Martin", "06 11 22 33 44")

    page = text(client.get(response.url))
    assert "Identité et coordonnées enregistrées." in page
    assert "Coordonnées corrigées : nom, téléphone" in page
    entry = ModelLogEntry.objects.get(action="workflows.pathway.youth_details")
    assert entry.data == {"fields": ["last_name", "phone"]}
    assert "Martin" not in str(entry.data) and "Martin" not in entry.label
    change = AccessLogEntry.objects.get(action=Action.CHANGE, detail="last_name,phone")
    assert (change.user_id, change.pathway_id) == (counsellor.pk, pathway.pk)


def test_the_coordination_corrects_a_pathway_of_its_organisation(pathway, coordinator, client):
    client.force_login(coordinator)
    response = client.post(details_url(pathway), posted(pathway, email="camille@exemple.fr"))
    assert response.status_code == 302
    assert Youth.objects.get(pk=pathway.youth_id).email == "camille@exemple.fr"


def test_a_refused_value_is_shown_on_its_field_and_nothing_changes(pathway, counsellor, client):
    client.force_login(counsellor)
    response = client.post(details_url(pathway), posted(pathway, phone="12"))
    assert response.status_code == 200
    assert "Numéro invalide" in text(response)
    assert Youth.objects.get(pk=pathway.youth_id).last_name == "Test"
    assert not ModelLogEntry.objects.filter(action="workflows.pathway.youth_details").exists()


def test_a_counsellor_outside_their_caseload_is_refused(pathway, places, client):
    colleague = make_user("collegue", COUNSELLORS, antenna=places["antenna"])
    client.force_login(colleague)
    # The colleague sees the antenna's pathway, but does not follow it.
    page = text(client.get(page_url(pathway)))
    assert details_url(pathway) not in page
    # Wagtail's admin answers a refusal by sending back home with its message.
    for response in (
        client.get(details_url(pathway)),
        client.post(details_url(pathway), posted(pathway)),
    ):
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    with pytest.raises(NotAllowed):
        update_youth_details(pathway, actor=colleague, changes={"last_name": "Martin"})
    assert Youth.objects.get(pk=pathway.youth_id).last_name == "Test"


def test_a_mediator_who_identified_the_young_person_is_refused(places, definition, client):
    from .factories import new_pathway

    mediator = make_user("med", MEDIATORS, organisation=places["aveyron"])
    identified = new_pathway(actor=mediator, antenna=places["antenna"])
    with pytest.raises(NotAllowed):
        update_youth_details(identified, actor=mediator, changes={"last_name": "Martin"})


def test_a_coordinator_of_another_organisation_finds_no_pathway(pathway, places, client):
    other = make_user("coord.toulouse", COORDINATORS, organisation=places["toulouse"])
    client.force_login(other)
    assert client.get(details_url(pathway)).status_code == 404
    assert client.post(details_url(pathway), posted(pathway)).status_code == 404
    with pytest.raises(NotAllowed):
        update_youth_details(pathway, actor=other, changes={"last_name": "Martin"})


def test_a_closed_pathway_is_corrected_through_the_data_rights_only(pathway, coordinator):
    pathway.closed_at = timezone.now()
    pathway.save(update_fields=["closed_at"])
    with pytest.raises(NotAllowed):
        update_youth_details(pathway, actor=coordinator, changes={"last_name": "Martin"})


def test_only_identity_and_contact_fields_change(pathway, counsellor):
    with pytest.raises(InvalidDetails) as refusal:
        update_youth_details(pathway, actor=counsellor, changes={"consent_given": False})
    assert "consent_given" in refusal.value.field_errors["__all__"]
    with pytest.raises(InvalidDetails) as refusal:
        update_youth_details(pathway, actor=counsellor, changes={"phone": "", "email": ""})
    assert "phone" in refusal.value.field_errors
    # Nothing changed: nothing written.
    assert update_youth_details(pathway, actor=counsellor, changes={"last_name": "Test"}) == []
    assert not ModelLogEntry.objects.filter(action="workflows.pathway.youth_details").exists()


def test_the_referent_list_is_the_organisations_active_counsellors(
    pathway, places, counsellor, other_counsellor, coordinator, client
):
    colleague = make_user("collegue", COUNSELLORS, antenna=places["antenna"], last_name="Zed")
    make_user("ancien", COUNSELLORS, antenna=places["antenna"], is_active=False)
    make_user("med", MEDIATORS, organisation=places["aveyron"])
    superuser = make_user("root", is_superuser=True, is_staff=True)
    for user in (coordinator, counsellor, superuser):
        client.force_login(user)
        page = text(client.get(page_url(pathway)))
        start = page.index('name="referent"')
        select = page[start : page.index("</select>", start)]
        assert f'value="{colleague.pk}"' in select and f'value="{counsellor.pk}"' in select
        for absent in ("ancien", "med", other_counsellor.username):
            assert f">{absent}<" not in select, (user, absent)


def test_the_referent_hands_the_pathway_over_to_a_colleague(pathway, places, counsellor, client):
    colleague = make_user("collegue", COUNSELLORS, antenna=places["antenna"])
    client.force_login(counsellor)
    response = client.post(
        reverse("workflows_screens:referent", args=[pathway.pk]), {"referent": colleague.pk}
    )
    pathway.refresh_from_db()
    assert pathway.referent == colleague
    client.force_login(colleague)
    assert "Attribué à collegue" in text(client.get(response.url))
    # The former référent no longer answers for it: the next handover is refused.
    client.force_login(counsellor)
    client.post(
        reverse("workflows_screens:referent", args=[pathway.pk]), {"referent": counsellor.pk}
    )
    pathway.refresh_from_db()
    assert pathway.referent == colleague


def test_the_pathway_page_reads_in_constant_queries(
    pathway, counsellor, client, django_assert_max_num_queries
):
    client.force_login(counsellor)
    client.get(page_url(pathway))  # warm the caches (content types, specs)
    for number in range(5):
        update_youth_details(pathway, actor=counsellor, changes={"last_name": f"Nom{number}"})
    with django_assert_max_num_queries(30):
        assert client.get(page_url(pathway)).status_code == 200
