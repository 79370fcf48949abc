"""The staff's lists read in a number of queries that does not grow with their rows: "Mes
jeunes", its "À attribuer" queue, the board and the maraudes' list, each read once with a
few rows, then again with more."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from workflows.models import OutreachRound
from workflows.policies import MEDIATORS

from .factories import make_user, new_pathway

pytestmark = pytest.mark.usefixtures("admin_access")

SCREENS = [
    reverse("workflows_screens:caseload"),
    reverse("workflows_screens:caseload") + "?to_assign=true",
    reverse("workflows_screens:board"),
    reverse("outreach_rounds:index"),
]


def add_rows(places, counsellor, mediator, start: int, count: int) -> None:
    """`count` pathways followed by the counsellor, as many waiting "à attribuer" in his
    antenna, and as many maraudes each with a young person identified."""
    for number in range(start, start + count):
        new_pathway(
            actor=counsellor,
            referent=counsellor,
            antenna=places["antenna"],
            first_name=f"Suivi{number}",
        )
        new_pathway(actor=counsellor, antenna=places["antenna"], first_name=f"Attente{number}")
        outreach_round = OutreachRound.objects.create(
            date=timezone.localdate(),
            place=f"Lieu {number}",
            mediator=mediator,
            organisation=places["aveyron"],
        )
        new_pathway(actor=mediator, antenna=places["antenna"], outreach_round=outreach_round)


@pytest.mark.parametrize("url", SCREENS)
def test_a_list_reads_in_constant_queries(
    url, definition, places, counsellor, coordinator, client, django_assert_max_num_queries
):
    mediator = make_user("med-rodez", MEDIATORS, antenna=places["antenna"])
    add_rows(places, counsellor, mediator, 0, 2)
    # Whoever reads the list: the counsellor his own, the coordination the maraudes.
    client.force_login(coordinator if "maraudes" in url else counsellor)
    client.get(url)  # warm the caches (content types, specs)
    with django_assert_max_num_queries(60) as few:
        assert client.get(url).status_code == 200
    add_rows(places, counsellor, mediator, 2, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
