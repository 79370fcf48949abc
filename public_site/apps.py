from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicSiteConfig(AppConfig):
    """The pages young people read: permanences, services, news, "être recontacté"."""

    name = "public_site"
    verbose_name = _("Site public")

    def ready(self) -> None:
        # Imported here, as Django asks: the holder reads the models.
        from workflows.personal_data import register

        from .personal_data import CONTACT_REQUESTS

        register(CONTACT_REQUESTS)

        from . import signals

        signals.connect()
