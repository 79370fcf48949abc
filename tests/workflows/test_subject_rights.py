"""The young person's rights: the services (export, rectification, erasure) and the "Droits
des jeunes" screen, as the data-protection officer, a coordinator and everyone else see it."""

from __future__ import annotations

import html
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from access_log.models import AccessLogEntry, Action, Channel
from public_site.models import ContactRequest, ContactRequestStatus
from workflows.choices import ContactKind
from workflows.models import Pathway, Youth
from workflows.policies import DATA_PROTECTION_OFFICERS
from workflows.services.pathways import log_contact
from workflows.services.subject_rights import (
    UnknownFields,
    erase_youth,
    export_youth,
    rectify_youth,
)

from .factories import forget_access_log, make_user, new_pathway

pytestmark = pytest.mark.usefixtures("admin_access")


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def other_dpo(places):
    return make_user("dpo.toulouse", DATA_PROTECTION_OFFICERS, organisation=places["toulouse"])


@pytest.fixture
def youth(pathway, counsellor):
    log_contact(pathway, kind=ContactKind.CALL, actor=counsellor, note="Rappel le mardi.")
    ContactRequest.objects.create(
        first_name="Camille",
        phone="06 00 00 00 01",
        organisation=pathway.organisation,
        consent=True,
        status=ContactRequestStatus.FORWARDED,
        pathway_id=pathway.pk,
    )
    forget_access_log()  # the creation and the contact above
    return pathway.youth


def url(name: str, youth=None) -> str:
    return reverse(f"workflows_rights:{name}", args=[youth.pk] if youth else [])


# --- services -----------------------------------------------------------------------------


def test_export_holds_everything_and_is_logged(youth, dpo):
    data = export_youth(youth, user=dpo, channel=Channel.EXPORT)
    assert data["youth"]["first_name"] == "Camille"
    assert data["pathways"][0]["contacts"][0]["note"] == "Rappel le mardi."
    rows = [row for copy in data["copies"] for row in copy["rows"]]
    assert [row["phone"] for row in rows] == ["06 00 00 00 01"]
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.channel, entry.youth_id, entry.user_id) == (
        Action.EXPORT,
        Channel.EXPORT,
        youth.pk,
        dpo.pk,
    )
    assert entry.organisation_id == youth.pathways.get().organisation_id


def test_rectify_changes_identity_and_logs_field_names_only(youth, dpo):
    rectify_youth(dpo, youth, phone="07 11 22 33 44", last_name=" Durand ")
    youth.refresh_from_db()
    assert (youth.phone, youth.last_name) == ("07 11 22 33 44", "Durand")
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.channel) == (Action.RECTIFY, Channel.FORM)
    assert entry.detail == "last_name,phone"
    assert "07" not in entry.detail and "Durand" not in entry.detail


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"phone": "12"}, "phone", "Numéro invalide"),
        ({"phone": "", "email": ""}, "phone", "téléphone ou e-mail"),
        ({"first_name": "  "}, "first_name", "prénom ne peut pas être vide"),
        ({"email": "pas-une-adresse"}, "email", "e-mail invalide"),
    ],
)
def test_rectify_refuses_what_intake_refuses(youth, dpo, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        rectify_youth(dpo, youth, **fields)
    assert message in " ".join(refused.value.message_dict[field])
    youth.refresh_from_db()
    assert youth.phone == "06 00 00 00 01" and youth.first_name == "Camille"
    assert not AccessLogEntry.objects.exists()


def test_rectify_refuses_other_fields(youth, dpo):
    with pytest.raises(UnknownFields):
        rectify_youth(dpo, youth, commune=None)


def test_erase_needs_a_reason(youth, dpo):
    with pytest.raises(ValidationError):
        erase_youth(youth, reason=" ", user=dpo, channel=Channel.FORM)
    assert Youth.objects.filter(pk=youth.pk).exists()


def test_erase_deletes_and_blanks_the_copy(youth, dpo):
    pathway_id = youth.pathways.get().pk
    counts = erase_youth(youth, reason="Demande écrite", user=dpo, channel=Channel.FORM)
    assert counts == {"pathways": 1, "copies": 1, "outreach_rounds": 0}
    assert not Youth.objects.filter(pk=youth.pk).exists()
    assert not Pathway.objects.filter(pk=pathway_id).exists()
    copy = ContactRequest.objects.get(pathway_id=pathway_id)
    assert (copy.first_name, copy.phone, copy.email) == ("", "", "")
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.detail, entry.pathway_id) == (
        Action.ERASE,
        "Demande écrite",
        pathway_id,
    )


# --- who opens the screen -----------------------------------------------------------------

SCREENS = ["youth", "export_json", "export_html", "rectify", "erase"]


@pytest.mark.parametrize("who", ["counsellor", "mediator", "outsider"])
def test_everyone_else_is_refused(client, youth, request, who):
    user = request.getfixturevalue(who)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(url("search")).status_code == 403
    assert client.post(url("search"), {"q": "Camille"}).status_code == 403
    for name in SCREENS:
        assert client.get(url(name, youth)).status_code == 403, name
    assert client.post(url("erase", youth), {"reason": "x", "confirm": "yes"}).status_code == 403
    assert Youth.objects.filter(pk=youth.pk).exists()
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("who", ["dpo", "coordinator"])
def test_dpo_and_coordinator_of_the_organisation_open_every_screen(client, youth, request, who):
    client.force_login(request.getfixturevalue(who))
    for name in SCREENS:
        assert client.get(url(name, youth)).status_code == 200, name


def test_another_organisations_dpo_sees_no_one(client, youth, other_dpo):
    client.force_login(other_dpo)
    response = client.post(url("search"), {"q": "Camille"})
    assert response.status_code == 200 and "Aucun jeune" in text(response)
    for name in SCREENS:
        assert client.get(url(name, youth)).status_code == 404, name


def test_the_menu_item_shows_for_the_dpo_only(client, dpo, counsellor):
    client.force_login(dpo)
    assert url("search") in text(client.get(reverse("wagtailadmin_home")))
    client.force_login(counsellor)
    assert url("search") not in text(client.get(reverse("wagtailadmin_home")))


# --- searching ----------------------------------------------------------------------------


def test_search_by_post_paginated_without_logging_the_name(
    client, dpo, definition, counsellor, django_assert_max_num_queries
):
    for index in range(30):
        new_pathway(first_name=f"Oscar{index:02d}", last_name="Vermeil", actor=counsellor)
    forget_access_log()  # their creation
    client.force_login(dpo)
    empty = client.get(url("search"))
    assert empty.status_code == 200 and 'method="post"' in text(empty)
    with django_assert_max_num_queries(12):
        first = client.post(url("search"), {"q": "vermeil"})
    assert "30 jeunes trouvés" in text(first) and "Page 1 sur 2" in text(first)
    assert "Oscar00" in text(first) and "Oscar29" not in text(first)
    second = client.post(url("search"), {"q": "vermeil", "page": "2"})
    assert "Oscar29" in text(second) and "Oscar00" not in text(second)
    assert "Vermeil" not in "".join(AccessLogEntry.objects.values_list("detail", flat=True))
    assert not AccessLogEntry.objects.exists()  # a list of names is no read of a record


def test_search_empty_state(client, dpo, youth):
    client.force_login(dpo)
    response = client.post(url("search"), {"q": "Personne"})
    assert "Aucun jeune de votre Mission Locale ne porte ce nom" in text(response)
    assert "Camille" not in text(response)


# --- the pages ----------------------------------------------------------------------------


def test_summary_shows_everything_and_logs_a_read(client, dpo, youth):
    client.force_login(dpo)
    response = client.get(url("youth", youth))
    assert "06 00 00 00 01" in text(response) and "Rappel le mardi." in text(response)
    assert "no-store" in response["Cache-Control"]
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.channel) == (Action.READ, Channel.PAGE)


def test_json_and_printable_exports(client, dpo, youth):
    client.force_login(dpo)
    response = client.get(url("export_json", youth))
    assert (
        response["Content-Disposition"] == f'attachment; filename="jeune-{youth.pk}-donnees.json"'
    )
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["youth"]["phone"] == "06 00 00 00 01"
    printable = client.get(url("export_html", youth))
    assert "Tes données à la Mission Locale" in text(printable)
    assert "Rappel le mardi." in text(printable)
    assert (
        list(AccessLogEntry.objects.values_list("action", "channel"))
        == [(Action.EXPORT, Channel.EXPORT)] * 2
    )


def test_rectify_form(client, dpo, youth):
    client.force_login(dpo)
    form = client.get(url("rectify", youth))
    assert 'value="06 00 00 00 01"' in text(form)
    data = {"first_name": "Camille", "last_name": "Test", "phone": "12", "email": ""}
    refused = client.post(url("rectify", youth), data)
    assert refused.status_code == 200 and "Numéro invalide" in text(refused)
    youth.refresh_from_db()
    assert youth.phone == "06 00 00 00 01"
    done = client.post(url("rectify", youth), {**data, "phone": "07 11 22 33 44"})
    assert done.status_code == 302 and done["Location"] == url("youth", youth)
    youth.refresh_from_db()
    assert youth.phone == "07 11 22 33 44"
    assert AccessLogEntry.objects.get().action == Action.RECTIFY


def test_erase_asks_to_confirm_then_erases(client, dpo, youth):
    client.force_login(dpo)
    form = client.get(url("erase", youth))
    assert "définitif" in text(form) and "demande « être recontacté »" in text(form)
    assert client.post(url("erase", youth), {"reason": ""}).status_code == 200
    confirming = client.post(url("erase", youth), {"reason": "Demande écrite du 3 mars"})
    assert confirming.status_code == 200
    assert "Confirmez-vous l'effacement ?" in text(confirming)
    assert "1 parcours" in text(confirming) and "1 contacts" in text(confirming)
    assert Youth.objects.filter(pk=youth.pk).exists()
    assert not AccessLogEntry.objects.exists()

    erased = client.post(
        url("erase", youth), {"reason": "Demande écrite du 3 mars", "confirm": "yes"}
    )
    assert erased.status_code == 302 and erased["Location"] == url("search")
    assert not Youth.objects.filter(pk=youth.pk).exists()
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.channel, entry.detail, entry.user_id) == (
        Action.ERASE,
        Channel.FORM,
        "Demande écrite du 3 mars",
        dpo.pk,
    )


def test_demo_dpo_answers_for_toulouse_only(client, demo_data):
    from django.contrib.auth import get_user_model

    from workflows.demo import DEMO_PASSWORD

    user = get_user_model().objects.get(username="dpo.toulouse")
    assert user.check_password(DEMO_PASSWORD) and user.has_perm("wagtailadmin.access_admin")
    client.force_login(user)
    toulouse = Youth.objects.filter(pathways__organisation__slug="toulouse").first()
    aveyron = Youth.objects.filter(pathways__organisation__slug="aveyron").first()
    assert client.get(url("youth", toulouse)).status_code == 200
    assert client.get(url("youth", aveyron)).status_code == 404


def test_erase_takes_the_name_out_of_the_maraudes_of_the_organisation_only(
    youth, dpo, mediator, places
):
    from workflows.models import OutreachRound

    def round_with(notes, organisation):
        return OutreachRound.objects.create(
            date="2026-01-05", place="Parvis", organisation=organisation, notes=notes
        )

    full_name = round_with("Vu Camille Test et deux amis.", places["aveyron"])
    first_name_only = round_with("Une autre Camille, sans nom.", places["aveyron"])
    elsewhere = round_with("Camille Test, homonyme.", places["toulouse"])
    mentions = export_youth(youth, user=dpo)["outreach_round_mentions"]
    assert [m["excerpts"] for m in mentions] == [["Vu Camille Test et deux amis."]]

    erase_youth(youth, reason="Demande", user=dpo, channel=Channel.FORM)
    full_name.refresh_from_db()
    first_name_only.refresh_from_db()
    elsewhere.refresh_from_db()
    assert full_name.notes == "Vu [jeune effacé] et deux amis."
    assert first_name_only.notes == "Une autre Camille, sans nom."
    assert elsewhere.notes == "Camille Test, homonyme."


def test_sensitive_answers_are_in_the_copy_and_the_read_is_marked_sensitive(
    pathway, counsellor, dpo
):
    from django.utils import timezone

    from workflows.services.transitions import fire_transition

    today = timezone.localdate().isoformat()
    pathway = fire_transition(
        pathway, "fixer_premier_accueil", actor=counsellor, answers={"date_premier_accueil": today}
    )
    pathway = fire_transition(
        pathway, "proposer_diagnostic", actor=counsellor, answers={"date_diagnostic": today}
    )
    log_contact(pathway, kind=ContactKind.INTERVIEW, actor=counsellor)
    fire_transition(
        pathway,
        "orienter",
        actor=counsellor,
        answers={
            "diag_emploi": "Pas de besoin",
            "diag_formation": "Pas de besoin",
            "diag_sante": "Besoin prioritaire",
            "diag_logement": "Pas de besoin",
            "diag_mobilite": "Pas de besoin",
            "diag_ressources": "Pas de besoin",
            "orientation": "CEJ",
        },
    )
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))
    data = export_youth(pathway.youth, user=dpo)
    answered = [item["answers"] for item in data["pathways"][0]["history"]]
    assert any("Besoin prioritaire" in answers.values() for answers in answered)
    entry = AccessLogEntry.objects.exclude(pk__in=before).get()
    assert entry.action == Action.EXPORT and entry.sensitive
    assert "diag_sante" in entry.detail.split(",")


def test_summary_queries_do_not_grow_with_the_record(client, dpo, youth, counsellor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workflows.models import FollowUp

    client.force_login(dpo)
    client.get(url("youth", youth))  # warm the caches (groups, specs)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("youth", youth)).status_code == 200
    pathway = youth.pathways.get()
    for index in range(5):
        log_contact(pathway, kind=ContactKind.CALL, actor=counsellor, note=f"Appel {index}.")
        FollowUp.objects.create(pathway=pathway, due_on="2026-01-05", note=f"Relance {index}")
    with CaptureQueriesContext(connection) as large:
        response = client.get(url("youth", youth))
    assert "Appel 4." in text(response) and "Relance 4" in text(response)
    assert len(large.captured_queries) == len(small.captured_queries)
