from .agenda import PermanenceIndexPage
from .contact import ContactRequestPage
from .contact_requests import ContactRequest, ContactRequestStatus
from .finder import FinderPage
from .home import HomePage
from .news import NewsIndexPage, NewsPage
from .occurrences import Occurrence, OccurrenceHorizon
from .permanences import AccessMode, PermanencePage
from .privacy import PrivacyPage
from .schedule_rules import ExceptionKind, ScheduleException, ScheduleRule
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
    "FinderPage",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "Occurrence",
    "OccurrenceHorizon",
    "PermanenceIndexPage",
    "PermanencePage",
    "PrivacyPage",
    "ScheduleException",
    "ScheduleRule",
    "SearchPage",
    "ServicePage",
    "StandardPage",
    "Venue",
    "VenueType",
]
