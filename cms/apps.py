from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The project itself: settings, URLs, WSGI/ASGI, project-wide commands and templates.
    No app imports it."""

    name = "cms"
    verbose_name = _("Projet")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from cms.accounts.sessions import start_session_clocks

        user_logged_in.connect(start_session_clocks, dispatch_uid="cms_session_clocks")
