"""Admin URLs of the failed tasks screen, included by `wagtail_hooks.register_admin_urls`."""

from django.urls import path

from task_queue.views import FailedTaskIndexView, FailedTaskRetryView

app_name = "task_queue"
urlpatterns = [
    path("", FailedTaskIndexView.as_view(), name="failed"),
    path("<str:task_id>/relancer/", FailedTaskRetryView.as_view(), name="retry"),
]
