"""The one rule by which the demo commands refuse to run in production: they create accounts
with a published password."""

from django.conf import settings
from django.core.management.base import CommandError


def refuse_in_production(message: str) -> None:
    """Raises CommandError(message) under the production settings (cms.settings.production,
    where DEMO_DATA_ALLOWED is False). A setting rather than the settings module's name: under
    override_settings, as in tests, that name is None."""
    if not settings.DEMO_DATA_ALLOWED:
        raise CommandError(message)
