"""The access log: who read, exported, changed, rectified, erased or anonymised which young
person's record, when, through which channel and from which address.

Append-only: on PostgreSQL a trigger refuses every UPDATE and DELETE (django-pgtrigger); only
`services.purge_expired`, the log's own retention, lifts it for its one DELETE. Rows hold
ids, never names: the log outlives the young person's erasure and must not undo it."""

from __future__ import annotations

import pgtrigger
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

APPEND_ONLY_TRIGGER = "access_log.AccessLogEntry:append_only"


class Action(models.TextChoices):
    READ = "read", _("Consultation")
    EXPORT = "export", _("Export")
    CHANGE = "change", _("Modification")
    RECTIFY = "rectify", _("Rectification")
    ERASE = "erase", _("Effacement")
    ANONYMISE = "anonymise", _("Anonymisation")


class Channel(models.TextChoices):
    PAGE = "page", _("Fiche du parcours")
    LIST = "list", _("Liste")
    BOARD = "board", _("Tableau des étapes")
    FORM = "form", _("Formulaire")
    EXPORT = "export", _("Export")
    API = "api", _("API")
    TASK = "task", _("Tâche automatique")
    COMMAND = "command", _("Ligne de commande")


class AccessLogEntry(models.Model):
    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    # Plain ids, not foreign keys: an entry must outlive the user, the pathway and the
    # young person it names, and a cascade would be an UPDATE or DELETE the trigger refuses.
    user_id = models.BigIntegerField(_("utilisateur (n°)"), null=True, blank=True, db_index=True)
    username = models.CharField(_("identifiant"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(
        _("Mission Locale (n°)"), null=True, blank=True, db_index=True
    )
    youth_id = models.BigIntegerField(_("jeune (n°)"), db_index=True)
    pathway_id = models.BigIntegerField(_("parcours (n°)"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    channel = models.CharField(_("canal"), max_length=16, choices=Channel.choices)
    sensitive = models.BooleanField(
        _("informations réservées lues"),
        default=False,
        help_text=_("La lecture a montré des réponses réservées au référent."),
    )
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    detail = models.CharField(
        _("précision"),
        max_length=200,
        blank=True,
        help_text=_("Jamais de donnée personnelle : un code, un motif d'effacement résumé."),
    )

    class Meta:
        verbose_name = _("accès aux données d'un jeune")
        verbose_name_plural = _("journal des accès aux données des jeunes")
        ordering = ("-at", "-pk")
        indexes = [models.Index(fields=["organisation_id", "-at"], name="access_log_org_at")]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · jeune n° {self.youth_id} · {self.at:%Y-%m-%d %H:%M}"
