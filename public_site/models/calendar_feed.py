"""Pages whose dates a young person can add to a calendar application: the iCalendar file's
route and its address, written once for the permanence page and the permanences index."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from rest_framework import serializers
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from public_site import calendar

# The route of the file; Wagtail only serves paths that end with a slash and have no dot,
# so the file name (.ics) is given by Content-Disposition.
ICS_FILENAME = "calendrier/"


class CalendarFeedMixin(RoutablePageMixin):
    """Serves `calendar_pages(request)` as an iCalendar file at `calendrier/`."""

    def calendar_pages(self, request: HttpRequest) -> Sequence[calendar.CalendarPage]:
        raise NotImplementedError

    def calendar_name(self) -> str:
        raise NotImplementedError

    def calendar_filename(self) -> str:
        raise NotImplementedError

    def public_url(self, request: HttpRequest | None = None) -> str:
        """The page's full address on the host the visitor (or API client) used: the Site
        record may name another one (the demo's says "localhost"). Without a request, the
        Site's."""
        if request is None:
            return self.get_full_url() or ""
        url = self.get_url(request)
        return request.build_absolute_uri(url) if url else ""

    def ical_full_url(self, request: HttpRequest | None = None) -> str:
        """The file's full address, for the API."""
        url = self.public_url(request)
        return f"{url}{ICS_FILENAME}" if url else ""

    @property
    def ical_path(self) -> str:
        """The file's path, for the page's own link; empty while the page is not live (its
        file would be a 404, as in a draft's preview)."""
        return f"{self.url}{ICS_FILENAME}" if self.live and self.url else ""

    @path(ICS_FILENAME, name="ical")
    def ical(self, request: HttpRequest) -> HttpResponse:
        return calendar.ics_response(
            self.calendar_pages(request),
            request,
            calendar_name=self.calendar_name(),
            filename=self.calendar_filename(),
        )


class CalendarUrlField(serializers.Field):
    """The API's ``ical_url``: the file's full address on the host the client called."""

    def __init__(self, **kwargs) -> None:
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, page: CalendarFeedMixin) -> str:
        return page.ical_full_url(self.context.get("request"))
