"""A date typed the French way in Wagtail's editor is the date saved (issue 17): in the
Onet permanence's schedule, 24/12/2026-style input stays as typed when the field loses
focus, and once published the page shows that session cancelled; never another date."""

from __future__ import annotations

import datetime

from django.utils import timezone

from public_site.models import PermanencePage, ScheduleException
from tests.workflows.test_browser_lowcode import log_in
from workflows.demo import DEMO_PASSWORD

from .test_browser import ONET_SLUG, first_and_third_tuesdays, page, site  # noqa: F401


def test_a_french_date_typed_in_the_schedule_is_the_date_published(
    site,  # noqa: F811
    page,  # noqa: F811
    csp_guard,
):
    onet = PermanencePage.objects.get(slug=ONET_SLUG)
    exception = ScheduleException.objects.get(rule__page=onet)
    # A coming session of its rhythm (1st and 3rd Tuesdays) other than the one cancelled.
    coming = first_and_third_tuesdays(timezone.localdate() + datetime.timedelta(days=1), 3)
    chosen = next(day for day in coming if day != exception.date)
    typed = chosen.strftime("%d/%m/%Y")
    edit_url = f"{site.url}/admin/pages/{onet.pk}/edit/"

    log_in(page, site.url, "communication.aveyron", DEMO_PASSWORD)
    page.goto(edit_url)
    date_input = page.locator("input[name$='exceptions-0-date']")
    assert date_input.input_value() == exception.date.strftime("%d/%m/%Y")  # shown French
    date_input.fill("")
    date_input.type(typed)
    page.keyboard.press("Tab")
    assert date_input.input_value() == typed  # never replaced when leaving the field
    page.locator("button[name=action-publish]").evaluate("button => button.click()")
    page.wait_for_url(f"{site.url}/admin/pages/{onet.get_parent().pk}/")

    assert ScheduleException.objects.get(pk=exception.pk).date == chosen
    page.goto(site.url + site.onet)
    cancelled = page.locator("li.cancelled").all_inner_texts()
    assert len(cancelled) == 1 and f" {chosen.day} " in f" {cancelled[0]} ", cancelled
    # Wagtail's own page editor runs inline scripts under the admin's report-only policy:
    # what this test holds to is that nothing was blocked.
    csp_guard.violations[:] = csp_guard.blocked()
