"""The "être recontacté" requests a young person leaves on the site or through the API.

Every valid request is stored here first, so nothing is lost when the workflow is not ready;
public_site.services then hands it to the workflow (a pathway at its first stage)."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from public_site.fields import ChoiceListField
from workflows.choices import NeedArea


class ContactRequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    FORWARDED = "forwarded", _("Transmise au parcours")


class ContactRequest(models.Model):
    """A young person's "être recontacté" request, kept until the workflow takes it."""

    first_name = models.CharField(_("prénom"), max_length=100)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "territories.Organisation",
        verbose_name=_("Mission Locale"),
        # Empty for requests received before organisations existed.
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("La Mission Locale à laquelle la demande a été envoyée."),
    )
    needs = ChoiceListField(_("besoins"), item_choices=NeedArea.choices)
    consent = models.BooleanField(_("accord donné"), default=False)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("état"),
        max_length=20,
        choices=ContactRequestStatus.choices,
        default=ContactRequestStatus.PENDING,
        db_index=True,
    )
    # Plain id, not a foreign key: public_site must not depend on workflows' migrations.
    pathway_id = models.PositiveBigIntegerField(_("parcours"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("transmise le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande de contact")
        verbose_name_plural = _("demandes de contact")

    def __str__(self) -> str:
        # No name: Wagtail copies this label into its audit log, which is never purged.
        if self.pk is None:
            return gettext("Nouvelle demande")
        return gettext("Demande n° %(pk)s du %(day)s") % {
            "pk": self.pk,
            "day": f"{self.created_at:%d/%m/%Y}",
        }
