"""The counsellors' weekly summary: counts and links, never a young person's name, phone or
e-mail; once per ISO week; turned off in the counsellor's account settings."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from task_queue.models import TaskReceipt
from workflows.account_settings import WeeklySummarySettingsPanel
from workflows.models import Pathway, StaffProfile
from workflows.services.timed_transitions import run_timed_transitions
from workflows.services.weekly_summary import iso_week, send_weekly_summaries
from workflows.tasks import SCHEDULES
from workflows.tasks import send_weekly_summaries as weekly_task

from .factories import new_pathway

pytestmark = pytest.mark.usefixtures("admin_access")

# The young people of this module, and everything that would identify them in a message.
YOUNG_PEOPLE = [
    ("Zéphyrine", "Quillebeuf", "06 98 76 54 32", "zephyrine.quillebeuf@demo.example.org"),
    ("Anatole", "Brisemiche", "07 11 22 33 44", "anatole.brisemiche@demo.example.org"),
    ("Philomène", "Cornebarrieu", "06 55 44 33 22", "philomene.c@demo.example.org"),
    ("Gontran", "Vaillefeu", "07 66 77 88 99", "gontran.v@demo.example.org"),
]
IDENTIFYING = [text for person in YOUNG_PEOPLE for text in person] + [
    "0698765432",
    "0711223344",
]


def _young(index: int, **kwargs) -> Pathway:
    first, last, phone, email = YOUNG_PEOPLE[index]
    return new_pathway(
        first_name=first,
        last_name=last,
        contact_phone=phone,
        contact_email=email,
        **kwargs,
    )


@pytest.fixture
def caseload(definition, counsellor, places):
    """One late relance, one due this week, one request waiting in the counsellor's antenna,
    one pathway a timed transition moved three days ago."""
    today = timezone.localdate()
    late = _young(0, actor=counsellor, referent=counsellor, antenna=places["antenna"])
    this_week = _young(1, actor=counsellor, referent=counsellor, antenna=places["antenna"])
    _young(2, antenna=places["antenna"], commune=places["commune"])  # à attribuer
    silent = _young(3, actor=counsellor, referent=counsellor, antenna=places["antenna"])
    Pathway.objects.filter(pk=late.pk).update(due_on=today - datetime.timedelta(days=4))
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    Pathway.objects.filter(pk=this_week.pk).update(due_on=sunday)
    Pathway.objects.filter(pk=silent.pk).update(
        entered_stage_at=timezone.now() - datetime.timedelta(days=40), last_contact_at=None
    )
    assert run_timed_transitions().moved == 1
    return {"late": late, "this_week": this_week, "silent": silent}


def test_the_summary_counts_and_links_and_names_nobody(caseload, counsellor, mailoutbox):
    assert send_weekly_summaries() == 1

    (message,) = mailoutbox
    assert message.to == [counsellor.email]
    text = message.subject + message.body
    assert [term for term in IDENTIFYING if term.lower() in text.lower()] == []
    assert "- 1 relance en retard : http" in message.body
    assert f"referent={counsellor.pk}&overdue=true" in message.body
    assert "- 1 relance à faire cette semaine" in message.body
    assert "- 1 demande à attribuer : http" in message.body
    assert "to_assign=true" in message.body
    assert "- 1 de vos parcours est passé de lui-même à une autre étape" in message.body
    assert f"/admin/parcours/{caseload['silent'].pk}/" in message.body


def test_a_second_run_the_same_week_sends_nothing(caseload, counsellor, mailoutbox):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())

    assert send_weekly_summaries(monday) == 1
    assert send_weekly_summaries(monday + datetime.timedelta(days=6)) == 0
    assert weekly_task() == 0
    assert len(mailoutbox) == 1
    assert list(TaskReceipt.objects.values_list("key", flat=True)) == [
        f"workflows.weekly_summary:{counsellor.pk}:{iso_week(today)}"
    ]

    assert send_weekly_summaries(monday + datetime.timedelta(days=7)) == 1
    assert SCHEDULES["workflows.send_weekly_summaries"]["func"] == (
        "workflows.tasks.send_weekly_summaries"
    )


def test_a_counsellor_who_turned_it_off_receives_nothing(caseload, counsellor, mailoutbox):
    request = RequestFactory().post("/", {"weekly_summary-weekly_summary": ""})
    panel = WeeklySummarySettingsPanel(request, counsellor, None)
    form = panel.get_form()
    assert form.is_valid(), form.errors
    form.save()

    assert StaffProfile.objects.get(user=counsellor).weekly_summary is False
    assert send_weekly_summaries() == 0
    assert mailoutbox == []


def test_nothing_to_say_sends_nothing(definition, counsellor, mailoutbox):
    assert send_weekly_summaries() == 0
    assert mailoutbox == []


def test_the_account_page_offers_the_setting_to_counsellors_only(client, counsellor, coordinator):
    client.force_login(counsellor)
    page = client.get("/admin/account/").content.decode()
    assert "Récapitulatif de la semaine" in page
    assert 'name="weekly_summary-weekly_summary"' in page

    client.force_login(coordinator)
    assert "Récapitulatif de la semaine" not in client.get("/admin/account/").content.decode()


def test_queries_do_not_grow_with_the_caseload(
    definition, counsellor, places, mailoutbox, django_assert_max_num_queries
):
    for index in range(4):
        pathway = _young(index, actor=counsellor, referent=counsellor, antenna=places["antenna"])
        Pathway.objects.filter(pk=pathway.pk).update(due_on=timezone.localdate())

    with django_assert_max_num_queries(11):
        assert send_weekly_summaries() == 1
