from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    """The comité de pilotage's figures, read from the pathway history."""

    name = "indicators"
    verbose_name = _("Indicateurs")
