from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiCommonConfig(AppConfig):
    name = "api_common"
    verbose_name = _("API : socle commun")

    def ready(self) -> None:
        from api_common.spreadsheets import protect_spreadsheet_exports

        protect_spreadsheet_exports()
