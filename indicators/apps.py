from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    """The comité de pilotage's figures, read from the pathway history."""

    name = "indicators"
    verbose_name = _("Indicateurs")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .counting import register_sqlite_aggregates

        connection_created.connect(register_sqlite_aggregates)
