"""Reading a page's iCalendar file as a calendar application does."""

from icalendar import Calendar


def feed_rrules(client, page) -> list[str]:
    """The RRULEs a calendar application reads in the page's iCalendar file (the series, not
    the overriding instances of cancelled dates)."""
    feed = Calendar.from_ical(client.get(page.url + page.reverse_subpage("ical")).content)
    return [
        event["RRULE"].to_ical().decode()
        for event in feed.walk("VEVENT")
        if "RECURRENCE-ID" not in event
    ]
