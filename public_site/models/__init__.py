from .agenda import PermanenceIndexPage
from .contact import ContactRequest, ContactRequestPage, ContactRequestStatus
from .home import HomePage
from .news import NewsIndexPage, NewsPage
from .permanences import (
    AccessMode,
    ExceptionKind,
    PermanencePage,
    ScheduleException,
    ScheduleRule,
)
from .search import SearchPage
from .services import ServicePage
from .standard import StandardPage
from .venues import Venue, VenueType

__all__ = [
    "AccessMode",
    "ContactRequest",
    "ContactRequestPage",
    "ContactRequestStatus",
    "ExceptionKind",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "PermanenceIndexPage",
    "PermanencePage",
    "ScheduleException",
    "ScheduleRule",
    "SearchPage",
    "ServicePage",
    "StandardPage",
    "Venue",
    "VenueType",
]
