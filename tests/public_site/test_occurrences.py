"""The occurrence table equals the expansion of the stored rules, whatever changed them: a
publish, an unpublish, a rule or an exception saved or deleted, the horizon moving at night.
Readers fall back on the expansion for a window the table does not hold."""

from datetime import timedelta

import pytest
from django.utils import timezone

from public_site import occurrences, schedules, selectors
from public_site.models import (
    ExceptionKind,
    Occurrence,
    OccurrenceHorizon,
    PermanencePage,
    ScheduleException,
)
from public_site.models.occurrences import HORIZON_WEEKS
from public_site.models.schedule_rules import ScheduleRule
from public_site.tasks import move_occurrence_horizon

pytestmark = pytest.mark.django_db

ONET = "ccas-onet-le-chateau"


def stored(page: PermanencePage) -> list[schedules.Occurrence]:
    horizon = OccurrenceHorizon.current()
    return Occurrence.objects.dated([page.pk], horizon.start, horizon.end).get(page.pk, [])


def expanded(page: PermanencePage) -> list[schedules.Occurrence]:
    """What the rules stored in the database give over the horizon."""
    horizon = OccurrenceHorizon.current()
    fresh = PermanencePage.objects.get(pk=page.pk)
    if not fresh.live or fresh.days_to_confirm:
        return []
    schedule = ScheduleRule.objects.schedules_by_page([page.pk]).get(page.pk)
    return schedule.occurrences_between(horizon.start, horizon.end) if schedule else []


def test_the_table_equals_the_expansion_for_every_demo_permanence(public_demo):
    pages = list(PermanencePage.objects.all())
    assert pages
    horizon = OccurrenceHorizon.current()
    assert horizon.end - horizon.start == timedelta(weeks=HORIZON_WEEKS)
    for page in pages:
        assert stored(page) == expanded(page), page.slug
    # The optional end time survives the round trip ("à partir de 14 h").
    aulnat = PermanencePage.objects.get(slug="pole-social-aulnat")
    assert stored(aulnat) and all(item.end is None for item in stored(aulnat))


def test_an_exception_saved_or_deleted_refreshes_the_dates(public_demo):
    page = PermanencePage.objects.get(slug=ONET)
    rule = page.schedule_rules.first()
    first = next(item for item in stored(page) if not item.cancelled)
    exception = ScheduleException.objects.create(
        rule=rule, kind=ExceptionKind.CANCELLED, date=first.date, reason="Congés"
    )
    (now_cancelled,) = [item for item in stored(page) if item.date == first.date]
    assert (now_cancelled.cancelled, now_cancelled.reason) == (True, "Congés")
    assert stored(page) == expanded(page)

    extra_day = first.date + timedelta(days=1)
    ScheduleException.objects.create(
        rule=rule, kind=ExceptionKind.EXTRA, date=extra_day, reason="Permanence exceptionnelle"
    )
    (extra,) = [item for item in stored(page) if item.extra]
    assert (extra.date, extra.note) == (extra_day, "Permanence exceptionnelle")

    exception.delete()
    assert stored(page) == expanded(page)
    assert not any(item.cancelled and item.date == first.date for item in stored(page))


def test_a_rule_deleted_or_changed_refreshes_the_dates(public_demo):
    page = PermanencePage.objects.get(slug=ONET)
    rule = page.schedule_rules.first()
    rule.start_time = rule.start_time.replace(hour=10)
    rule.save()
    assert stored(page) and all(item.start.hour == 10 for item in stored(page))
    rule.delete()
    assert stored(page) == [] == expanded(page)


def test_unpublishing_removes_the_dates_and_publishing_brings_them_back(public_demo):
    page = PermanencePage.objects.get(slug=ONET)
    before = stored(page)
    assert before
    page.unpublish()
    assert not Occurrence.objects.filter(page=page).exists()
    assert ONET not in {entry.page.slug for entry in selectors.next_entries(50)}
    page.refresh_from_db()
    page.save_revision().publish()
    assert stored(page) == before


def test_days_to_confirm_have_no_dates(public_demo):
    page = PermanencePage.objects.get(slug=ONET)
    page.days_to_confirm = True
    page.save_revision().publish()
    assert not Occurrence.objects.filter(page=page).exists()


def test_deleting_a_page_deletes_its_dates(public_demo):
    page = PermanencePage.objects.get(slug=ONET)
    page_id = page.pk
    page.delete()
    assert not Occurrence.objects.filter(page_id=page_id).exists()


def test_the_nightly_task_moves_the_horizon(public_demo):
    tomorrow = timezone.localdate() + timedelta(days=1)
    occurrences.move_horizon(tomorrow)
    horizon = OccurrenceHorizon.current()
    assert (horizon.start, horizon.end) == (tomorrow, tomorrow + timedelta(weeks=HORIZON_WEEKS))
    assert not Occurrence.objects.filter(date__lt=tomorrow).exists()
    for page in PermanencePage.objects.live():
        assert stored(page) == expanded(page), page.slug
    assert move_occurrence_horizon() == Occurrence.objects.count()


def test_a_window_outside_the_horizon_is_expanded_from_the_rules(public_demo):
    page = PermanencePage.objects.get(slug=ONET)
    horizon = OccurrenceHorizon.current()
    start, end = horizon.end - timedelta(weeks=2), horizon.end + timedelta(weeks=10)
    assert Occurrence.objects.dated([page.pk], start, end) is None
    entries = selectors.agenda([page], start, end)
    assert [entry.occurrence for entry in entries] == page.occurrences_between(start, end)
    assert any(entry.occurrence.date > horizon.end for entry in entries)


def test_the_permanence_page_and_the_home_read_the_table(client, public_demo, settings):
    """The dates shown are those of the table: a row changed behind the rules' back (never
    done by the site, done here to observe it) is what visitors see."""
    settings.PAGE_CACHE_ENABLED = False
    page = PermanencePage.objects.get(slug=ONET)
    first = next(item for item in stored(page) if not item.cancelled)
    Occurrence.objects.filter(page=page, date=first.date).update(reason="Marqueur de test")
    Occurrence.objects.filter(page=page, date=first.date).update(cancelled=True)
    text = client.get(page.url).content.decode()
    assert "Marqueur de test" in text
