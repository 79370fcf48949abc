from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The project itself: settings, URLs, WSGI/ASGI, project-wide commands and templates.
    No app imports it."""

    name = "cms"
    verbose_name = _("Projet")
