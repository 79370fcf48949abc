from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ContactKind


class Contact(models.Model):
    """A contact with the young person. Notes stay factual (CNIL)."""

    pathway = models.ForeignKey(
        "workflows.Pathway",
        verbose_name=_("parcours"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    kind = models.CharField(_("type"), max_length=20, choices=ContactKind.choices)
    happened_at = models.DateTimeField(_("le"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-happened_at"]
        indexes = [models.Index(fields=["pathway", "-happened_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.happened_at:%d/%m/%Y}"


class FollowUp(models.Model):
    """A follow-up to do by a date; reminders and the "relance" actions create them."""

    pathway = models.ForeignKey(
        "workflows.Pathway",
        verbose_name=_("parcours"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("à faire le"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    done_at = models.DateTimeField(_("fait le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relance")
        verbose_name_plural = _("relances")
        ordering = ["due_on"]
        indexes = [models.Index(fields=["pathway", "done_at"])]

    def __str__(self) -> str:
        return f"{self.due_on:%d/%m/%Y}"
