"""Failed background tasks, for administrators: what failed, when, how many attempts, the
error; and "Relancer" after confirming. Tasks run again on their own until django-q2's
`max_attempts`; what is listed here has used them up or is still waiting for its next try."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_q.models import Failure
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from task_queue import selectors, services

PAGE_SIZE = 50


def can_manage_tasks(user) -> bool:
    """Administrators only: an error may quote what the task was working on."""
    return user.is_active and user.is_superuser


class FailedTasksMixin(WagtailAdminTemplateMixin):
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_tasks(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FailedTaskIndexView(FailedTasksMixin, TemplateView):
    template_name = "task_queue/failed_tasks.html"
    page_title = _("Tâches en échec")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.failed_tasks(), PAGE_SIZE).get_page(self.request.GET.get("p"))
        return super().get_context_data(page_obj=page, **kwargs)


class FailedTaskRetryView(FailedTasksMixin, TemplateView):
    """GET asks for confirmation; POST queues the task again."""

    template_name = "task_queue/failed_task_retry.html"
    page_title = _("Relancer une tâche")

    @cached_property
    def failure(self) -> Failure:
        try:
            return selectors.failed_tasks().get(pk=self.kwargs["task_id"])
        except Failure.DoesNotExist:
            raise Http404 from None

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("task_queue:failed"), "label": _("Tâches en échec")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(failure=self.failure, **kwargs)

    def post(self, request, task_id: str):
        services.retry_failed_task(self.failure)
        messages.success(
            request,
            _("Tâche « %(func)s » remise dans la file : elle s'exécutera dans un instant.")
            % {"func": self.failure.func},
        )
        return redirect(reverse("task_queue:failed"))
