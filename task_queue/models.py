"""One row per piece of background work done, so that doing it again is a no-op.

django-q2's ORM broker delivers a task at least once: a task whose worker died, or whose result
was saved but not yet acknowledged, is delivered again once its lock (`retry`) expires. The
receipt turns "at least once" into "once" for what a task does: it is written in the same
transaction as the task's database effects, under a key that names the effect ("which
e-mail, about what"), not the delivery."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskReceipt(models.Model):
    key = models.CharField(_("clé"), max_length=200, unique=True)
    done_at = models.DateTimeField(_("fait le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("reçu de tâche")
        verbose_name_plural = _("reçus de tâches")

    def __str__(self) -> str:
        return self.key
