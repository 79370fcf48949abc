"""The one rule by which the demo commands refuse to run in production: they create accounts
with a published password."""

from django.conf import settings
from django.core.management.base import CommandError


def refuse_in_production(message: str) -> None:
    """Raises CommandError(message) under the production settings (cms.settings.production)."""
    if settings.SETTINGS_MODULE.endswith("production"):
        raise CommandError(message)
