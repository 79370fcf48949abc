"""Admin entries for failed background tasks: their URLs and their place in the settings menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from task_queue import admin_urls
from task_queue.views import can_manage_tasks


@hooks.register("register_admin_urls")
def register_failed_task_urls():
    return [path("taches-en-echec/", include(admin_urls))]


class FailedTasksMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_tasks(request.user)


@hooks.register("register_settings_menu_item")
def register_failed_tasks_menu_item():
    return FailedTasksMenuItem(
        _("Tâches en échec"), reverse("task_queue:failed"), icon_name="warning", order=910
    )
