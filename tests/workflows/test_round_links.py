"""A maraude shows "jeunes rencontrés" (typed by the mediator) beside "dont repérés" (the
pathways linked to it), on the list and on its page; whoever may change the round links the
existing pathways of its organisation to it, found by name, never another organisation's;
each link is in the pathway's history and the access log."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from access_log.models import AccessLogEntry, Action
from workflows.models import OutreachRound, Pathway
from workflows.policies import MEDIATORS
from workflows.services.errors import NotAllowed
from workflows.services.outreach import AlreadyLinked, link_pathway

from .factories import make_user, new_pathway

pytestmark = pytest.mark.usefixtures("admin_access")


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def mediator(places):
    return make_user("med-rodez", MEDIATORS, antenna=places["antenna"])


@pytest.fixture
def outreach_round(mediator, places):
    return OutreachRound.objects.create(
        date=timezone.localdate(),
        place="Parvis de la médiathèque",
        mediator=mediator,
        organisation=places["aveyron"],
        young_people_met=7,
    )


@pytest.fixture
def followed(definition, counsellor, places):
    """A pathway of Aveyron opened at a permanence, before the maraude."""
    return new_pathway(
        actor=counsellor,
        referent=counsellor,
        antenna=places["antenna"],
        first_name="Yanis",
        last_name="Bertrand",
    )


def link_url(outreach_round) -> str:
    return reverse("outreach_rounds:link", args=[outreach_round.pk])


def test_met_and_identified_side_by_side_on_the_list_and_the_page(
    outreach_round, mediator, followed, client
):
    link_pathway(outreach_round, followed, by=mediator)
    client.force_login(mediator)
    listing = text(client.get(reverse("outreach_rounds:index")))
    assert "jeunes rencontrés" in listing.lower() and "dont repérés" in listing
    row = listing[listing.index("Parvis de la médiathèque") :]
    assert ">7<" in row.replace(" ", "").replace("\n", "") and ">1<" in row.replace(
        " ", ""
    ).replace("\n", "")
    assert "workflows/screens.css" in listing  # the list becomes cards on a phone
    # The date filter is the browser's picker (ISO), and filters.
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    today = timezone.localdate().isoformat()
    assert "Parvis" in text(client.get(reverse("outreach_rounds:index"), {"date": today}))
    assert "Parvis" not in text(client.get(reverse("outreach_rounds:index"), {"date": yesterday}))
    page = text(client.get(reverse("outreach_rounds:inspect", args=[outreach_round.pk])))
    counts = page[page.index('class="ml-round-counts"') :]
    assert "Jeunes rencontrés</dt><dd>7</dd>" in counts
    assert "dont repérés</dt><dd>1</dd>" in counts


def test_the_mediator_finds_and_links_a_young_person_already_followed(
    outreach_round, mediator, followed, counsellor, client
):
    client.force_login(mediator)
    page = text(client.get(reverse("outreach_rounds:inspect", args=[outreach_round.pk])))
    assert link_url(outreach_round) in page
    found = text(client.post(link_url(outreach_round), {"q": "yanis"}))
    assert "Yanis Bertrand" in found and f'value="{followed.pk}"' in found
    # The search is a list read: the row shown is in the access log.
    assert AccessLogEntry.objects.filter(
        action=Action.READ, pathway_id=followed.pk, user_id=mediator.pk
    ).exists()
    response = client.post(link_url(outreach_round), {"pathway": followed.pk})
    assert response.status_code == 302
    assert Pathway.objects.get(pk=followed.pk).outreach_round == outreach_round
    assert "Parcours rattaché à cette maraude." in text(client.get(response.url))
    entry = ModelLogEntry.objects.get(action="workflows.pathway.round_linked")
    assert entry.data["round"] == str(outreach_round)
    assert AccessLogEntry.objects.filter(
        action=Action.CHANGE, pathway_id=followed.pk, detail="outreach_round"
    ).exists()
    # The pathway's history says so (its référent reads it); it is no longer offered.
    client.force_login(counsellor)
    timeline = text(client.get(reverse("workflows_screens:pathway", args=[followed.pk])))
    assert f"Rattaché à la maraude {outreach_round}" in timeline
    assert (
        "Yanis"
        not in text(client.post(link_url(outreach_round), {"q": "yanis"}))
        .split("Rechercher")[-1]
        .split("Retour")[0]
    )


def test_no_other_organisation_is_searched_nor_linked(
    outreach_round, mediator, other_counsellor, other_definition, places, client
):
    foreign = new_pathway(
        actor=other_counsellor, antenna=places["other_antenna"], first_name="Yanis"
    )
    client.force_login(mediator)
    found = text(client.post(link_url(outreach_round), {"q": "Yanis"}))
    assert f'value="{foreign.pk}"' not in found
    assert client.post(link_url(outreach_round), {"pathway": foreign.pk}).status_code == 404
    with pytest.raises(NotAllowed):
        link_pathway(outreach_round, foreign, by=mediator)
    assert Pathway.objects.get(pk=foreign.pk).outreach_round is None


def test_only_who_may_change_the_round_links(outreach_round, followed, places, counsellor, client):
    colleague = make_user("med2-rodez", MEDIATORS, antenna=places["antenna"])
    for person in (colleague, counsellor):
        with pytest.raises(NotAllowed):
            link_pathway(outreach_round, followed, by=person)
        client.force_login(person)
        # They see the round (their antenna's) but may not link to it.
        page = text(client.get(reverse("outreach_rounds:inspect", args=[outreach_round.pk])))
        assert link_url(outreach_round) not in page
        assert client.post(link_url(outreach_round), {"q": "Yanis"}).status_code == 302
    assert Pathway.objects.get(pk=followed.pk).outreach_round is None


def test_a_pathway_met_in_another_round_stays_there(outreach_round, mediator, followed, places):
    earlier = OutreachRound.objects.create(
        date=timezone.localdate(), place="Gare", mediator=mediator, organisation=places["aveyron"]
    )
    link_pathway(earlier, followed, by=mediator)
    with pytest.raises(AlreadyLinked):
        link_pathway(outreach_round, followed, by=mediator)
    # Twice the same link changes nothing.
    link_pathway(earlier, followed, by=mediator)
    assert ModelLogEntry.objects.filter(action="workflows.pathway.round_linked").count() == 1


def test_the_rounds_list_reads_in_constant_queries(
    mediator, places, definition, client, django_assert_max_num_queries
):
    client.force_login(mediator)
    client.get(reverse("outreach_rounds:index"))  # warm the caches
    for number in range(6):
        outreach_round = OutreachRound.objects.create(
            date=timezone.localdate(),
            place=f"Lieu {number}",
            mediator=mediator,
            organisation=places["aveyron"],
        )
        new_pathway(actor=mediator, antenna=places["antenna"], outreach_round=outreach_round)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("outreach_rounds:index"))
    assert "Lieu 5" in text(response)


def test_the_link_search_reads_in_constant_queries(
    outreach_round, mediator, counsellor, places, definition, client, django_assert_max_num_queries
):
    for number in range(6):
        new_pathway(actor=counsellor, antenna=places["antenna"], first_name=f"Yanis{number}")
    client.force_login(mediator)
    with django_assert_max_num_queries(30):
        response = client.post(link_url(outreach_round), {"q": "yanis"})
    assert text(response).count('name="pathway"') == 6
