from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessLogConfig(AppConfig):
    name = "access_log"
    verbose_name = _("Journal des accès aux données des jeunes")
