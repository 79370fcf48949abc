from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskQueueConfig(AppConfig):
    """Background work's plumbing: receipts that make a redelivered task harmless, and the
    failed tasks administrators see and retry."""

    name = "task_queue"
    verbose_name = _("File des tâches de fond")
    default_auto_field = "django.db.models.BigAutoField"
