"""API tokens: minting, revoking, listing and checking them, each rule once. The admin screen
(`api_common.views`) and the DRF authentication (`api_common.authentication`) only call these.

A token is Wagtail 8's `APIToken` ("wagtail_" + 160 random bits + a checksum; stored as an
HMAC-SHA-256 digest keyed by SECRET_KEY, so a copy of the table proves nothing; its first
characters are kept in clear to tell tokens apart) plus our `TokenExpiry`. The secret is only
ever in the return value of `mint_token`, shown once by the screen."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import APIToken

from api_common.models import TokenExpiry

DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365
LIFETIME_CHOICES_DAYS = (7, 30, 90, 180, 365)
# `last_used_at` is written at most this often: one UPDATE a minute, not one per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenRefused(Exception):
    """A token is not made, or not accepted: `code` for programs, `message` in French."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- minting and revoking -------------------------------------------------------------------


def check_owner(owner) -> None:
    """Who may hold a token: an active account that is not a superuser. A superuser's rights
    have no limit, and a token travels in scripts and configuration files: an integration
    gets its own account with only the rights it needs."""
    if owner.is_superuser:
        raise TokenRefused(
            "superuser_token",
            _(
                "Aucun jeton d'API n'est créé pour un super-utilisateur : ses droits sont "
                "illimités. Créez un compte dédié à l'application, avec les seuls droits dont "
                "elle a besoin, et donnez-lui le jeton."
            ),
        )
    if not owner.is_active:
        raise TokenRefused(
            "inactive_owner", _("Ce compte est désactivé : il ne peut pas recevoir de jeton.")
        )


def mint_token(*, owner, name: str, lifetime_days: int, by=None) -> tuple[APIToken, str]:
    """A new token for `owner`, valid `lifetime_days` (one year at most), logged in Wagtail's
    history under `by`. Returns the token and its secret, which nothing keeps."""
    check_owner(owner)
    if not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        raise TokenRefused(
            "lifetime_out_of_range",
            _("Un jeton dure entre 1 et %(max)s jours.") % {"max": MAX_LIFETIME_DAYS},
        )
    with transaction.atomic():
        token, secret = APIToken.create_token(user=owner, name=name)
        token.expiry = TokenExpiry.objects.create(
            token=token, expires_at=token.created + datetime.timedelta(days=lifetime_days)
        )
        log(instance=token, action="wagtail.apitoken.create", user=by)
    return token, secret


def revoke_token(token: APIToken, *, by=None) -> None:
    """Stops the token at once; the row stays, with its revocation date, for the record."""
    if token.revoked_at is None:
        token.revoke()
        log(instance=token, action="wagtail.apitoken.revoke", user=by)


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenRow:
    """A token as the list shows it (never its secret)."""

    token: APIToken
    expires_at: datetime.datetime | None
    status: str
    in_service: bool


def listed_tokens(now: datetime.datetime | None = None) -> list[TokenRow]:
    """Every token, newest first, with its state; one query whatever their number."""
    now = now or timezone.now()
    rows = []
    for token in APIToken.objects.select_related("user", "expiry").order_by("-created", "-pk"):
        expires_at = _expires_at(token)
        if token.revoked_at is not None:
            status, in_service = _("Révoqué"), False
        elif expires_at is None or expires_at <= now:
            status, in_service = _("Expiré"), False
        else:
            status, in_service = _("En service"), True
        rows.append(TokenRow(token, expires_at, status, in_service))
    return rows


def revocable_token(pk: int) -> APIToken:
    """The token a revocation screen is about (raises `APIToken.DoesNotExist`)."""
    return APIToken.objects.select_related("user", "expiry").get(pk=pk)


def _expires_at(token: APIToken) -> datetime.datetime | None:
    try:
        return token.expiry.expires_at
    except TokenExpiry.DoesNotExist:
        return None


# --- checking a presented token -------------------------------------------------------------


def accepted_token(secret: str, now: datetime.datetime | None = None) -> APIToken:
    """The token a request presents, if it may be used now; raises `TokenRefused` otherwise.
    One query (token, owner and expiry together), plus one UPDATE of `last_used_at` at most
    once a minute. A string that cannot be a token is refused without any query."""
    now = now or timezone.now()
    unknown = TokenRefused("authentication_failed", _("Jeton invalide."))
    if not APIToken.validate_token_format(secret):
        raise unknown
    token = (
        APIToken.objects.select_related("user", "expiry")
        .filter(key_hash__in=APIToken.candidate_key_hashes(secret))
        .first()
    )
    if token is None:
        raise unknown
    if token.revoked_at is not None:
        raise TokenRefused("token_revoked", _("Ce jeton a été révoqué."))
    expires_at = _expires_at(token)
    if expires_at is None or expires_at <= now:
        raise TokenRefused(
            "token_expired",
            _("Ce jeton a expiré. Demandez-en un nouveau à un administrateur."),
        )
    if not token.user.is_active:
        raise TokenRefused("authentication_failed", _("Ce compte est désactivé."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
