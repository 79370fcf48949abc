"""Permanences for the agenda tests and the benchmark: real pages, rules and exceptions."""

from datetime import date, time

from django.utils.text import slugify
from wagtail.models import Site

from public_site.models import ExceptionKind, PermanencePage, ScheduleException, ScheduleRule
from public_site.models.agenda import PermanenceIndexPage
from public_site.models.venues import Venue, VenueType
from territories.models import Commune


def commune(insee_code: str = "12176", name: str = "Onet-le-Château") -> Commune:
    return Commune.objects.get_or_create(insee_code=insee_code, defaults={"name": name})[0]


def permanence_index() -> PermanenceIndexPage:
    existing = PermanenceIndexPage.objects.first()
    if existing is not None:
        return existing
    root = Site.objects.get(is_default_site=True).root_page
    return root.add_child(instance=PermanenceIndexPage(title="Permanences", slug="permanences"))


def permanence(
    title: str,
    *,
    venue: Venue,
    services: list[str],
    weekday: int = 1,
    month_weeks: tuple[int, ...] = (),
    start_date: date = date(2025, 1, 1),
    cancelled: dict[date, str] | None = None,
    live: bool = True,
) -> PermanencePage:
    index = permanence_index()
    page = index.add_child(
        instance=PermanencePage(
            title=title, slug=slugify(title), venue=venue, services=services, live=live
        )
    )
    rule = ScheduleRule.objects.create(
        page=page,
        frequency="monthly" if month_weeks else "weekly",
        weekdays=[weekday],
        month_weeks=list(month_weeks),
        start_time=time(9),
        end_time=time(12),
        start_date=start_date,
    )
    for day, reason in (cancelled or {}).items():
        ScheduleException.objects.create(
            rule=rule, kind=ExceptionKind.CANCELLED, date=day, reason=reason
        )
    if live:
        page.save_revision().publish()
    return page


def venue(name: str, commune_: Commune) -> Venue:
    return Venue.objects.get_or_create(
        name=name, commune=commune_, defaults={"venue_type": VenueType.CCAS}
    )[0]
