"""The end date of an API token. Tokens are Wagtail's own `APIToken` (wagtailcore, migration
0098): only an HMAC-SHA-256 digest of the secret is stored, with a short visible prefix, a
revocation date and a last-use date. What Wagtail 8 lacks is an expiry; it lives here, one row
per token, read in the same query as the token (`api_common.tokens`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenExpiry(models.Model):
    """When a token stops working. A token without one (made by Wagtail's own `api_tokens`
    command, say) is refused: only the admin screen makes tokens that work."""

    token = models.OneToOneField(
        "wagtailcore.APIToken",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="expiry",
        verbose_name=_("jeton"),
    )
    expires_at = models.DateTimeField(_("expire le"))

    class Meta:
        verbose_name = _("fin de validité d'un jeton d'API")
        verbose_name_plural = _("fins de validité des jetons d'API")

    def __str__(self) -> str:
        return f"{self.token_id} → {self.expires_at:%Y-%m-%d}"
