from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The project itself: holds project-wide management commands and templates."""

    name = "cms"
    verbose_name = _("Projet")

    def ready(self) -> None:
        from cms import page_cache_signals

        page_cache_signals.connect()
