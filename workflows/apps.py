from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """The low-code workflow: definitions edited in the admin, pathways driven through them."""

    name = "workflows"
    verbose_name = _("Parcours")
