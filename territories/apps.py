from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    """Reference data both the public site and the workflow read. Imports no other app."""

    name = "territories"
    verbose_name = _("Territoires")
