"""The page cache's generation: the number every stored entry is keyed by.

This is the app's public interface for the rest of the project: bump it to forget every
stored page at once, read it to key something else that must change with the public pages
(the agenda API's ETag does), and ask when "next dates" change (midnight, Europe/Paris)."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import caches

GENERATION_KEY = "page-cache:generation"


def cache_backend():
    return caches["default"]


def current_generation() -> int:
    """The number every entry key carries. Starts at a random value, so that a backend that
    lost its data never brings back an old number that some worker still remembers."""
    backend = cache_backend()
    generation = backend.get(GENERATION_KEY)
    if generation is None:
        backend.add(GENERATION_KEY, random.randint(1, 2**40), timeout=None)
        generation = backend.get(GENERATION_KEY)
    return generation


def bump_generation() -> None:
    """Make every stored page unreachable at once, in every worker."""
    backend = cache_backend()
    try:
        backend.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: any fresh random start invalidates
        backend.add(GENERATION_KEY, random.randint(1, 2**40), timeout=None)


def next_date_boundary(now: float | None = None) -> float:
    """The next midnight in the site's time zone, as a timestamp: "next dates" change then."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local_now = datetime.fromtimestamp(time.time() if now is None else now, zone)
    tomorrow = local_now.date() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=zone).timestamp()
