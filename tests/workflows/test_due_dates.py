"""One rule decides a pathway's next relance: the stage's reminder delay, its expected
maximum duration and the follow-ups still planned, whichever comes first; the pathway page,
the board and "Mes jeunes" announce the same day; the demo data agree with themselves."""

from __future__ import annotations

import datetime
import html

import pytest
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from workflows.choices import ContactKind
from workflows.models import Contact, FollowUp, Pathway
from workflows.rules import compute_due_on
from workflows.services.pathways import log_contact
from workflows.services.transitions import fire_transition
from workflows.specs import StageSpec

pytestmark = pytest.mark.usefixtures("admin_access")

TODAY = timezone.localdate()


def stage(**kwargs) -> StageSpec:
    values = {"code": "s", "label": "S", "category": "reception", "order": 1, "reminder_days": 14}
    values.update(kwargs)
    return StageSpec(**values)


def test_the_earliest_of_reminder_duration_and_planned_follow_ups():
    now = timezone.now()
    in_days = lambda days: TODAY + datetime.timedelta(days=days)  # noqa: E731
    assert compute_due_on(stage(), now, None) == in_days(14)
    assert compute_due_on(stage(max_duration_days=10), now, None) == in_days(10)
    assert compute_due_on(stage(), now, None, [in_days(7), in_days(9)]) == in_days(7)
    # A closed pathway needs no relance, whatever was planned.
    assert compute_due_on(stage(final=True), now, None, [in_days(7)]) is None


def shown(client, pathway) -> dict[str, str]:
    """What each screen says of the pathway's relance."""

    def read(url):
        return html.unescape(client.get(url).content.decode())

    return {
        "page": read(reverse("workflows_screens:pathway", args=[pathway.pk])),
        "caseload": read(reverse("workflows_screens:caseload")),
        "board": read(reverse("workflows_screens:board")),
    }


def test_a_follow_up_planned_by_an_action_is_the_next_relance_everywhere(
    pathway, counsellor, client
):
    moved = fire_transition(
        pathway,
        "fixer_premier_accueil",
        actor=counsellor,
        answers={"date_premier_accueil": TODAY},
    )
    planned = FollowUp.objects.get(pathway=pathway, done_at=None)
    assert planned.due_on == TODAY + datetime.timedelta(days=7)
    # The stage's own delay (14 days) comes later: the planned follow-up decides.
    assert moved.due_on == planned.due_on
    assert Pathway.objects.get(pk=pathway.pk).due_on == planned.due_on
    client.force_login(counsellor)
    day = planned.due_on.strftime("%d/%m/%Y")
    screens = shown(client, pathway)
    assert f"À relancer le {day}." in screens["page"]
    assert day in screens["caseload"]
    assert f"à relancer le {day}" in screens["board"]


def test_a_contact_answers_the_follow_ups_due_by_then(pathway, counsellor):
    moved = fire_transition(
        pathway,
        "fixer_premier_accueil",
        actor=counsellor,
        answers={"date_premier_accueil": TODAY},
    )
    FollowUp.objects.filter(pathway=pathway).update(due_on=TODAY - datetime.timedelta(days=1))
    later = FollowUp.objects.create(pathway=pathway, due_on=TODAY + datetime.timedelta(days=3))
    log_contact(moved, kind=ContactKind.CALL, actor=counsellor)
    assert list(FollowUp.objects.filter(pathway=pathway, done_at=None)) == [later]
    assert Pathway.objects.get(pk=pathway.pk).due_on == later.due_on


def test_the_demo_data_agree_with_themselves(demo_data):
    today = timezone.localdate()
    for pathway in Pathway.objects.select_related("youth"):
        youth = pathway.youth
        assert youth.consent_recorded_at <= youth.created_at + datetime.timedelta(seconds=1)
        latest = Contact.objects.filter(pathway=pathway).order_by("-happened_at").first()
        if latest is not None:
            assert pathway.last_contact_at >= latest.happened_at
    by_referent = (
        Pathway.objects.filter(closed_at=None, referent__groups__name="Conseillers")
        .values("referent__username")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
    )
    assert by_referent
    for row in by_referent:
        assert 0 < row["late"] < row["n"] / 2, row  # some late, a minority


def test_answers_read_as_a_person_reads_them(pathway, counsellor, client):
    fire_transition(
        pathway,
        "fixer_premier_accueil",
        actor=counsellor,
        answers={"date_premier_accueil": datetime.date(2026, 12, 8)},
    )
    client.force_login(counsellor)
    page = html.unescape(
        client.get(reverse("workflows_screens:pathway", args=[pathway.pk])).content.decode()
    )
    assert "08/12/2026" in page
    assert "2026-12-08" not in page


def test_a_form_opened_after_the_pathway_moved_on_says_so(pathway, counsellor, client):
    url = reverse("workflows_screens:transition", args=[pathway.pk, "fixer_premier_accueil"])
    client.force_login(counsellor)
    assert client.get(url).status_code == 200  # the form, while the pathway is at "repéré"
    fire_transition(
        pathway, "fixer_premier_accueil", actor=counsellor, answers={"date_premier_accueil": TODAY}
    )
    response = client.get(url)  # the same form, opened from a page read before
    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert "Ce parcours a avancé depuis" in page
    assert "Étape actuelle du parcours : <strong>Premier accueil" in page
    assert reverse("workflows_screens:pathway", args=[pathway.pk]) in page
