from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "page_cache"
    verbose_name = _("Cache des pages publiques")

    def ready(self) -> None:
        # Imported here, as Django asks: the receivers name Wagtail's models.
        from page_cache import signals

        signals.connect()
