from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicSiteConfig(AppConfig):
    """The pages young people read: permanences, services, news, "être recontacté"."""

    name = "public_site"
    verbose_name = _("Site public")
