"""Local development: `make run`. DEBUG stays off unless DJANGO_DEBUG=1."""

from .base import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The demo accounts log in with their published password alone.
TWO_FACTOR_REQUIRED = False
